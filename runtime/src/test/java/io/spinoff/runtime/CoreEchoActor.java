package io.spinoff.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Implements {@link CoreEcho}. */
public final class CoreEchoActor extends Actor implements CoreEcho {
    private int total;

    @Override
    public CompletionStage<String> echo(String text) {
        return CompletableFuture.completedFuture("echo:" + text);
    }

    @Override
    public void add(int by) {
        total += by;
    }

    @Override
    public CompletionStage<Integer> total() {
        return CompletableFuture.completedFuture(total);
    }

    @Override
    public CompletionStage<String> explode(String message) {
        throw new CoreFailure(message);
    }

    @Override
    public void crash(String message) {
        throw new CoreFailure(message);
    }

    @Override
    public CompletionStage<String> failLater(String message, long delayMillis) {
        if (delayMillis <= 0) {
            return CompletableFuture.failedFuture(new CoreFailure(message));
        }
        CompletableFuture<String> reply = new CompletableFuture<>();
        CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS)
                .execute(() -> reply.completeExceptionally(new CoreFailure(message)));
        return reply;
    }

    @Override
    public CompletionStage<String> nothing() {
        return null;
    }

    @Override
    public CompletionStage<String> never() {
        return new CompletableFuture<>();
    }

    @Override
    public CompletionStage<String> neverWithin700Millis() {
        return new CompletableFuture<>();
    }

    @Override
    public CompletionStage<String> neverWithinOneSecond() {
        return new CompletableFuture<>();
    }
}
