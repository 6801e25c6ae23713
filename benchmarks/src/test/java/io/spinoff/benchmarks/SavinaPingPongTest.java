package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spinoff.runtime.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.junit.jupiter.api.Test;

/** Runs {@link SavinaPingPong} once on each side with few pings, and checks its result check. */
class SavinaPingPongTest {

    private static final SavinaPingPong.Params SMALL = new SavinaPingPong.Params(1_000);

    @Test
    void spinoffAnswersEveryPing() {
        try (ActorSystem system = SpinoffActors.system("savina-ping-pong-test", 64)) {
            assertEquals(1_000, SavinaPingPong.runSpinoff(system, SMALL));
            assertEquals(1_000, SavinaPingPong.runSpinoff(system, SMALL));
        }
    }

    @Test
    void pekkoAnswersEveryPing() {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system =
                PekkoActors.system("savina-ping-pong-test", "fj-64");
        try {
            assertEquals(1_000, SavinaPingPong.runPekko(system, SMALL));
            assertEquals(1_000, SavinaPingPong.runPekko(system, SMALL));
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void aWrongCountIsRejected() {
        IllegalStateException wrong = assertThrows(IllegalStateException.class, () -> SavinaPingPong.check(SMALL, 999));
        assertEquals("SavinaPingPong: expected 1000 pongs, got 999", wrong.getMessage());
    }
}
