package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spinoff.benchmarks.SavinaFibonacci.Params;
import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.ForkJoinPool;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.junit.jupiter.api.Test;

/** SavinaFibonacci on small parameters: each side completes a run with the expected result. */
class SavinaFibonacciTest {

    private static final Params SMALL = new Params(12);

    @Test
    void spinoffRunCountsFib() {
        try (ActorSystem system = SpinoffActors.system("fibonacci-test", 64)) {
            assertEquals(144, SavinaFibonacci.runSpinoff(system, SMALL));
            assertEquals(144, SavinaFibonacci.runSpinoff(system, SMALL), "a second run on the same system");
        }
    }

    @Test
    void pekkoRunCountsFib() {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system =
                PekkoActors.system("fibonacci-test", "fj-64");
        try {
            assertEquals(144, SavinaFibonacci.runPekko(system, SMALL));
            assertEquals(144, SavinaFibonacci.runPekko(system, SMALL), "a second run on the same system");
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void baselineComputesFib() {
        ForkJoinPool pool = new ForkJoinPool(2);
        try {
            assertEquals(144, SavinaFibonacci.runBaseline(pool, SMALL));
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void checkRejectsAWrongResult() {
        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> SavinaFibonacci.check(SMALL, 143));
        assertEquals("Fibonacci: expected fib(12) = 144, got 143", wrong.getMessage());
    }
}
