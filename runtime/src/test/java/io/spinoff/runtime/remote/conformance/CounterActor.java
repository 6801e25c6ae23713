package io.spinoff.runtime.remote.conformance;

import io.spinoff.runtime.Actor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Implements {@link Counter}. */
public final class CounterActor extends Actor implements Counter {
    private int count;

    @Override
    public void add(int amount) {
        count += amount;
    }

    @Override
    public CompletionStage<Integer> get() {
        return CompletableFuture.completedFuture(count);
    }
}
