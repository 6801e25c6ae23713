package com.example.hello;

import io.spinoff.runtime.Actor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Keeps the count. It handles one message at a time, so its field needs no lock. */
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
}
