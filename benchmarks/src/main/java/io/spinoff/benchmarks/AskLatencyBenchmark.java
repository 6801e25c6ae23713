package io.spinoff.benchmarks;

import io.spinoff.benchmarks.Protocols.Echo;
import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
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
 * The round trip of one local ask from a non-actor thread (the benchmark thread) to an actor that
 * answers at once, and back: on Spinoff a call of a protocol method returning a
 * {@code CompletionStage} ({@link Echo#echo(int)}), on Pekko {@link AskPattern#ask}; the caller
 * blocks on the reply. JMH sample time gives the distribution (p50, p90, p99, p99.9, p99.99, max)
 * in µs. Each reply is checked against the value asked. Parameters: Spinoff's messages per turn
 * {@code throughput} {5, 64, 256}; Pekko's {@code executor} {fj-5, fj-64, fj-256, affinity}; both
 * pools have 2 threads. No baseline: there is no work per message, only the messaging.
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class AskLatencyBenchmark {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /**
     * @return {@code reply}, once it has come and equals {@code value}
     * @throws IllegalStateException if the reply is another value, failed or did not come in time
     */
    static int awaitReply(CompletionStage<Integer> reply, int value) {
        int got;
        try {
            got = reply.toCompletableFuture().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Ask: expected the reply " + value + ", got " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (got != value) {
            throw new IllegalStateException("Ask: expected the reply " + value + ", got " + got);
        }
        return got;
    }

    /** @return the checked reply of one Spinoff ask */
    static int askSpinoff(Echo echo, int value) {
        return awaitReply(echo.echo(value), value);
    }

    /** @return the checked reply of one Pekko ask */
    static int askPekko(org.apache.pekko.actor.typed.ActorSystem<?> system, ActorRef<PekkoActors.Echo> echo,
                        int value) {
        return awaitReply(AskPattern.ask(echo, replyTo -> new PekkoActors.Echo(value, replyTo), TIMEOUT,
                system.scheduler()), value);
    }

    /** A Spinoff actor answering asks, spawned once per trial. */
    @State(Scope.Benchmark)
    public static class SpinoffState {
        @Param({"5", "64", "256"})
        int throughput;
        ActorSystem system;
        Echo echo;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            system = SpinoffActors.system("latency-ask", throughput);
            echo = system.spawn(Echo.class, SpinoffActors.Echoer::new, "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            system.close();
        }
    }

    /** A Pekko actor answering asks, spawned once per trial. */
    @State(Scope.Benchmark)
    public static class PekkoState {
        @Param({"fj-5", "fj-64", "fj-256", "affinity"})
        String executor;
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system;
        ActorRef<PekkoActors.Echo> echo;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            system = PekkoActors.system("latency-ask", executor);
            echo = PekkoActors.spawn(system, PekkoActors.echoer(), "echo");
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            PekkoActors.terminate(system);
        }
    }

    /** One Spinoff ask and its reply; the sample is the round trip. */
    @Benchmark
    public int spinoff(SpinoffState state) {
        return askSpinoff(state.echo, state.next++);
    }

    /** One Pekko ask and its reply; the sample is the round trip. */
    @Benchmark
    public int pekko(PekkoState state) {
        return askPekko(state.system, state.echo, state.next++);
    }
}
