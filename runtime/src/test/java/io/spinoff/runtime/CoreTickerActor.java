package io.spinoff.runtime;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Implements {@link CoreTicker}; every {@code tick} goes to a queue the test reads. */
public final class CoreTickerActor extends Actor implements CoreTicker {

    /** A timer message handled by the actor. */
    public record Delivery(String key, long nanoTime) {}

    private final BlockingQueue<Delivery> deliveries;

    public CoreTickerActor(BlockingQueue<Delivery> deliveries) {
        this.deliveries = deliveries;
    }

    @Override
    public void startOnce(String key, long delayMillis) {
        context().timers().startSingleTimer(key, new CoreTickerMessage.Tick(key), Duration.ofMillis(delayMillis));
    }

    @Override
    public void startAtFixedRate(String key, long initialDelayMillis, long intervalMillis) {
        context().timers().startTimerAtFixedRate(key, new CoreTickerMessage.Tick(key),
                Duration.ofMillis(initialDelayMillis), Duration.ofMillis(intervalMillis));
    }

    @Override
    public void cancel(String key) {
        context().timers().cancel(key);
    }

    @Override
    public void tick(String key) {
        deliveries.add(new Delivery(key, System.nanoTime()));
    }

    @Override
    public void crash() {
        throw new CoreFailure("crash");
    }

    @Override
    public CompletionStage<Boolean> isActive(String key) {
        return CompletableFuture.completedFuture(context().timers().isTimerActive(key));
    }

    @Override
    public CompletionStage<Void> startForeignTimer(boolean otherProtocol) {
        Object message = otherProtocol ? new CounterMessage.Increment(1) : "not a message";
        context().timers().startSingleTimer("foreign", message, Duration.ofMillis(10));
        return CompletableFuture.completedFuture(null);
    }
}
