package io.spinoff.benchmarks;

import io.spinoff.runtime.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The systems every Savina benchmark runs on, one per trial: Spinoff on 2 threads with each
 * messages-per-turn setting of {@link SpinoffActors#THROUGHPUTS}, Pekko on 2 threads with each
 * executor setting of {@link PekkoActors#EXECUTORS}. A benchmark's {@code spinoff} and
 * {@code pekko} methods take them as JMH state, so each result names its setting.
 */
public final class SavinaSystems {

    private SavinaSystems() {}

    /** A Spinoff system for one trial. */
    @State(Scope.Benchmark)
    public static class SpinoffState {
        @Param({"5", "64", "256"})
        int throughput;
        ActorSystem system;

        @Setup(Level.Trial)
        public void setUp() {
            system = SpinoffActors.system("savina", throughput);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            system.close();
        }
    }

    /** A Pekko system for one trial. */
    @State(Scope.Benchmark)
    public static class PekkoState {
        @Param({"fj-5", "fj-64", "fj-256", "affinity"})
        String executor;
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system;

        @Setup(Level.Trial)
        public void setUp() {
            system = PekkoActors.system("savina", executor);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            PekkoActors.terminate(system);
        }
    }
}
