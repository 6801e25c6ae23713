package io.spinoff.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An entity may stop itself: what was sent to it after it decided to stop goes to its next
 * activation, as after a passivation, rather than back into the mailbox of the actor stopping.
 */
class EntityStopsItselfTest {

    private final ActivationLog log = new ActivationLog();

    @Test
    void whatAnEntityLeavesWhenItStopsItselfGoesToItsNextActivation() {
        // Preemptive: the defect this guards against kept the stopping actor's thread busy for ever.
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            try (ClusterTestSupport nodes = new ClusterTestSupport()) {
                Cluster alpha = nodes.member("alpha");
                alpha.entities(Tally.class).host(id -> new TallyActor(id, log));
                Tally tally = alpha.entity(Tally.class, "t");
                assertEquals(1L, tally.add(1).toCompletableFuture().get(10, TimeUnit.SECONDS));
                for (int round = 0; round < 10; round++) {
                    tally.quit();
                    // Sent right after the quit and while the actor stops: some wait in its mailbox, others
                    // reach the router once the entity is stopping; their order must hold across both.
                    List<CompletableFuture<Long>> asks = new ArrayList<>();
                    for (int i = 0; i < 5_000; i++) {
                        asks.add(tally.add(1).toCompletableFuture());
                    }
                    for (int i = 0; i < asks.size(); i++) {
                        assertEquals(i + 1L, asks.get(i).get(10, TimeUnit.SECONDS),
                                "round " + round + ": each ask answered once, in order, by the next activation");
                    }
                }
                assertEquals(11, log.activations(), "one activation, then one after each quit");
                assertEquals(List.of(), log.violations());
            }
        });
    }
}
