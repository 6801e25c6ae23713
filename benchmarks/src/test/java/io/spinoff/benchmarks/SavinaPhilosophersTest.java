package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.benchmarks.SavinaPhilosophers.Outcome;
import io.spinoff.benchmarks.SavinaPhilosophers.Params;
import io.spinoff.runtime.ActorSystem;
import org.junit.jupiter.api.Test;

class SavinaPhilosophersTest {

    private static final Params SMALL = new Params(20, 500);

    @Test
    void spinoffPhilosophersEatEveryRound() {
        try (ActorSystem system = SpinoffActors.system("savina-philosophers-test", 64)) {
            assertTrue(SavinaPhilosophers.runSpinoff(system, SMALL) >= 0);
        }
    }

    @Test
    void pekkoPhilosophersEatEveryRound() {
        var system = PekkoActors.system("savina-philosophers-test", "fj-64");
        try {
            assertTrue(SavinaPhilosophers.runPekko(system, SMALL) >= 0);
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void checkRejectsAMissingMeal() {
        assertEquals(7, SavinaPhilosophers.check(SMALL, new Outcome(10_000, 7)));
        assertThrows(IllegalStateException.class, () -> SavinaPhilosophers.check(SMALL, new Outcome(9_999, 7)));
    }
}
