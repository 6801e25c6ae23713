package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spinoff.benchmarks.SavinaBank.Outcome;
import io.spinoff.benchmarks.SavinaBank.Params;
import io.spinoff.runtime.ActorSystem;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SavinaBankTest {

    private static final Params SMALL = new Params(100, 5_000);

    @Test
    void spinoffCompletesEveryTransactionAndKeepsTheTotal() {
        try (ActorSystem system = SpinoffActors.system("savina-banking-test", 64)) {
            assertEquals(SMALL.initialBalance() * SMALL.accounts(), SavinaBank.runSpinoff(system, SMALL));
        }
    }

    @Test
    void pekkoCompletesEveryTransactionAndKeepsTheTotal() {
        var system = PekkoActors.system("savina-banking-test", "fj-64");
        try {
            assertEquals(SMALL.initialBalance() * SMALL.accounts(), SavinaBank.runPekko(system, SMALL));
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void checkRejectsAMissingTransactionAndAWrongBalance() {
        long[] expected = SavinaBank.expected(SMALL);
        assertEquals(SMALL.initialBalance() * SMALL.accounts(), SavinaBank.check(SMALL, new Outcome(5_000, expected)));
        assertThrows(IllegalStateException.class, () -> SavinaBank.check(SMALL, new Outcome(4_999, expected)));
        long[] moved = Arrays.copyOf(expected, expected.length);
        moved[0] -= 1;
        moved[1] += 1;
        assertThrows(IllegalStateException.class, () -> SavinaBank.check(SMALL, new Outcome(5_000, moved)));
        long[] lost = Arrays.copyOf(expected, expected.length);
        lost[0] -= 1;
        assertThrows(IllegalStateException.class, () -> SavinaBank.check(SMALL, new Outcome(5_000, lost)));
    }
}
