package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.spinoff.benchmarks.SavinaProducerConsumer.Outcome;
import io.spinoff.benchmarks.SavinaProducerConsumer.Params;
import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class SavinaProducerConsumerTest {

    private static final Params SMALL = new Params(50, 40, 40, 50, 2, 2);
    private static final long ITEMS = 40 * 50;

    @Test
    void spinoffConsumesEveryItemOnce() {
        try (ActorSystem system = SpinoffActors.system("savina-prodcons-test", 64)) {
            assertEquals(ITEMS, SavinaProducerConsumer.runSpinoff(system, SMALL));
        }
    }

    @Test
    void pekkoConsumesEveryItemOnce() {
        var system = PekkoActors.system("savina-prodcons-test", "fj-64");
        try {
            assertEquals(ITEMS, SavinaProducerConsumer.runPekko(system, SMALL));
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void baselineConsumesEveryItemOnce() {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            assertEquals(ITEMS, SavinaProducerConsumer.runBaseline(pool, SMALL));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void checkRejectsALostOrDuplicatedItem() {
        Outcome expected = SavinaProducerConsumer.expected(SMALL);
        assertEquals(ITEMS, SavinaProducerConsumer.check(SMALL, expected));
        assertThrows(IllegalStateException.class,
                () -> SavinaProducerConsumer.check(SMALL, new Outcome(expected.items() - 1, expected.checksum())));
        assertThrows(IllegalStateException.class,
                () -> SavinaProducerConsumer.check(SMALL, new Outcome(expected.items(), expected.checksum() + 1)));
    }
}
