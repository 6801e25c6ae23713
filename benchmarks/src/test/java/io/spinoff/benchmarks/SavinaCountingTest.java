package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spinoff.runtime.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.junit.jupiter.api.Test;

/** Runs {@link SavinaCounting} once on each side with few increments, and checks its result check. */
class SavinaCountingTest {

    private static final SavinaCounting.Params SMALL = new SavinaCounting.Params(10_000);

    @Test
    void spinoffCountsEveryIncrement() {
        try (ActorSystem system = SpinoffActors.system("savina-counting-test", 64)) {
            assertEquals(10_000, SavinaCounting.runSpinoff(system, SMALL));
            assertEquals(10_000, SavinaCounting.runSpinoff(system, SMALL));
        }
    }

    @Test
    void pekkoCountsEveryIncrement() {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system =
                PekkoActors.system("savina-counting-test", "fj-64");
        try {
            assertEquals(10_000, SavinaCounting.runPekko(system, SMALL));
            assertEquals(10_000, SavinaCounting.runPekko(system, SMALL));
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void aWrongCountIsRejected() {
        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> SavinaCounting.check(SMALL, 9_999));
        assertEquals("SavinaCounting: expected a count of 10000, got 9999", wrong.getMessage());
    }
}
