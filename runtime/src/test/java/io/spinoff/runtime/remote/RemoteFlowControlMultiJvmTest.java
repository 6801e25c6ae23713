package io.spinoff.runtime.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.PeerInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fast sender and a slow receiver in another JVM with a small heap: the receiver's inbound limit
 * keeps its heap bounded. Without it (mailboxes unbounded, everything decoded and queued) a node
 * with a 64 MB heap and an actor taking 200 µs per 100-byte message ran out of memory about 4 s
 * into such a flood; the flood here lasts {@link #FLOOD_SECONDS}, well past that, with the default
 * limit, and the whole test takes about 40 s (the receiver needs up to the limit divided by the weight of a message, times
 * 200 µs to drain: some 25 s with the default limit).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RemoteFlowControlMultiJvmTest {

    /** How long the sender tells as fast as it can. */
    private static final long FLOOD_SECONDS = 10;

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void destroyChildren() throws InterruptedException {
        RemoteChild.destroyAll(children);
    }

    /** What the receiver reports: {@code FLOW} of {@link RemoteTestNode}. */
    private record Flow(boolean ioAlive, long taken, long outOfOrder, long last, long droppedFrames, long inboundDropped) {
        static Flow of(RemoteChild child) throws InterruptedException {
            String[] parts = child.command("FLOW", "FLOW", 20).split(" ");
            return new Flow(Boolean.parseBoolean(parts[0]), Long.parseLong(parts[1]), Long.parseLong(parts[2]),
                    Long.parseLong(parts[3]), Long.parseLong(parts[4]), Long.parseLong(parts[5]));
        }
    }

    @Test
    void aFastSenderCannotExhaustASlowReceiversHeap() throws Exception {
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        RemoteChild receiver = RemoteChild.start(children, "64m", output, "receiver", 0, "--slow-sink", "200");
        try (ActorSystem sender = RemoteTestSupport.node("sender")) {
            SlowSink slow = sender.lookup(SlowSink.class, receiver.nodeName + "/user/slow");
            String payload = "x".repeat(100);
            long droppedBefore = sender.metrics().droppedFrames();

            long sent = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(FLOOD_SECONDS);
            while (System.nanoTime() - end < 0) {
                for (int i = 0; i < 1_000; i++) {
                    slow.take(sent++, payload);
                }
            }

            // Everything sent is taken by the actor or counted as dropped, by the sender (its
            // outbound queue was full) or by the receiver (the actor's inbound limit was reached).
            // The receiver drains what it admitted at its own pace.
            Flow flow = null;
            long senderDropped = 0;
            // The default limit holds about 100,000 of these, at 200 µs or more each: 20 s, longer on a busy machine.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() - deadline < 0) {
                assertNoOutOfMemory(output);
                assertTrue(receiver.process.isAlive(), "the receiver died: " + tail(output));
                try {
                    flow = Flow.of(receiver);
                } catch (AssertionError e) {
                    assertNoOutOfMemory(output);
                    throw new AssertionError(e.getMessage() + "; its last output:\n" + tail(output), e);
                }
                senderDropped = sender.metrics().droppedFrames() - droppedBefore;
                if (flow.taken + flow.inboundDropped + senderDropped == sent) {
                    break;
                }
                Thread.sleep(250);
            }
            String summary = "sent " + sent + ", taken " + flow.taken + ", dropped by the receiver " + flow.inboundDropped
                    + ", dropped by the sender " + senderDropped;
            System.err.println("Flow control: " + summary);
            assertNoOutOfMemory(output);
            assertTrue(flow.ioAlive, "the receiver's I/O thread died");
            assertEquals(0, flow.outOfOrder, "messages out of order or duplicated; " + summary);
            assertEquals(sent, flow.taken + flow.inboundDropped + senderDropped, "messages unaccounted for; " + summary);
            assertTrue(flow.inboundDropped > 0, "the receiver's inbound limit was never reached; " + summary);
            assertEquals(flow.inboundDropped, flow.droppedFrames, "the receiver dropped other frames too; " + summary);
            assertTrue(flow.taken > 0 && flow.last < sent, summary);

            // Throttled but alive: the sender's asks get answers again.
            assertEquals(flow.taken, RemoteTestSupport.await(slow.taken()));
            PeerInfo fromSender = RemoteTestSupport.transport(sender).peerStates().stream()
                    .filter(peer -> peer.getNode().equals(receiver.nodeName)).findFirst().orElseThrow();
            assertEquals(0, fromSender.getInboundDropped(), "the receiver dropped nothing of what the sender gets");
        }
    }

    private static void assertNoOutOfMemory(List<String> output) {
        synchronized (output) {
            for (String line : output) {
                assertFalse(line.contains("OutOfMemoryError"), "the receiver ran out of memory: " + line);
            }
        }
    }

    private static String tail(List<String> output) {
        synchronized (output) {
            return String.join("\n", output.subList(Math.max(0, output.size() - 20), output.size()));
        }
    }
}
