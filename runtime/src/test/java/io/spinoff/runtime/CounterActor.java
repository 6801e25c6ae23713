package io.spinoff.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A counter. */
public final class CounterActor extends Actor implements Counter {
    private int count;

    @Override
    public void increment(int by) {
        count += by;
    }

    @Override
    public CompletionStage<Integer> get() {
        return CompletableFuture.completedFuture(count);
    }

    @Override
    public CompletableFuture<Void> reset() {
        count = 0;
        return CompletableFuture.completedFuture(null);
    }
}
