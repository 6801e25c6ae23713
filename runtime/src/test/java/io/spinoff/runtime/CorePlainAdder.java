package io.spinoff.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A plain class, not extending {@link Actor}, that implements a protocol. */
public final class CorePlainAdder implements CoreAdder {
    private int sum;

    @Override
    public void add(int by) {
        sum += by;
    }

    @Override
    public CompletionStage<Integer> sum() {
        return CompletableFuture.completedFuture(sum);
    }
}
