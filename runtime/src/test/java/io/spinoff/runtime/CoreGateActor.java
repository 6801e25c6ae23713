package io.spinoff.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Implements {@link CoreGate}: {@code hold} counts down {@code entered}, then waits for {@code release}. */
public final class CoreGateActor extends Actor implements CoreGate {
    private final CountDownLatch entered;
    private final CountDownLatch release;
    private int pings;

    public CoreGateActor(CountDownLatch entered, CountDownLatch release) {
        this.entered = entered;
        this.release = release;
    }

    @Override
    public CompletionStage<Void> hold() {
        entered.countDown();
        try {
            if (!release.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The gate was not released within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void ping() {
        pings++;
    }

    @Override
    public CompletionStage<Integer> pings() {
        return CompletableFuture.completedFuture(pings);
    }
}
