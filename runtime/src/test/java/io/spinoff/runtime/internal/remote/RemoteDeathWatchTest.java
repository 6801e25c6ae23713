package io.spinoff.runtime.internal.remote;

import static io.spinoff.runtime.internal.remote.TransportTestSupport.await;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.eventually;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.node;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.Terminated;
import io.spinoff.runtime.remote.RemoteEcho;
import io.spinoff.runtime.remote.RemoteEchoActor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Remote death watch keeps nothing for actors that are gone. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteDeathWatchTest {

    @Test
    void watchesOfManyShortLivedActorsLeaveNothingBehindOnEitherSide() throws Exception {
        int actors = 10_000;
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta")) {
            RemoteTransport hosting = transport(beta);
            RemoteTransport watching = transport(alpha);
            List<RemoteEcho> locals = new ArrayList<>(actors);
            List<CompletableFuture<Terminated>> ends = new ArrayList<>(actors);
            for (int i = 0; i < actors; i++) {
                locals.add(beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "a" + i));
                RemoteEcho remote = alpha.lookup(RemoteEcho.class, beta.address() + "/user/a" + i);
                ends.add(alpha.whenTerminated(remote).toCompletableFuture());
            }
            // The WATCH records travel ahead of this ask on the same connection, so all have arrived.
            RemoteEcho last = alpha.lookup(RemoteEcho.class, beta.address() + "/user/a" + (actors - 1));
            assertEquals("hi@beta", await(last.echo("hi")));
            assertEquals(actors, (int) hosting.onIoThread(hosting.watch::hostedCount, -1));

            for (RemoteEcho local : locals) {
                beta.stop(local);
            }
            CompletableFuture.allOf(ends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            for (CompletableFuture<Terminated> end : ends) {
                assertEquals(Terminated.Reason.STOPPED, end.join().reason());
            }
            assertEquals(0, watching.watch.watchedCount(), "the watching side forgot every notified address");
            assertTrue(eventually(5_000, () -> hosting.onIoThread(hosting.watch::hostedCount, -1) == 0),
                    "the hosting side still holds " + hosting.onIoThread(hosting.watch::hostedCount, -1)
                            + " watches of stopped actors");
        }
    }
}
