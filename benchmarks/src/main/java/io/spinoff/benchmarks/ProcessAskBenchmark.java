package io.spinoff.benchmarks;

import io.spinoff.benchmarks.Protocols.Echo;
import io.spinoff.benchmarks.Protocols.Sink;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.Process;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
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
 * The round trip of an ask made by a {@link Process} and awaited with {@code await}, with an empty
 * mailbox and with 10,000 unrelated messages queued in it (which the process never receives).
 * Waiting for a reply must not scan the mailbox, so the two should be within 20% of each other.
 *
 * <p>Each invocation hands the process a batch of asks through a plain queue (not its mailbox, so
 * that the hand-off itself scans nothing), the process makes them one after the other, and the
 * invocation waits for the batch to finish.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 10, time = 2)
public class ProcessAskBenchmark {

    static final int ASKS = 1_000;

    /** A process making asks on request. */
    public static final class Asker extends Process {
        private final LinkedBlockingQueue<CompletableFuture<Void>> batches;
        private final Echo echo;

        Asker(LinkedBlockingQueue<CompletableFuture<Void>> batches, Echo echo) {
            this.batches = batches;
            this.echo = echo;
        }

        @Override
        protected void run() throws Exception {
            while (true) {
                CompletableFuture<Void> batch = batches.take();
                for (int i = 0; i < ASKS; i++) {
                    await(echo.echo(i), Duration.ofSeconds(10));
                }
                batch.complete(null);
            }
        }
    }

    /** The system, the echo actor and the asking process with its queued messages. */
    @State(Scope.Benchmark)
    public static class Setting {
        @Param({"0", "10000"})
        int queued;
        ActorSystem system;
        final LinkedBlockingQueue<CompletableFuture<Void>> batches = new LinkedBlockingQueue<>();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            system = ActorSystem.builder("process-ask").parallelism(2).throughput(64).build();
            Echo echo = system.spawn(Echo.class, SpinoffActors.Echoer::new, "echo");
            var asker = system.spawnProcess(() -> new Asker(batches, echo), "asker");
            Sink unrelated = Protocols_SinkProtocol.INSTANCE.proxy(asker);
            for (int i = 0; i < queued; i++) {
                unrelated.hit();
            }
            // Let the unrelated messages reach the process's mailbox before measuring.
            CompletableFuture<Void> warm = new CompletableFuture<>();
            batches.put(warm);
            warm.get(30, TimeUnit.SECONDS);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            system.close();
        }
    }

    /** @return the round trip of one ask from a process, awaited */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @OperationsPerInvocation(ASKS)
    public void processAsk(Setting setting) throws Exception {
        CompletableFuture<Void> batch = new CompletableFuture<>();
        setting.batches.put(batch);
        batch.get(60, TimeUnit.SECONDS);
    }
}
