package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link SavinaForkJoinThroughput} once on each side and as the baseline with few actors and
 * messages, and checks its result check.
 */
class SavinaForkJoinThroughputTest {

    private static final SavinaForkJoinThroughput.Params SMALL = new SavinaForkJoinThroughput.Params(6, 500, 37.2);

    @Test
    void spinoffHandlesEveryMessage() {
        try (ActorSystem system = SpinoffActors.system("savina-fj-throughput-test", 64)) {
            assertEquals(3_000, SavinaForkJoinThroughput.runSpinoff(system, SMALL));
            assertEquals(3_000, SavinaForkJoinThroughput.runSpinoff(system, SMALL));
        }
    }

    @Test
    void pekkoHandlesEveryMessage() {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system =
                PekkoActors.system("savina-fj-throughput-test", "fj-64");
        try {
            assertEquals(3_000, SavinaForkJoinThroughput.runPekko(system, SMALL));
            assertEquals(3_000, SavinaForkJoinThroughput.runPekko(system, SMALL));
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void theBaselineDoesEveryComputation() {
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            assertEquals(3_000, SavinaForkJoinThroughput.runBaseline(pool, SMALL));
        }
    }

    @Test
    void aWrongCountIsRejected() {
        IllegalStateException wrong =
                assertThrows(IllegalStateException.class, () -> SavinaForkJoinThroughput.check(SMALL, 2_999));
        assertEquals("SavinaForkJoinThroughput: expected 3000 messages handled, got 2999", wrong.getMessage());
    }
}
