package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Runs one invocation of each Spinoff cluster benchmark on the nodes JMH would set up with the
 * default parameters (every tell acknowledged, nothing lost, the activation count checked at the
 * end of the trial), and checks that parameters the cluster benchmarks do not use are refused.
 */
class ClusterBenchmarksTest {

    @Test
    void everyClusterBenchmarkRunsOnceWithTheDefaults() throws Exception {
        ClusterBenchmarks.ClusterNodes nodes = withDefaults(new ClusterBenchmarks.ClusterNodes());
        ClusterBenchmarks benchmarks = new ClusterBenchmarks();
        nodes.setUp();
        try {
            benchmarks.entityTell(nodes);
            assertEquals(nodes.window, nodes.credits.availablePermits(), "every tell to the entity was acknowledged");
            benchmarks.directTell(nodes);
            assertEquals(nodes.window, nodes.credits.availablePermits(), "every tell to the plain actor was acknowledged");
            ClusterBenchmarks.PairTimes times = new ClusterBenchmarks.PairTimes();
            benchmarks.pairedTell(nodes, times);
            benchmarks.pairedTell(nodes, times);
            assertEquals(nodes.window, nodes.credits.availablePermits(), "every paired tell was acknowledged");
            assertTrue(times.entityNanos > 0 && times.directNanos > 0, "both paths timed: " + times.entityNanos
                    + " ns to the entity, " + times.directNanos + " ns to the plain actor");
            times.reset();
            assertEquals(0, times.entityNanos + times.directNanos, "a new iteration starts from zero");
            assertEquals(42, benchmarks.entityAsk(nodes));
            assertEquals(42, benchmarks.directAsk(nodes));
            assertEquals(42, benchmarks.entityActivation(nodes));
            assertTrue(benchmarks.registryLookup(nodes) != null, "the registered name was found");
        } finally {
            nodes.tearDown();
        }
    }

    @Test
    void moreThanOneSenderOrPeerIsRefused() {
        ClusterBenchmarks.ClusterNodes nodes = withDefaults(new ClusterBenchmarks.ClusterNodes());
        nodes.senders = 8;
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, nodes::setUp);
        assertTrue(refused.getMessage().startsWith("Cluster benchmarks send from one thread to one hosting node"),
                refused.getMessage());
    }

    /** @return {@code nodes} with the parameters JMH gives by default: 100-byte payloads, a window of 20,000, 1 sender, 1 peer */
    private static ClusterBenchmarks.ClusterNodes withDefaults(ClusterBenchmarks.ClusterNodes nodes) {
        return RemoteBenchmarks.SendingSide.with(nodes, 100, RemoteBenchmarks.WINDOW, 1, 1);
    }
}
