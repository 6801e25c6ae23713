package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spinoff.benchmarks.SavinaBig.Params;
import io.spinoff.runtime.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.junit.jupiter.api.Test;

/** SavinaBig on small parameters: each side completes a run with the expected result. */
class SavinaBigTest {

    private static final Params SMALL = new Params(200, 10);

    @Test
    void spinoffRunCountsPongs() {
        try (ActorSystem system = SpinoffActors.system("big-test", 64)) {
            assertEquals(2000, SavinaBig.runSpinoff(system, SMALL));
            assertEquals(2000, SavinaBig.runSpinoff(system, SMALL), "a second run on the same system");
        }
    }

    @Test
    void pekkoRunCountsPongs() {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system =
                PekkoActors.system("big-test", "fj-64");
        try {
            assertEquals(2000, SavinaBig.runPekko(system, SMALL));
            assertEquals(2000, SavinaBig.runPekko(system, SMALL), "a second run on the same system");
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void checkRejectsAWrongResult() {
        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> SavinaBig.check(SMALL, 1999));
        assertEquals("Big: expected 2000 pongs, got 1999", wrong.getMessage());
    }
}
