package io.spinoff.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An actor whose {@code postStop} takes as long as the test wants: it counts down {@code stopping},
 * waits for {@code release}, then sets {@code stopped}.
 */
public final class CoreSlowStopActor extends Actor implements CoreAdder {
    private final CountDownLatch stopping;
    private final CountDownLatch release;
    private final AtomicBoolean stopped;
    private int sum;

    public CoreSlowStopActor(CountDownLatch stopping, CountDownLatch release, AtomicBoolean stopped) {
        this.stopping = stopping;
        this.release = release;
        this.stopped = stopped;
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
    protected void postStop() throws InterruptedException {
        stopping.countDown();
        if (release.await(4, TimeUnit.SECONDS)) {
            stopped.set(true);
        }
    }
}
