package io.spinoff.benchmarks;

import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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

    /**
     * Waits for one run to finish, at most 60 s.
     *
     * @param benchmark the benchmark's name, for the errors
     * @return what the run gave
     * @throws IllegalStateException naming the benchmark if the run failed, took longer or the
     *     wait was interrupted
     */
    static <T> T await(String benchmark, Future<T> done) {
        try {
            return done.get(60, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(benchmark + ": the run did not finish within 60 s", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(benchmark + ": the run failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(benchmark + ": interrupted while waiting for the run", e);
        }
    }

    /** What the actors of one run leave: each adds its count as it stops. Any thread. */
    static final class Outcome {
        private final CountDownLatch stopped;
        private final AtomicLong total = new AtomicLong();

        Outcome(int actors) {
            stopped = new CountDownLatch(actors);
        }

        void stopped(long count) {
            total.addAndGet(count);
            stopped.countDown();
        }

        /** @return the sum of the counts, once every actor has stopped (at most 60 s) */
        long await() {
            ActorBenchmarks.await(stopped);
            return total.get();
        }
    }

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

    /** A pool of 2 platform threads for a trial of a plain-Java baseline. */
    @State(Scope.Benchmark)
    public static class BaselineState {
        ExecutorService pool;

        @Setup(Level.Trial)
        public void setUp() {
            pool = Executors.newFixedThreadPool(2);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.shutdownNow();
        }
    }
}
