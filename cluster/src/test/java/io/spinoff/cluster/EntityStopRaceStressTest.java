package io.spinoff.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Sends racing an entity's stop of its own: a send that passes the stopping actor's "terminated?"
 * check just before its last drain lands in its mailbox after that drain. Such a message must
 * still reach the next activation before anything sent after it. Many short rounds (a quit, then
 * a burst of asks of random length) for a bounded time, with other threads keeping the machine
 * busy so that the sender is often preempted inside the window.
 */
class EntityStopRaceStressTest {

    private static final Duration RUN = Duration.ofSeconds(Long.getLong("stress.seconds", 12));

    @Test
    void asksRacingTheStopKeepTheirOrder() {
        assertTimeoutPreemptively(RUN.plusSeconds(78), this::rounds);
    }

    private void rounds() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> busy = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            busy.add(Thread.ofPlatform().daemon().start(() -> {
                while (!stop.get()) {
                    Thread.onSpinWait();
                }
            }));
        }
        ActivationLog log = new ActivationLog();
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            Cluster alpha = nodes.member("alpha");
            alpha.entities(Tally.class).host(id -> new TallyActor(id, log));
            Tally tally = alpha.entity(Tally.class, "t");
            assertEquals(1L, tally.add(1).toCompletableFuture().get(10, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + RUN.toNanos();
            int rounds = 0;
            while (System.nanoTime() - deadline < 0) {
                tally.quit();
                int burst = 1 + ThreadLocalRandom.current().nextInt(400);
                List<CompletableFuture<Long>> asks = new ArrayList<>(burst);
                for (int i = 0; i < burst; i++) {
                    asks.add(tally.add(1).toCompletableFuture());
                }
                List<Long> answers = new ArrayList<>(burst);
                for (int i = 0; i < burst; i++) {
                    answers.add(asks.get(i).get(10, TimeUnit.SECONDS));
                }
                for (int i = 0; i < burst; i++) {
                    assertEquals(i + 1L, answers.get(i), "round " + rounds + " (" + burst + " asks): each ask answered"
                            + " once, in order, by the next activation; the first answers: "
                            + answers.subList(0, Math.min(20, burst)));
                }
                rounds++;
            }
            // Thousands of stops a second here; a run too slow to race the stop often proves little.
            assertTrue(rounds >= 1_000, "only " + rounds + " rounds ran in " + RUN.toSeconds() + " s");
            assertEquals(rounds + 1, log.activations(), "one activation, then one after each quit");
            assertEquals(List.of(), log.violations());
        } finally {
            stop.set(true);
        }
    }
}
