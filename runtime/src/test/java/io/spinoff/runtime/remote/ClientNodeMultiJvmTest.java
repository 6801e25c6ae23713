package io.spinoff.runtime.remote;

import static io.spinoff.runtime.remote.RemoteTestSupport.await;
import static io.spinoff.runtime.remote.RemoteTestSupport.eventually;
import static io.spinoff.runtime.remote.RemoteTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.Terminated;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client nodes across JVMs: a client in a child JVM calls a node in this one, and this JVM, as a
 * client, calls a node in a child JVM. Loopback only; children are destroyed whatever happens.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ClientNodeMultiJvmTest {

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void destroyChildren() throws InterruptedException {
        RemoteChild.destroyAll(children);
    }

    @Test
    void aClientInAnotherJvmAsksAndGetsReplyToDeliveriesAndIsDownWhenKilled() throws Exception {
        try (ActorSystem alpha = RemoteTestSupport.node("alpha")) {
            alpha.spawn(RemoteEcho.class, () -> new RemoteEchoActor("alpha"), "echo");
            String echo = alpha.address() + "/user/echo";
            RemoteChild cli = RemoteChild.start(children, "128m", "cli", 0, "--client");
            assertTrue(cli.nodeName.matches("cli@client-[0-9a-f]{16}:0"), cli.nodeName);

            assertEquals("OK ask@alpha", cli.command("ASK " + echo, "ANSWER", 20));
            assertEquals("OK 20000", cli.command("PINGS " + echo + " 20000", "PONGS", 40),
                    "20,000 pongs came back to the client over its own connection, in order");

            // The node watches an actor of the client; killing the client's JVM is a node-down.
            CompletableFuture<Terminated> end = alpha.whenTerminated(
                    alpha.lookup(RemoteSink.class, cli.nodeName + "/user/sink")).toCompletableFuture();
            assertTrue(eventually(5_000, () -> transport(alpha).peerIncarnation(cli.nodeName) == cli.incarnation));
            cli.process.destroyForcibly();
            assertEquals(Terminated.Reason.NODE_DOWN, end.get(20, TimeUnit.SECONDS).reason());
            assertEquals(0, alpha.metrics().droppedFrames());
        }
    }

    @Test
    void thisJvmAsAClientCallsANodeInAnotherJvmAndWatchesIt() throws Exception {
        RemoteChild beta = RemoteChild.start(children, "128m", "beta", 0);
        try (ActorSystem cli = ClientNodeTest.client("cli")) {
            RemoteEcho echo = cli.lookup(RemoteEcho.class, beta.nodeName + "/user/echo");
            assertEquals("hi@beta", await(echo.echo("hi")));

            int pings = 20_000;
            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            RemoteSink sinkProxy = cli.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(pings, echo), "sink");
            for (int i = 0; i < pings; i++) {
                echo.ping(i, sinkProxy);
            }
            assertEquals(pings, sink[0].done.get(40, TimeUnit.SECONDS));
            echo.answer("across", sinkProxy);
            assertEquals("across from beta", sink[0].texts.poll(10, TimeUnit.SECONDS));

            beta.process.destroyForcibly();
            Terminated notice = sink[0].notices.poll(20, TimeUnit.SECONDS);
            assertNotNull(notice, "the client's watcher heard that the node died");
            assertEquals(Terminated.Reason.NODE_DOWN, notice.reason());
            assertEquals(0, cli.metrics().droppedFrames());
        }
    }
}
