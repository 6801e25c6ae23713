package io.spinoff.benchmarks;

import io.spinoff.runtime.internal.dispatch.MpscLinkedQueue;
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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ceiling of tell throughput from one sender: the sender's part alone. One thread offers
 * {@link ActorBenchmarks#TELLS} items into the lock-free queue of an actor's mailbox, with nothing
 * consuming them while it does (the queue is emptied after each invocation, outside the measured
 * time). Every tell does at least this (plus its message record, the proxy call and the wake-up of
 * a carrier), so one sender's tell rate cannot exceed it: the share {@code tellSpinoff / enqueue}
 * is at most 1, and a share far below it says how much the rest of the path costs.
 *
 * <p>An earlier ceiling, a consumer thread spinning on the queue, was beaten by the thing it was to
 * bound: a consumer taking each item as it comes makes the two threads fight over the queue's
 * cache lines, while an actor's turn drains a batch at a time.
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class QueueCeiling {

    /** The queue, emptied after each invocation. */
    @State(Scope.Thread)
    public static class Mailbox {
        final MpscLinkedQueue<Object> queue = new MpscLinkedQueue<>();

        @TearDown(Level.Invocation)
        public void drain() {
            int taken = 0;
            while (queue.poll() != null) {
                taken++;
            }
            if (taken != ActorBenchmarks.TELLS) {
                throw new IllegalStateException("enqueue ceiling: expected " + ActorBenchmarks.TELLS
                        + " items in the queue, found " + taken);
            }
        }
    }

    /** @return items per second one thread offers into the mailbox's queue */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(ActorBenchmarks.TELLS)
    public void enqueue(Mailbox mailbox) {
        MpscLinkedQueue<Object> queue = mailbox.queue;
        Object item = Boolean.TRUE;
        for (int i = 0; i < ActorBenchmarks.TELLS; i++) {
            queue.offer(item);
        }
    }
}
