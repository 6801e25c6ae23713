package io.spinoff.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An actor with two protocols sharing one state. In {@code preStart} it hands its own proxies, and
 * the outcome of asking for a protocol it does not implement, to {@code views}.
 */
public final class CoreDualActor extends Actor implements CoreAdder, CoreReader {

    /** What the actor saw of itself in {@code preStart}. */
    public record Views(CoreAdder adder, CoreReader reader, String address, Throwable foreignSelfFailure) {}

    private final CompletableFuture<Views> views;
    private int sum;

    public CoreDualActor(CompletableFuture<Views> views) {
        this.views = views;
    }

    @Override
    protected void preStart() {
        Throwable foreign = null;
        try {
            context().self(Counter.class);
        } catch (Throwable e) {
            foreign = e;
        }
        views.complete(new Views(context().self(CoreAdder.class), context().self(CoreReader.class),
                context().address(), foreign));
    }

    @Override
    public void add(int by) {
        sum += by;
    }

    @Override
    public CompletionStage<Integer> sum() {
        return CompletableFuture.completedFuture(sum);
    }

    @Override
    public CompletionStage<Integer> read() {
        return CompletableFuture.completedFuture(sum);
    }
}
