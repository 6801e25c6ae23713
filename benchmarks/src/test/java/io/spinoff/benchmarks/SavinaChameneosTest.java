package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spinoff.benchmarks.SavinaChameneos.Params;
import io.spinoff.runtime.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.junit.jupiter.api.Test;

/** SavinaChameneos on small parameters: each side completes a run with the expected result. */
class SavinaChameneosTest {

    private static final Params SMALL = new Params(10, 1_000);

    @Test
    void spinoffRunCountsMeetings() {
        try (ActorSystem system = SpinoffActors.system("chameneos-test", 64)) {
            assertEquals(2000, SavinaChameneos.runSpinoff(system, SMALL));
            assertEquals(2000, SavinaChameneos.runSpinoff(system, SMALL), "a second run on the same system");
        }
    }

    @Test
    void pekkoRunCountsMeetings() {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system =
                PekkoActors.system("chameneos-test", "fj-64");
        try {
            assertEquals(2000, SavinaChameneos.runPekko(system, SMALL));
            assertEquals(2000, SavinaChameneos.runPekko(system, SMALL), "a second run on the same system");
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void checkRejectsAWrongResult() {
        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> SavinaChameneos.check(SMALL, 1999));
        assertEquals("Chameneos: expected 2000 meetings, got 1999", wrong.getMessage());
    }
}
