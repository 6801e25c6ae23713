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

    /**
     * A handler that asks the actor it has just woken and waits for the reply: the woken actor
     * must run on the idle carrier at once, not when the rescuer finds it held (10 to 20 ms).
     */
    @Test
    void aHandlerBlockedOnTheActorItWokeWaitsForItsReplyOnlyBriefly() throws Exception {
        java.util.concurrent.BlockingQueue<String> replies = new java.util.concurrent.LinkedBlockingQueue<>();
        try (ActorSystem system = ActorSystem.builder("blockedBriefly").parallelism(2).build()) {
            CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new);
            CorePing asker = system.spawn(CorePing.class, () -> new BlockingAsker(echo, replies));
            long[] micros = new long[21];
            for (int i = 0; i < micros.length; i++) {
                long start = System.nanoTime();
                asker.ball(i, null);
                assertEquals("echo:" + i, replies.poll(5, TimeUnit.SECONDS));
                micros[i] = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start);
            }
            long[] sorted = micros.clone();
            java.util.Arrays.sort(sorted);
            long median = sorted[sorted.length / 2];
            assertTrue(median < 5_000, "the median round took " + median + " µs; all (µs) "
                    + java.util.Arrays.toString(micros));
        }
    }

    /** Wakes the sink on its message 0 and works 2 ms on every other one. */
    static final class LongTurn extends Actor implements CorePing {
        private final CoreTicker sink;

        LongTurn(CoreTicker sink) {
            this.sink = sink;
        }

        @Override
        public void ball(int remaining, CorePing partner) {
            if (remaining == 0) {
                sink.tick(Long.toString(System.nanoTime()));
            } else {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(2);
                while (System.nanoTime() - until < 0) {
                    Thread.onSpinWait();
                }
            }
        }
    }

    /**
     * An actor woken early in another actor's long turn (many messages queued, 2 ms each) runs on
     * the idle carrier at once, rather than after that turn or when the rescuer finds it held.
     */
    @Test
    void anActorWokenEarlyInALongTurnRunsOnTheIdleCarrier() throws Exception {
        java.util.concurrent.BlockingQueue<CoreTickerActor.Delivery> woken = new java.util.concurrent.LinkedBlockingQueue<>();
        try (ActorSystem system = ActorSystem.builder("longTurn").parallelism(2).throughput(64).build()) {
            CoreTicker sink = system.spawn(CoreTicker.class, () -> new CoreTickerActor(woken));
            CorePing busy = system.spawn(CorePing.class, () -> new LongTurn(sink));
            long[] micros = new long[7];
            for (int round = 0; round < micros.length; round++) {
                busy.ball(1, null);
                busy.ball(0, null);
                for (int i = 0; i < 20; i++) {
                    busy.ball(1, null);
                }
                CoreTickerActor.Delivery delivery = woken.poll(5, TimeUnit.SECONDS);
                assertTrue(delivery != null, "round " + round + ": the woken actor never ran");
                micros[round] = TimeUnit.NANOSECONDS.toMicros(delivery.nanoTime() - Long.parseLong(delivery.key()));
                Thread.sleep(60); // the long turn ends
            }
            long[] sorted = micros.clone();
            java.util.Arrays.sort(sorted);
            long median = sorted[sorted.length / 2];
            assertTrue(median < 5_000, "the woken actor ran a median " + median + " µs after it was woken;"
                    + " all (µs) " + java.util.Arrays.toString(micros));
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
