package io.spinoff.benchmarks;

import io.spinoff.runtime.internal.dispatch.MpscLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ceiling of tell throughput: the same handoff as {@code tellSpinoff}, one producer thread to
 * one consumer thread through the same lock-free queue, with no actors, no scheduling and a
 * consumer that spins instead of parking.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class QueueCeiling {

    /** A consumer thread spinning on the queue. */
    @State(Scope.Benchmark)
    public static class Handoff {
        final MpscLinkedQueue<Object> queue = new MpscLinkedQueue<>();
        volatile CountDownLatch done;
        volatile boolean running = true;
        Thread consumer;

        @Setup(Level.Trial)
        public void setUp() {
            consumer = new Thread(() -> {
                int received = 0;
                while (running) {
                    if (queue.poll() != null) {
                        if (++received == ActorBenchmarks.TELLS) {
                            received = 0;
                            done.countDown();
                        }
                    } else {
                        Thread.onSpinWait();
                    }
                }
            }, "ceiling-consumer");
            consumer.setDaemon(true);
            consumer.start();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            running = false;
            consumer.join();
        }
    }

    /** @return items per second handed from one thread to another */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(ActorBenchmarks.TELLS)
    public void queueHandoff(Handoff state) {
        CountDownLatch latch = new CountDownLatch(1);
        state.done = latch;
        Object item = Boolean.TRUE;
        for (int i = 0; i < ActorBenchmarks.TELLS; i++) {
            state.queue.offer(item);
        }
        ActorBenchmarks.await(latch);
    }
}
