package io.spinoff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ActorSystemSmokeTest {
    @Test
    void counterCounts() throws Exception {
        try (ActorSystem system = ActorSystem.create("smoke")) {
            Counter counter = system.spawn(Counter.class, CounterActor::new, "counter");
            for (int i = 0; i < 1000; i++) {
                counter.increment(1);
            }
            assertEquals(1000, counter.get().toCompletableFuture().get(5, TimeUnit.SECONDS));
            counter.reset().get(5, TimeUnit.SECONDS);
            assertEquals(0, counter.get().toCompletableFuture().get(5, TimeUnit.SECONDS));
        }
    }
}
