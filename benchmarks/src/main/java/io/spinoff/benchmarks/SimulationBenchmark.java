package io.spinoff.benchmarks;

import io.spinoff.api.ActorRef;
import io.spinoff.benchmarks.Protocols.Echo;
import io.spinoff.benchmarks.Protocols.PingPong;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.ActorSystemBuilder;
import io.spinoff.runtime.Process;
import io.spinoff.runtime.Simulation;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What a deterministic simulation ({@link Simulation}, the test kit's {@code TestKit.deterministic})
 * costs against the dispatcher, so that users know what exploring a thousand seeds takes: the same
 * work run by the dispatcher (2 carriers, 64 messages per turn) and by a simulation (every turn,
 * of one message, and every process step on the benchmark's thread, each picked by the seeded
 * generator among those ready). Two workloads: actor ping-pong (1 and 8 pairs), and a process
 * that asks an actor and awaits each reply (each step of the process is a hand-over between its
 * virtual thread and the driver).
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SimulationBenchmark {

    static final int BOUNCES = 160_000;
    static final int ASKS = 1_000;

    /** Runs the work that is queued: the simulation's steps, or a wait for the dispatcher. */
    @State(Scope.Benchmark)
    public static class Mode {
        @Param({"dispatcher", "simulation"})
        String runner;
        ActorSystem system;
        Simulation simulation;

        ActorSystemBuilder builder(String name) {
            ActorSystemBuilder builder = ActorSystem.builder(name).jmx(false);
            if (runner.equals("simulation")) {
                simulation = Simulation.create(42);
                return builder.simulation(simulation);
            }
            return builder.parallelism(2).throughput(64);
        }

        /** Runs until the latch is down, or fails. */
        void finish(CountDownLatch latch) {
            if (simulation != null) {
                simulation.runUntilIdle();
                if (latch.getCount() != 0) {
                    throw new IllegalStateException("The simulation went idle with " + latch.getCount() + " rallies unfinished");
                }
            } else {
                ActorBenchmarks.await(latch);
            }
        }

        /** Runs until the future is done, or fails. */
        void finish(CompletableFuture<?> future) throws Exception {
            if (simulation != null) {
                simulation.runUntilIdle();
                if (!future.isDone()) {
                    throw new IllegalStateException("The simulation went idle before the batch of asks was done");
                }
            }
            future.get(60, TimeUnit.SECONDS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            system.close();
        }
    }

    /** Actor pairs bouncing a ball. */
    @State(Scope.Benchmark)
    public static class Rallies extends Mode {
        @Param({"1", "8"})
        int pairs;
        PingPong[] left;
        PingPong[] right;
        final AtomicReference<CountDownLatch> done = new AtomicReference<>();

        @Setup(Level.Trial)
        public void setUp() {
            system = builder("simulated-pingpong").build();
            left = new PingPong[pairs];
            right = new PingPong[pairs];
            for (int i = 0; i < pairs; i++) {
                left[i] = system.spawn(PingPong.class, () -> new SpinoffActors.Player(done));
                right[i] = system.spawn(PingPong.class, () -> new SpinoffActors.Player(done));
            }
        }
    }

    /** A process that makes a batch of asks, awaiting each reply, whenever it receives a future. */
    public static final class Asker extends Process {
        private final Echo echo;

        Asker(Echo echo) {
            this.echo = echo;
        }

        @Override
        protected void run() throws Exception {
            while (true) {
                CompletableFuture<?> batch = receive(CompletableFuture.class);
                for (int i = 0; i < ASKS; i++) {
                    await(echo.echo(i), Duration.ofSeconds(10));
                }
                batch.complete(null);
            }
        }
    }

    /** The asking process and the actor it asks. */
    @State(Scope.Benchmark)
    public static class Asks extends Mode {
        ActorRef<Object> asker;

        @Setup(Level.Trial)
        public void setUp() {
            system = builder("simulated-asks").build();
            Echo echo = system.spawn(Echo.class, SpinoffActors.Echoer::new, "echo");
            asker = system.spawnProcess(() -> new Asker(echo), "asker");
        }
    }

    /** @return messages per second across all pairs */
    @Benchmark
    @BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(BOUNCES)
    public void pingPong(Rallies state) {
        CountDownLatch latch = new CountDownLatch(state.pairs);
        state.done.set(latch);
        int bounces = BOUNCES / state.pairs;
        for (int i = 0; i < state.pairs; i++) {
            state.left[i].ball(bounces, state.right[i]);
        }
        state.finish(latch);
    }

    /** @return asks per second, each awaited by the process before the next */
    @Benchmark
    @BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(ASKS)
    public void processAsk(Asks state) throws Exception {
        CompletableFuture<Void> batch = new CompletableFuture<>();
        state.asker.tell(batch);
        state.finish(batch);
    }
}
