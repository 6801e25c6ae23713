package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.runtime.ActorSystem;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Fork-join throughput over many actors: {@code actors} workers are spawned once per trial; one
 * invocation (a round) sends one message to every worker from the benchmark thread, each worker
 * does a tiny fixed computation (Savina's fork-join {@code performComputation}: the square of
 * {@code sin(37.2)}, checked to be positive) and acknowledges on a counter shared by the round,
 * and the round ends when all have acknowledged. The round checks that every worker acknowledged
 * exactly once (the sum of the workers' indexes). Parameters: {@code actors} {10, 1000, 100000,
 * 1000000}; Spinoff's messages per turn {@code throughput} {5, 64, 256}; Pekko's
 * {@code executor} {fj-5, fj-64, fj-256, affinity}; both pools have 2 threads. The JVM gets a
 * 4 GB heap for the million actors.
 *
 * <p>Score: JMH throughput in rounds per second; the secondary result {@code messages} is the
 * same in messages (workers reached) per second. No baseline: the computation is a few
 * nanoseconds, so there is only the messaging to compare.
 *
 * <p>{@link #main} measures the heap the idle workers retain, for both frameworks, and prints CSV
 * {@code framework,n,retained_bytes,bytes_per_actor}: heap used after a full GC with the workers
 * spawned and held by the benchmark (the actors and the array of their references), minus heap
 * used after a full GC before, as in {@link HeapPerActor}. At 10 actors the difference is within
 * the noise of the heap's own bookkeeping; it is printed as measured. Run it with a 4 GB heap:
 * {@code java -Xms4g -Xmx4g -cp benchmarks.jar io.spinoff.benchmarks.ScalingBenchmark}, or name
 * the counts: {@code ... ScalingBenchmark 1000 100000}.
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms4g", "-Xmx4g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ScalingBenchmark {

    static final long TIMEOUT_SECONDS = 60;
    static final long TERMINATION_SECONDS = 180;
    static final int[] HEAP_COUNTS = {10, 1_000, 100_000, 1_000_000};

    /** A worker of the Spinoff side; local, since a round is shared in memory. */
    @ActorProtocol(local = true)
    public interface Worker {
        /** Computes, then acknowledges on {@code round}. */
        void ping(Round round);
    }

    /**
     * One round: counts the acknowledgements down and sums the workers' indexes; safe to call from
     * any thread.
     */
    static final class Round {
        private final int actors;
        private final AtomicInteger remaining;
        private final LongAdder indexes = new LongAdder();
        private final CountDownLatch done = new CountDownLatch(1);

        Round(int actors) {
            this.actors = actors;
            this.remaining = new AtomicInteger(actors);
        }

        void ack(int index) {
            indexes.add(index);
            if (remaining.decrementAndGet() == 0) {
                done.countDown();
            }
        }

        /**
         * @return the number of workers that acknowledged, once all have
         * @throws IllegalStateException if not all acknowledged in time, or not each exactly once
         */
        int await() {
            try {
                if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Scaling: expected " + actors + " acknowledgements within "
                            + TIMEOUT_SECONDS + " s, got " + (actors - remaining.get()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return check(actors, indexes.sum());
        }
    }

    /**
     * @return {@code actors}, if {@code indexSum} is 0 + 1 + … + (actors − 1)
     * @throws IllegalStateException otherwise
     */
    static int check(int actors, long indexSum) {
        long expected = (long) actors * (actors - 1) / 2;
        if (indexSum != expected) {
            throw new IllegalStateException("Scaling: expected the workers' indexes to sum to " + expected
                    + ", got " + indexSum);
        }
        return actors;
    }

    /** Savina's fork-join computation: the square of sin(37.2), which must be positive. */
    static double compute() {
        double sine = Math.sin(37.2);
        double result = sine * sine;
        if (result <= 0) {
            throw new IllegalStateException("Scaling: expected a positive square, got " + result);
        }
        return result;
    }

    // ------------------------------------------------------------------ Spinoff

    static final class SpinoffWorker implements Worker {
        private final int index;

        SpinoffWorker(int index) {
            this.index = index;
        }

        @Override
        public void ping(Round round) {
            compute();
            round.ack(index);
        }
    }

    /** @return {@code actors} new workers on {@code system}, worker {@code i} with index {@code i} */
    static Worker[] spawnSpinoff(ActorSystem system, int actors) {
        Worker[] workers = new Worker[actors];
        for (int i = 0; i < actors; i++) {
            int index = i;
            workers[i] = system.spawn(Worker.class, () -> new SpinoffWorker(index));
        }
        return workers;
    }

    /** @return the checked number of workers reached by one round */
    static int runSpinoff(Worker[] workers) {
        Round round = new Round(workers.length);
        for (Worker worker : workers) {
            worker.ping(round);
        }
        return round.await();
    }

    // ------------------------------------------------------------------ Pekko

    record Ping(Round round) {}

    /** Asks the spawner for {@code count} workers, indexed from 0. */
    record SpawnWorkers(int count, ActorRef<List<ActorRef<Ping>>> replyTo) {}

    static Behavior<Ping> pekkoWorker(int index) {
        return Behaviors.receiveMessage(ping -> {
            compute();
            ping.round().ack(index);
            return Behaviors.same();
        });
    }

    /** The parent of the workers: spawns them and replies with their references. */
    static Behavior<SpawnWorkers> pekkoSpawner() {
        return Behaviors.setup(context -> Behaviors.receiveMessage(request -> {
            List<ActorRef<Ping>> workers = new ArrayList<>(request.count());
            for (int i = 0; i < request.count(); i++) {
                workers.add(context.spawnAnonymous(pekkoWorker(i)));
            }
            request.replyTo().tell(workers);
            return Behaviors.same();
        }));
    }

    /** @return {@code actors} new workers on {@code system}, children of a new spawner */
    static ActorRef<Ping>[] spawnPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system,
                                       int actors) {
        return spawnPekko(system, PekkoActors.spawn(system, pekkoSpawner(), "spawner"), actors);
    }

    /** @return {@code actors} new workers, children of {@code spawner} */
    @SuppressWarnings("unchecked")
    static ActorRef<Ping>[] spawnPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system,
                                       ActorRef<SpawnWorkers> spawner, int actors) {
        Duration timeout = Duration.ofSeconds(TIMEOUT_SECONDS);
        try {
            List<ActorRef<Ping>> workers = AskPattern.<SpawnWorkers, List<ActorRef<Ping>>>ask(spawner,
                            replyTo -> new SpawnWorkers(actors, replyTo), timeout, system.scheduler())
                    .toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (workers.size() != actors) {
                throw new IllegalStateException("Scaling: expected " + actors + " workers, got " + workers.size());
            }
            return workers.toArray(ActorRef[]::new);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (Exception e) {
            throw new IllegalStateException("Scaling: expected " + actors + " workers, got " + e, e);
        }
    }

    /** @return the checked number of workers reached by one round */
    static int runPekko(ActorRef<Ping>[] workers) {
        Round round = new Round(workers.length);
        Ping ping = new Ping(round);
        for (ActorRef<Ping> worker : workers) {
            worker.tell(ping);
        }
        return round.await();
    }

    // ------------------------------------------------------------------ states

    /** Spinoff workers, spawned once per trial. */
    @State(Scope.Benchmark)
    public static class SpinoffState {
        @Param({"5", "64", "256"})
        int throughput;
        @Param({"10", "1000", "100000", "1000000"})
        int actors;
        ActorSystem system;
        Worker[] workers;

        @Setup(Level.Trial)
        public void setUp() {
            system = SpinoffActors.system("latency-scaling", throughput);
            workers = spawnSpinoff(system, actors);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            workers = null;
            system.close();
        }
    }

    /** Pekko workers, spawned once per trial. */
    @State(Scope.Benchmark)
    public static class PekkoState {
        @Param({"fj-5", "fj-64", "fj-256", "affinity"})
        String executor;
        @Param({"10", "1000", "100000", "1000000"})
        int actors;
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system;
        ActorRef<Ping>[] workers;

        @Setup(Level.Trial)
        public void setUp() {
            system = PekkoActors.system("latency-scaling", executor);
            workers = spawnPekko(system, actors);
        }

        /**
         * Terminates the system, allowing {@value ScalingBenchmark#TERMINATION_SECONDS} s: stopping a million
         * children takes Pekko longer than the 30 s of {@link PekkoActors#terminate} on a loaded
         * machine.
         */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            workers = null;
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(TERMINATION_SECONDS, TimeUnit.SECONDS);
        }
    }

    /** The workers reached per iteration, reported by JMH as messages per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Messages {
        public long messages;

        @Setup(Level.Iteration)
        public void reset() {
            messages = 0;
        }
    }

    // ------------------------------------------------------------------ benchmarks

    /** One round over the Spinoff workers; the score is rounds per second. */
    @Benchmark
    public int spinoff(SpinoffState state, Messages counter) {
        int reached = runSpinoff(state.workers);
        counter.messages += reached;
        return reached;
    }

    /** One round over the Pekko workers; the score is rounds per second. */
    @Benchmark
    public int pekko(PekkoState state, Messages counter) {
        int reached = runPekko(state.workers);
        counter.messages += reached;
        return reached;
    }

    // ------------------------------------------------------------------ idle heap

    /** The heap retained by idle workers. */
    record Retained(String framework, int actors, long bytes) {
        String csv() {
            return String.format(Locale.ROOT, "%s,%d,%d,%.1f", framework, actors, bytes, bytes / (double) actors);
        }
    }

    /**
     * Prints, as CSV, the heap retained by idle workers for both frameworks.
     *
     * @param args the worker counts; none for 10, 1000, 100000 and 1000000
     * @throws Exception if a system does not start or stop
     */
    public static void main(String[] args) throws Exception {
        int[] counts = args.length == 0 ? HEAP_COUNTS
                : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("framework,n,retained_bytes,bytes_per_actor");
        for (int actors : counts) {
            System.out.println(retainedSpinoff(actors).csv());
            System.out.println(retainedPekko(actors).csv());
        }
    }

    /** @return the heap retained by {@code actors} idle Spinoff workers and the array holding them */
    static Retained retainedSpinoff(int actors) throws InterruptedException {
        try (ActorSystem system = SpinoffActors.system("latency-heap", 64)) {
            runSpinoff(spawnSpinoff(system, 1));
            long before = HeapPerActor.usedAfterGc();
            Worker[] workers = spawnSpinoff(system, actors);
            long after = HeapPerActor.usedAfterGc();
            Reference.reachabilityFence(workers);
            return new Retained("spinoff", actors, after - before);
        }
    }

    /** @return the heap retained by {@code actors} idle Pekko workers and the array holding them */
    static Retained retainedPekko(int actors) throws Exception {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system =
                PekkoActors.system("latency-heap", "fj-64");
        try {
            ActorRef<SpawnWorkers> spawner = PekkoActors.spawn(system, pekkoSpawner(), "spawner");
            runPekko(spawnPekko(system, spawner, 1));
            long before = HeapPerActor.usedAfterGc();
            ActorRef<Ping>[] workers = spawnPekko(system, spawner, actors);
            long after = HeapPerActor.usedAfterGc();
            Reference.reachabilityFence(workers);
            return new Retained("pekko", actors, after - before);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(TERMINATION_SECONDS, TimeUnit.SECONDS);
        }
    }
}
