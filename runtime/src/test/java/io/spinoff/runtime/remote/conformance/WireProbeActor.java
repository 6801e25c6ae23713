package io.spinoff.runtime.remote.conformance;

import io.spinoff.runtime.Actor;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Implements {@link WireProbe}; what it records goes to a queue the test reads. */
public final class WireProbeActor extends Actor implements WireProbe {
    private final BlockingQueue<String> recorded;

    public WireProbeActor(BlockingQueue<String> recorded) {
        this.recorded = recorded;
    }

    @Override
    public void crash(String message) {
        throw new IllegalStateException(message);
    }

    @Override
    public CompletionStage<String> echo(String text) {
        return CompletableFuture.completedFuture("echo:" + text);
    }

    @Override
    public CompletionStage<String> explode(String message) {
        throw new IllegalStateException(message);
    }

    @Override
    public void forward(String text, WireSink replyTo) {
        replyTo.text(text);
    }

    @Override
    public CompletionStage<String> never() {
        return new CompletableFuture<>();
    }

    @Override
    public CompletionStage<Void> ping() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public void quit() {
        context().stop(context().self());
    }

    @Override
    public void record(String text) {
        recorded.add(text);
    }
}
