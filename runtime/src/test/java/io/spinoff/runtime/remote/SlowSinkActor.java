package io.spinoff.runtime.remote;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;

/**
 * Takes each message slowly ({@link #nanosPerMessage}, parked) and checks the order: a sequence
 * number not above the last one is a duplicate or out of order. Its counters are written on its
 * turns and read by other threads (volatile, one writer).
 */
public final class SlowSinkActor extends io.spinoff.runtime.Actor implements SlowSink {
    private final long nanosPerMessage;
    volatile long taken;
    volatile long outOfOrder;
    volatile long last = -1;

    public SlowSinkActor(long nanosPerMessage) {
        this.nanosPerMessage = nanosPerMessage;
    }

    @Override
    public void take(long seq, String payload) {
        if (nanosPerMessage > 0) {
            LockSupport.parkNanos(nanosPerMessage);
        }
        if (seq <= last) {
            outOfOrder = outOfOrder + 1;
        }
        last = seq;
        taken = taken + 1;
    }

    @Override
    public CompletionStage<Long> taken() {
        return CompletableFuture.completedFuture(taken);
    }
}
