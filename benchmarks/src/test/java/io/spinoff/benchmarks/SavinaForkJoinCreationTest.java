package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link SavinaForkJoinCreation} once on each side and as the baseline with few actors, and
 * checks its result check.
 */
class SavinaForkJoinCreationTest {

    private static final SavinaForkJoinCreation.Params SMALL = new SavinaForkJoinCreation.Params(1_000, 37.2);

    @Test
    void spinoffActorsEachCompute() {
        try (ActorSystem system = SpinoffActors.system("savina-fj-creation-test", 64)) {
            assertEquals(1_000, SavinaForkJoinCreation.runSpinoff(system, SMALL));
            assertEquals(1_000, SavinaForkJoinCreation.runSpinoff(system, SMALL));
        }
    }

    @Test
    void pekkoActorsEachCompute() {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system =
                PekkoActors.system("savina-fj-creation-test", "fj-64");
        try {
            assertEquals(1_000, SavinaForkJoinCreation.runPekko(system, SMALL));
            assertEquals(1_000, SavinaForkJoinCreation.runPekko(system, SMALL));
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void theBaselineDoesEveryComputation() {
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            assertEquals(1_000, SavinaForkJoinCreation.runBaseline(pool, SMALL));
        }
    }

    @Test
    void aWrongCountIsRejected() {
        IllegalStateException wrong =
                assertThrows(IllegalStateException.class, () -> SavinaForkJoinCreation.check(SMALL, 999));
        assertEquals("SavinaForkJoinCreation: expected 1000 computations, got 999", wrong.getMessage());
    }
}
