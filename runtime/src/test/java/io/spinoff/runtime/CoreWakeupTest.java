package io.spinoff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * No lost wake-ups: an actor that goes idle just as a message arrives must still run it. A
 * ping-pong keeps exactly one message in flight per pair, so one lost wake-up stops the game for
 * good; a million bounces make the idle/arrive race happen many thousands of times.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CoreWakeupTest {

    static final class Player extends Actor implements CorePing {
        private final AtomicReference<CountDownLatch> done;
        private CorePing self;

        Player(AtomicReference<CountDownLatch> done) {
            this.done = done;
        }

        @Override
        protected void preStart() {
            self = context().self(CorePing.class);
        }

        @Override
        public void ball(int remaining, CorePing partner) {
            if (remaining == 0) {
                done.get().countDown();
            } else {
                partner.ball(remaining - 1, self);
            }
        }
    }

    private static void play(int parallelism, int pairs, int rounds, int bounces) throws InterruptedException {
        AtomicReference<CountDownLatch> done = new AtomicReference<>();
        try (ActorSystem system = ActorSystem.builder("wakeup").parallelism(parallelism).build()) {
            CorePing[] left = new CorePing[pairs];
            CorePing[] right = new CorePing[pairs];
            for (int i = 0; i < pairs; i++) {
                left[i] = system.spawn(CorePing.class, () -> new Player(done));
                right[i] = system.spawn(CorePing.class, () -> new Player(done));
            }
            for (int round = 0; round < rounds; round++) {
                CountDownLatch latch = new CountDownLatch(pairs);
                done.set(latch);
                for (int i = 0; i < pairs; i++) {
                    left[i].ball(bounces, right[i]);
                }
                assertTrue(latch.await(20, TimeUnit.SECONDS), "round " + round + " of " + rounds + ": "
                        + latch.getCount() + " of " + pairs + " balls stopped (a lost wake-up)");
            }
        }
    }

    /** Blocks in its handler on an ask to the echo actor: discouraged, but it must not hang. */
    static final class BlockingAsker extends Actor implements CorePing {
        private final CoreEcho echo;
        private final java.util.concurrent.BlockingQueue<String> replies;

        BlockingAsker(CoreEcho echo, java.util.concurrent.BlockingQueue<String> replies) {
            this.echo = echo;
            this.replies = replies;
        }

        @Override
        public void ball(int remaining, CorePing partner) {
            try {
                replies.add(echo.echo(Integer.toString(remaining)).toCompletableFuture().get(3, TimeUnit.SECONDS));
            } catch (Exception e) {
                replies.add("the woken actor never ran: " + e);
            }
        }
    }

    @Test
    void aHandlerBlockedOnTheActorItWokeDoesNotHoldItBack() throws Exception {
        java.util.concurrent.BlockingQueue<String> replies = new java.util.concurrent.LinkedBlockingQueue<>();
        try (ActorSystem system = ActorSystem.builder("blocked").parallelism(2).build()) {
            CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new);
            CorePing asker = system.spawn(CorePing.class, () -> new BlockingAsker(echo, replies));
            for (int i = 0; i < 20; i++) {
                long start = System.nanoTime();
                asker.ball(i, null);
                assertEquals("echo:" + i, replies.poll(5, TimeUnit.SECONDS));
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(millis < 1_000, "round " + i + " took " + millis + " ms");
            }
        }
    }

    @Test
    void onePairOnTwoThreadsNeverStops() throws InterruptedException {
        play(2, 1, 80, 100_000);
    }

    @Test
    void fourPairsOnTwoThreadsNeverStop() throws InterruptedException {
        play(2, 4, 30, 50_000);
    }
}
