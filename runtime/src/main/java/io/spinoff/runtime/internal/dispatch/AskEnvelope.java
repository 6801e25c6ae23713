package io.spinoff.runtime.internal.dispatch;

import io.spinoff.api.AskTimeoutException;
import io.spinoff.runtime.internal.observe.FlightEvents;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A message that expects a reply, with the promise of that reply and its deadline. It is the
 * mailbox item and the ask-timeout entry at once, so an ask allocates no more. Not API.
 *
 * <p>The promise is completed at most once, by whichever comes first: the reply, the failure, the
 * timeout or the dead-letter path; {@link CompletableFuture} makes the race safe.
 */
public final class AskEnvelope {

    public final Object message;
    public final CompletableFuture<Object> promise;
    final long deadlineNanos;
    final long timeoutMillis;
    final String recipient;
    /** The ask's slot in the ask-timeout heap, or -1; read and written under {@link AskTimeouts}' monitor. */
    int heapIndex = -1;

    /** @return when the ask times out, on the system's clock */
    public long deadlineNanos() {
        return deadlineNanos;
    }

    public AskEnvelope(Object message, CompletableFuture<Object> promise, long deadlineNanos, long timeoutMillis, String recipient) {
        this.message = message;
        this.promise = promise;
        this.deadlineNanos = deadlineNanos;
        this.timeoutMillis = timeoutMillis;
        this.recipient = recipient;
    }

    /** @return the message */
    public Object message() {
        return message;
    }

    /** @return the promise of the reply */
    public CompletableFuture<Object> promise() {
        return promise;
    }

    public void fail(Throwable cause) {
        promise.completeExceptionally(cause);
    }

    /**
     * Fails the ask with {@link AskTimeoutException}. Any thread; runs the caller's callbacks, so
     * not on the scheduler thread.
     */
    void timeOut() {
        FlightEvents.askTimedOut(recipient, message, timeoutMillis);
        promise.completeExceptionally(new AskTimeoutException("Ask " + describe(message) + " to " + recipient
                + " got no reply within " + timeoutMillis + " ms"));
    }

    /**
     * The message's {@code toString}, or, should that throw, its class and the exception: user
     * code must not keep an ask from failing.
     *
     * @param message a message
     * @return a description of it for an exception or a log
     */
    public static String describe(Object message) {
        try {
            return String.valueOf(message);
        } catch (RuntimeException | StackOverflowError e) {
            return message.getClass().getName() + " (whose toString threw " + e.getClass().getName() + ")";
        }
    }

    /**
     * Completes the promise from what the actor's method returned.
     *
     * @param stage the returned stage; null is reported as a misbehaving actor
     * @param ask whether the message is of an ask method
     */
    public void completeFrom(CompletionStage<?> stage, boolean ask) {
        if (stage == null) {
            if (ask) {
                promise.completeExceptionally(new IllegalStateException(describe(message)
                        + " returned null instead of a CompletionStage; return a completed stage, such as"
                        + " CompletableFuture.completedFuture(value)."));
            } else {
                promise.complete(null);
            }
            return;
        }
        if (stage instanceof CompletableFuture<?> future && future.isDone()) {
            if (future.isCompletedExceptionally()) {
                promise.completeExceptionally(unwrap(future.exceptionNow()));
            } else {
                promise.complete(future.resultNow());
            }
            return;
        }
        stage.whenComplete((value, failure) -> {
            if (failure != null) {
                promise.completeExceptionally(unwrap(failure));
            } else {
                promise.complete(value);
            }
        });
    }

    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
