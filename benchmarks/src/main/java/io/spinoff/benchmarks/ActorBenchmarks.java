package io.spinoff.benchmarks;

import io.spinoff.benchmarks.Protocols.Echo;
import io.spinoff.benchmarks.Protocols.PingPong;
import io.spinoff.benchmarks.Protocols.Sink;
import io.spinoff.benchmarks.Protocols.Spawner;
import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
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
 * Spinoff and Pekko (typed) side by side, same JVM flags, both on a pool of 2 threads handling up
 * to 64 messages per turn. Each benchmark has a {@code spinoff} and a {@code pekko} method doing
 * the same work; the script {@code run-benchmarks.sh} turns the results into ratios.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ActorBenchmarks {

    static final int TOTAL_BOUNCES = 160_000;
    static final int TELLS = 100_000;
    static final int SPAWNS = 10_000;

    static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The benchmark's actors did not finish within 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ ping-pong

    /** Spinoff actor pairs. */
    @State(Scope.Benchmark)
    public static class SpinoffPingPong {
        @Param({"1", "8"})
        int pairs;
        ActorSystem system;
        PingPong[] left;
        PingPong[] right;
        final AtomicReference<CountDownLatch> done = new AtomicReference<>();

        @Setup(Level.Trial)
        public void setUp() {
            system = ActorSystem.builder("pingpong").parallelism(2).throughput(64).build();
            left = new PingPong[pairs];
            right = new PingPong[pairs];
            for (int i = 0; i < pairs; i++) {
                left[i] = system.spawn(PingPong.class, () -> new SpinoffActors.Player(done));
                right[i] = system.spawn(PingPong.class, () -> new SpinoffActors.Player(done));
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            system.close();
        }
    }

    /** Pekko actor pairs. */
    @State(Scope.Benchmark)
    public static class PekkoPingPong {
        @Param({"1", "8"})
        int pairs;
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system;
        ActorRef<PekkoActors.Ball>[] left;
        ActorRef<PekkoActors.Ball>[] right;
        final AtomicReference<CountDownLatch> done = new AtomicReference<>();

        @Setup(Level.Trial)
        @SuppressWarnings("unchecked")
        public void setUp() {
            system = PekkoActors.system("pingpong");
            left = new ActorRef[pairs];
            right = new ActorRef[pairs];
            for (int i = 0; i < pairs; i++) {
                left[i] = PekkoActors.spawn(system, PekkoActors.player(done), "left" + i);
                right[i] = PekkoActors.spawn(system, PekkoActors.player(done), "right" + i);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            PekkoActors.terminate(system);
        }
    }

    /** @return messages per second across all pairs */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TOTAL_BOUNCES)
    public void pingPongSpinoff(SpinoffPingPong state) {
        CountDownLatch latch = new CountDownLatch(state.pairs);
        state.done.set(latch);
        int bounces = TOTAL_BOUNCES / state.pairs;
        for (int i = 0; i < state.pairs; i++) {
            state.left[i].ball(bounces, state.right[i]);
        }
        await(latch);
    }

    /** @return messages per second across all pairs */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TOTAL_BOUNCES)
    public void pingPongPekko(PekkoPingPong state) {
        CountDownLatch latch = new CountDownLatch(state.pairs);
        state.done.set(latch);
        int bounces = TOTAL_BOUNCES / state.pairs;
        for (int i = 0; i < state.pairs; i++) {
            state.left[i].tell(new PekkoActors.Ball(bounces, state.right[i]));
        }
        await(latch);
    }

    // ------------------------------------------------------------------ tell throughput

    /** One Spinoff actor receiving tells. */
    @State(Scope.Benchmark)
    public static class SpinoffSink {
        ActorSystem system;
        Sink sink;
        final AtomicReference<CountDownLatch> done = new AtomicReference<>();

        @Setup(Level.Trial)
        public void setUp() {
            system = ActorSystem.builder("tell").parallelism(2).throughput(64).build();
            sink = system.spawn(Sink.class, () -> new SpinoffActors.Counter(done, TELLS), "sink");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            system.close();
        }
    }

    /** One Pekko actor receiving tells. */
    @State(Scope.Benchmark)
    public static class PekkoSink {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system;
        ActorRef<PekkoActors.Hit> sink;
        final AtomicReference<CountDownLatch> done = new AtomicReference<>();

        @Setup(Level.Trial)
        public void setUp() {
            system = PekkoActors.system("tell");
            sink = PekkoActors.spawn(system, PekkoActors.counter(done, TELLS), "sink");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            PekkoActors.terminate(system);
        }
    }

    /** @return tells per second from one non-actor thread to one actor */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TELLS)
    public void tellSpinoff(SpinoffSink state) {
        CountDownLatch latch = new CountDownLatch(1);
        state.done.set(latch);
        Sink sink = state.sink;
        for (int i = 0; i < TELLS; i++) {
            sink.hit();
        }
        await(latch);
    }

    /** @return tells per second from one non-actor thread to one actor */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(TELLS)
    public void tellPekko(PekkoSink state) {
        CountDownLatch latch = new CountDownLatch(1);
        state.done.set(latch);
        ActorRef<PekkoActors.Hit> sink = state.sink;
        for (int i = 0; i < TELLS; i++) {
            sink.tell(PekkoActors.Hit.INSTANCE);
        }
        await(latch);
    }

    // ------------------------------------------------------------------ ask round trip

    /** A Spinoff actor answering asks. */
    @State(Scope.Benchmark)
    public static class SpinoffEcho {
        ActorSystem system;
        Echo echo;

        @Setup(Level.Trial)
        public void setUp() {
            system = ActorSystem.builder("ask").parallelism(2).throughput(64).build();
            echo = system.spawn(Echo.class, SpinoffActors.Echoer::new, "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            system.close();
        }
    }

    /** A Pekko actor answering asks. */
    @State(Scope.Benchmark)
    public static class PekkoEcho {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system;
        ActorRef<PekkoActors.Echo> echo;

        @Setup(Level.Trial)
        public void setUp() {
            system = PekkoActors.system("ask");
            echo = PekkoActors.spawn(system, PekkoActors.echoer(), "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            PekkoActors.terminate(system);
        }
    }

    /** @return the round trip of one ask from a non-actor thread */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int askSpinoff(SpinoffEcho state) throws Exception {
        return state.echo.echo(42).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** @return the round trip of one ask from a non-actor thread */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int askPekko(PekkoEcho state) throws Exception {
        return AskPattern.<PekkoActors.Echo, Integer>ask(state.echo, replyTo -> new PekkoActors.Echo(42, replyTo),
                        Duration.ofSeconds(10), state.system.scheduler())
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ spawn and stop

    /** A Spinoff parent that spawns and stops children. */
    @State(Scope.Benchmark)
    public static class SpinoffSpawner {
        ActorSystem system;
        Spawner spawner;
        final AtomicReference<CountDownLatch> done = new AtomicReference<>();

        @Setup(Level.Trial)
        public void setUp() {
            system = ActorSystem.builder("spawn").parallelism(2).throughput(64).build();
            spawner = system.spawn(Spawner.class, () -> new SpinoffActors.Parent(done), "spawner");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            system.close();
        }
    }

    /** A Pekko parent that spawns and stops children. */
    @State(Scope.Benchmark)
    public static class PekkoSpawner {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system;
        ActorRef<PekkoActors.SpawnAndStop> spawner;
        final AtomicReference<CountDownLatch> done = new AtomicReference<>();

        @Setup(Level.Trial)
        public void setUp() {
            system = PekkoActors.system("spawn");
            spawner = PekkoActors.spawn(system, PekkoActors.parent(done), "spawner");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            PekkoActors.terminate(system);
        }
    }

    /** @return short-lived actors spawned and stopped per second */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(SPAWNS)
    public void spawnStopSpinoff(SpinoffSpawner state) {
        CountDownLatch latch = new CountDownLatch(SPAWNS);
        state.done.set(latch);
        state.spawner.spawnAndStop(SPAWNS);
        await(latch);
    }

    /** @return short-lived actors spawned and stopped per second */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(SPAWNS)
    public void spawnStopPekko(PekkoSpawner state) {
        CountDownLatch latch = new CountDownLatch(SPAWNS);
        state.done.set(latch);
        state.spawner.tell(new PekkoActors.SpawnAndStop(SPAWNS));
        await(latch);
    }
}
