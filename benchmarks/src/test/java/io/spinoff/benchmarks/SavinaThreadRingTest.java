package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spinoff.benchmarks.SavinaThreadRing.Params;
import io.spinoff.runtime.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.junit.jupiter.api.Test;

/** SavinaThreadRing on small parameters: each side completes a run with the expected result. */
class SavinaThreadRingTest {

    private static final Params SMALL = new Params(10, 1_000);

    @Test
    void spinoffRunCountsPings() {
        try (ActorSystem system = SpinoffActors.system("threadring-test", 64)) {
            assertEquals(1001, SavinaThreadRing.runSpinoff(system, SMALL));
            assertEquals(1001, SavinaThreadRing.runSpinoff(system, SMALL), "a second run on the same system");
        }
    }

    @Test
    void pekkoRunCountsPings() {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system =
                PekkoActors.system("threadring-test", "fj-64");
        try {
            assertEquals(1001, SavinaThreadRing.runPekko(system, SMALL));
            assertEquals(1001, SavinaThreadRing.runPekko(system, SMALL), "a second run on the same system");
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void checkRejectsAWrongResult() {
        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> SavinaThreadRing.check(SMALL, 1000));
        assertEquals("Thread Ring: expected 1001 pings, got 1000", wrong.getMessage());
    }
}
