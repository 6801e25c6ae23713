package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.junit.jupiter.api.Test;

class ScalingBenchmarkTest {

    static final int ACTORS = 100;
    static final int ROUNDS = 3;

    @Test
    void everySpinoffWorkerAcknowledgesEachRound() {
        try (ActorSystem system = SpinoffActors.system("scaling-test", 64)) {
            ScalingBenchmark.Worker[] workers = ScalingBenchmark.spawnSpinoff(system, ACTORS);
            for (int round = 0; round < ROUNDS; round++) {
                assertEquals(ACTORS, ScalingBenchmark.runSpinoff(workers));
            }
        }
    }

    @Test
    void everyPekkoWorkerAcknowledgesEachRound() {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system =
                PekkoActors.system("scaling-test", "fj-64");
        try {
            ActorRef<ScalingBenchmark.Ping>[] workers = ScalingBenchmark.spawnPekko(system, ACTORS);
            for (int round = 0; round < ROUNDS; round++) {
                assertEquals(ACTORS, ScalingBenchmark.runPekko(workers));
            }
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void aWorkerAcknowledgingTwiceInsteadOfAnotherFailsTheRound() {
        ScalingBenchmark.Round round = new ScalingBenchmark.Round(3);
        round.ack(0);
        round.ack(1);
        round.ack(1);
        IllegalStateException failure = assertThrows(IllegalStateException.class, round::await);
        assertTrue(failure.getMessage().contains("expected the workers' indexes to sum to 3, got 2"),
                failure.getMessage());
    }
}
