package io.spinoff.runtime.remote;

import static io.spinoff.runtime.remote.RemoteTestSupport.await;
import static io.spinoff.runtime.remote.RemoteTestSupport.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.PeerInfo;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The inbound limit, exactly: one message always fits; past the limit, messages from other nodes
 * are dropped and counted per peer, and an ask fails at once.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class InboundLimitTest {

    /** Blocks on its first message until released; records every sequence number in order. */
    static final class GatedSink extends Actor implements SlowSink {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<Long> seqs = new ArrayList<>();

        @Override
        public void take(long seq, String payload) {
            started.countDown();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (seqs) {
                seqs.add(seq);
            }
        }

        @Override
        public CompletionStage<Long> taken() {
            synchronized (seqs) {
                return CompletableFuture.completedFuture((long) seqs.size());
            }
        }

        List<Long> seqs() {
            synchronized (seqs) {
                return List.copyOf(seqs);
            }
        }
    }

    @Test
    void messagesPastTheLimitAreDroppedAndCountedAndAsksFailAtOnce() throws Exception {
        // One byte: one message waits, however small, while the actor holds the one before.
        int limit = 1;
        try (ActorSystem alpha = RemoteTestSupport.node("alpha");
                ActorSystem beta = ActorSystem.builder("beta").bind("tcp://127.0.0.1:0")
                        .heartbeatInterval(Duration.ofMillis(200)).downAfter(Duration.ofSeconds(3))
                        .maxInboundBytes(limit).build()) {
            GatedSink gated = new GatedSink();
            beta.spawn(SlowSink.class, () -> gated, "gated");
            SlowSink sink = alpha.lookup(SlowSink.class, RemoteTestSupport.nodeName(beta) + "/user/gated");
            String alphaName = RemoteTestSupport.nodeName(alpha);
            LongSupplier inboundDropped = () -> RemoteTestSupport.transport(beta).peerStates().stream()
                    .filter(peer -> peer.getNode().equals(alphaName)).mapToLong(PeerInfo::getInboundDropped).sum();
            long droppedBefore = beta.metrics().droppedFrames();

            sink.take(0, "first");
            assertTrue(gated.started.await(10, TimeUnit.SECONDS), "the first message did not arrive");
            // The first is taken (its handler holds it): the next waits, the rest are dropped.
            int messages = 100;
            for (int i = 1; i < messages; i++) {
                sink.take(i, "more");
            }
            assertTrue(RemoteTestSupport.eventually(10_000, () -> inboundDropped.getAsLong() == messages - 2),
                    "dropped " + inboundDropped.getAsLong());

            long start = System.nanoTime();
            Throwable refused = failure(sink.taken(), 5_000);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertInstanceOf(RemoteActorException.class, refused);
            assertTrue(refused.getMessage().contains("inbound limit"), refused.getMessage());
            assertTrue(millis < 3_000, "the refused ask failed after " + millis + " ms");
            assertEquals(messages - 1, inboundDropped.getAsLong(), "the ask counts as dropped");
            assertEquals(messages - 1, beta.metrics().droppedFrames() - droppedBefore);

            // Released, the actor takes what was admitted, in order; then there is room again.
            gated.release.countDown();
            List<Long> admitted = new ArrayList<>();
            admitted.add(0L);
            admitted.add(1L);
            assertTrue(RemoteTestSupport.eventually(10_000, () -> gated.seqs().size() == 2), gated.seqs().toString());
            assertEquals(admitted, gated.seqs());
            sink.take(1_000, "after");
            assertTrue(RemoteTestSupport.eventually(10_000, () -> gated.seqs().size() == 3), gated.seqs().toString());
            assertEquals(1_000L, gated.seqs().get(2));
            // With nothing waiting, an ask fits again (with one byte, only when nothing waits).
            assertEquals(3, await(sink.taken()));
            assertEquals(messages - 1, inboundDropped.getAsLong());
        }
    }

    @Test
    void theLimitMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> ActorSystem.builder("x").maxInboundBytes(0));
    }
}
