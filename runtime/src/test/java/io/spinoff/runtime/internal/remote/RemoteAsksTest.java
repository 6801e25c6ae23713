package io.spinoff.runtime.internal.remote;

import static io.spinoff.runtime.internal.remote.TransportTestSupport.await;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.node;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.spinoff.api.ActorRef;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.remote.RemoteEcho;
import io.spinoff.runtime.remote.RemoteEchoActor;
import io.spinoff.runtime.remote.RemoteEchoMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The pending remote asks of a node hold only asks not answered yet. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteAsksTest {

    @Test
    void answeredAsksLeaveTheDeadlineHeapAtOnce() throws Exception {
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta")) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            ActorRef<Object> echo = alpha.ref(beta.address() + "/user/echo");
            RemoteTransport transport = transport(alpha);
            for (int i = 0; i < 1_500; i++) {
                // One at a time, with a long timeout: an answered ask kept in the heap would stay a
                // minute, and the heap would grow with every ask.
                CompletableFuture<String> reply = echo.ask(new RemoteEchoMessage.Echo("m" + i), Duration.ofMinutes(1));
                assertEquals("m" + i + "@beta", await(reply));
            }
            assertEquals(0, (int) transport.onIoThread(transport.asks::waitingDeadlines, -1),
                    "answered asks still held by the deadline heap");
        }
    }

    @Test
    void theDeadlineHeapYieldsAsksInDeadlineOrderWhateverIsRemoved() {
        Random random = new Random(42);
        AskDeadlines heap = new AskDeadlines();
        List<PendingAsk> inside = new ArrayList<>();
        for (int round = 0; round < 20_000; round++) {
            int action = random.nextInt(3);
            if (action < 2 || inside.isEmpty()) {
                PendingAsk ask = new PendingAsk(round, null, null, null, 0, null, random.nextInt(1_000) - 500L, 1);
                heap.add(ask);
                inside.add(ask);
            } else {
                PendingAsk ask = inside.remove(random.nextInt(inside.size()));
                heap.remove(ask);
                heap.remove(ask); // twice is harmless
            }
            assertEquals(inside.size(), heap.size());
        }
        inside.sort(Comparator.comparingLong(ask -> ask.deadlineNanos));
        for (PendingAsk expected : inside) {
            PendingAsk first = heap.peek();
            assertEquals(expected.deadlineNanos, first.deadlineNanos);
            heap.remove(first);
        }
        assertNull(heap.peek());
        PendingAsk alone = new PendingAsk(1, null, null, null, 0, null, 5, 1);
        heap.add(alone);
        assertSame(alone, heap.peek());
        heap.clear();
        assertEquals(-1, alone.heapIndex);
    }
}
