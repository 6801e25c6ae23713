package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spinoff.benchmarks.SavinaLogisticMap.Params;
import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class SavinaLogisticMapTest {

    private static final Params SMALL = new Params(2_000, 10, 3.46, 0.0025);

    @Test
    void spinoffMatchesTheSequentialComputation() {
        try (ActorSystem system = SpinoffActors.system("savina-logmap-test", 64)) {
            assertEquals(SavinaLogisticMap.expected(SMALL), SavinaLogisticMap.runSpinoff(system, SMALL));
        }
    }

    @Test
    void pekkoMatchesTheSequentialComputation() {
        var system = PekkoActors.system("savina-logmap-test", "fj-64");
        try {
            assertEquals(SavinaLogisticMap.expected(SMALL), SavinaLogisticMap.runPekko(system, SMALL));
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void baselineMatchesTheSequentialComputation() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            assertEquals(SavinaLogisticMap.expected(SMALL), SavinaLogisticMap.runBaseline(pool, SMALL));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void checkRejectsAWrongSum() {
        double expected = SavinaLogisticMap.expected(SMALL);
        assertThrows(IllegalStateException.class, () -> SavinaLogisticMap.check(SMALL, Math.nextUp(expected)));
    }
}
