package io.spinoff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Fairness (SPEC §3, scheduling): carriers kept busy for ever by conversations that never end
 * (perpetual ping-pong pairs, more of them than carriers) must still serve work that comes from
 * outside the pool: timer firings, tells from a process and asks from a non-actor thread. The
 * probe is bounded in time; it asserts that every outside message is served, and soon.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CoreFairnessTest {

    /** Bounces the ball back for ever, until the game is over. */
    static final class PerpetualPlayer extends Actor implements CorePing {
        private final AtomicBoolean over;
        private final LongAdder bounces;
        private CorePing self;

        PerpetualPlayer(AtomicBoolean over, LongAdder bounces) {
            this.over = over;
            this.bounces = bounces;
        }

        @Override
        protected void preStart() {
            self = context().self(CorePing.class);
        }

        @Override
        public void ball(int remaining, CorePing partner) {
            bounces.increment();
            if (!over.get()) {
                partner.ball(remaining, self);
            }
        }
    }

    private static final int PAIRS = 16;
    private static final int OUTSIDE_ASKS = 20;
    private static final int PROCESS_TELLS = 20;
    private static final long BOUND_MILLIS = 100;

    @ParameterizedTest(name = "same-carrier hand-off {0}")
    @ValueSource(booleans = {true, false})
    void outsideWorkIsServedWhileEveryCarrierRunsAConversationThatNeverEnds(boolean handOff) throws Exception {
        try {
            probe(handOff);
        } catch (SlowerThanTheBound first) {
            // Starvation (an ask or tell never served) fails at once. A probe merely slowed past the
            // bound, as a pause of the whole machine (another process, a GC) can do on a shared
            // 2-core host, is run once more; a second slow run fails.
            System.out.println("fairness probe slower than the bound once, probing again: " + first.getMessage());
            probe(handOff);
        }
    }

    /** A served message that took longer than {@link #BOUND_MILLIS}. */
    private static final class SlowerThanTheBound extends AssertionError {
        private static final long serialVersionUID = 1L;

        SlowerThanTheBound(String message) {
            super(message);
        }
    }

    private static void withinBound(long millis, String message) {
        if (millis >= BOUND_MILLIS) {
            throw new SlowerThanTheBound(message);
        }
    }

    private void probe(boolean handOff) throws Exception {
        AtomicBoolean over = new AtomicBoolean();
        LongAdder bounces = new LongAdder();
        BlockingQueue<CoreTickerActor.Delivery> ticks = new LinkedBlockingQueue<>();
        BlockingQueue<CoreTickerActor.Delivery> told = new LinkedBlockingQueue<>();
        try (ActorSystem system = ActorSystem.builder("fairness").parallelism(2).throughput(64)
                .sameCarrierHandOff(handOff).build()) {
            try {
                CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
                CoreTicker timer = system.spawn(CoreTicker.class, () -> new CoreTickerActor(ticks), "timer");
                CoreTicker sink = system.spawn(CoreTicker.class, () -> new CoreTickerActor(told), "sink");
                for (int i = 0; i < PAIRS; i++) {
                    CorePing left = system.spawn(CorePing.class, () -> new PerpetualPlayer(over, bounces));
                    CorePing right = system.spawn(CorePing.class, () -> new PerpetualPlayer(over, bounces));
                    left.ball(0, right);
                }
                // Let the pairs saturate both carriers before anything comes from outside.
                long saturated = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                while (System.nanoTime() - saturated < 0) {
                    Thread.sleep(10);
                }
                long bouncesBefore = bounces.sum();

                timer.startAtFixedRate("probe", 1, 1);
                // A process tells the sink every 5 ms; each tell carries its send time.
                system.spawnProcess(() -> new Process() {
                    @Override
                    protected void run() throws Exception {
                        CoreTicker target = sink;
                        for (int i = 0; i < PROCESS_TELLS; i++) {
                            target.tick(Long.toString(System.nanoTime()));
                            sleep(Duration.ofMillis(5));
                        }
                    }
                }, "teller");

                // This (non-actor) thread asks the idle echo actor, one ask at a time.
                List<Long> askMillis = new ArrayList<>();
                int answered = 0;
                for (int i = 0; i < OUTSIDE_ASKS; i++) {
                    long start = System.nanoTime();
                    try {
                        assertEquals("echo:" + i, echo.echo(Integer.toString(i)).toCompletableFuture()
                                .get(2, TimeUnit.SECONDS));
                        answered++;
                    } catch (TimeoutException | ExecutionException e) {
                        // counted as unanswered below
                    }
                    askMillis.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
                    Thread.sleep(5);
                }
                assertEquals(OUTSIDE_ASKS, answered, "outside asks answered within 2 s; each took (ms) " + askMillis);
                long slowest = askMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
                withinBound(slowest, "the slowest outside ask took " + slowest + " ms; all (ms) " + askMillis);

                List<Long> tellMillis = new ArrayList<>();
                for (int i = 0; i < PROCESS_TELLS; i++) {
                    CoreTickerActor.Delivery delivery = told.poll(2, TimeUnit.SECONDS);
                    assertTrue(delivery != null, "only " + i + " of " + PROCESS_TELLS + " tells from the process were"
                            + " delivered within 2 s; latencies (ms) " + tellMillis);
                    tellMillis.add(TimeUnit.NANOSECONDS.toMillis(delivery.nanoTime() - Long.parseLong(delivery.key())));
                }
                long slowestTell = tellMillis.stream().mapToLong(Long::longValue).max().orElseThrow();
                withinBound(slowestTell, "the slowest tell from the process took " + slowestTell
                        + " ms; all (ms) " + tellMillis);

                // The 1 ms timer kept firing all along: no gap between two firings came near the bound.
                List<CoreTickerActor.Delivery> fired = new ArrayList<>();
                ticks.drainTo(fired);
                assertTrue(fired.size() >= 20, "the 1 ms timer fired only " + fired.size() + " times");
                long widestGap = 0;
                for (int i = 1; i < fired.size(); i++) {
                    widestGap = Math.max(widestGap, fired.get(i).nanoTime() - fired.get(i - 1).nanoTime());
                }
                withinBound(TimeUnit.NANOSECONDS.toMillis(widestGap), "the 1 ms timer went "
                        + TimeUnit.NANOSECONDS.toMillis(widestGap) + " ms without firing");

                System.out.printf("fairness probe, hand-off %s: outside asks (ms) %s; process tells (ms) %s;"
                        + " timer firings %d, widest gap %d ms; bounces %d%n", handOff, askMillis, tellMillis,
                        fired.size(), TimeUnit.NANOSECONDS.toMillis(widestGap), bounces.sum() - bouncesBefore);
                // And the pairs kept playing: the carriers really were saturated.
                assertTrue(bounces.sum() - bouncesBefore > 10_000, "the pairs bounced only "
                        + (bounces.sum() - bouncesBefore) + " times during the probe");
            } finally {
                over.set(true);
            }
        }
    }
}
