package io.spinoff.runtime.internal.dispatch;

import io.spinoff.api.AskTimeoutException;
import io.spinoff.runtime.ActorStoppedException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * A reply racing the ask-timeout tick (and the close), model-checked by Lincheck over the
 * interleavings of the threads: whatever the order, the ask completes exactly once, with the reply,
 * an {@link AskTimeoutException} or the close's exception, and leaves the heap.
 */
class AskTimeoutsLincheckTest {

    private static final long DEADLINE = 100;

    /** An ask already in the heap (a tick took it in before its deadline). */
    private static AskEnvelope askInHeap(AskTimeouts timeouts, AtomicInteger completions) {
        AskEnvelope ask = new AskEnvelope("question", new CompletableFuture<>(), DEADLINE, 1, "/user/test");
        ask.promise.whenComplete((value, failure) -> completions.incrementAndGet());
        timeouts.register(ask);
        timeouts.tick(0);
        return ask;
    }

    @Test
    void aReplyAndATimeoutCompleteTheAskExactlyOnce() {
        Lincheck.runConcurrentTest(1_000, () -> {
            AskTimeouts timeouts = new AskTimeouts(Runnable::run);
            AtomicInteger completions = new AtomicInteger();
            AskEnvelope ask = askInHeap(timeouts, completions);

            Thread reply = new Thread(() -> ask.promise.complete("answer"));
            Thread tick = new Thread(() -> timeouts.tick(DEADLINE));
            reply.start();
            tick.start();
            join(reply);
            join(tick);

            check(ask.promise.isDone(), "the ask is not complete");
            check(completions.get() == 1, "the ask completed " + completions.get() + " times");
            check(ask.promise.isCompletedExceptionally()
                    ? ask.promise.exceptionNow() instanceof AskTimeoutException
                    : "answer".equals(ask.promise.resultNow()), "the ask completed with something else");
            timeouts.tick(DEADLINE);
            check(timeouts.pendingCount() == 0, "the answered ask stayed in the heap");
        });
    }

    @Test
    void aReplyATimeoutAndTheCloseCompleteEveryAskExactlyOnce() {
        Lincheck.runConcurrentTest(1_000, () -> {
            AskTimeouts timeouts = new AskTimeouts(Runnable::run);
            AtomicInteger completions = new AtomicInteger();
            AskEnvelope ask = askInHeap(timeouts, completions);
            AskEnvelope late = new AskEnvelope("late", new CompletableFuture<>(), DEADLINE * 2, 1, "/user/test");
            ActorStoppedException closed = new ActorStoppedException("closed");

            Thread reply = new Thread(() -> ask.promise.complete("answer"));
            Thread tick = new Thread(() -> timeouts.tick(DEADLINE));
            Thread close = new Thread(() -> timeouts.failAll(closed));
            Thread register = new Thread(() -> timeouts.register(late));
            reply.start();
            tick.start();
            close.start();
            register.start();
            join(reply);
            join(tick);
            join(close);
            join(register);

            check(completions.get() == 1, "the ask completed " + completions.get() + " times");
            check(late.promise.isDone() && late.promise.exceptionNow() == closed,
                    "an ask registered around the close was not failed by it");
            check(timeouts.pendingCount() == 0, "the heap still holds an ask after the close");
        });
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            throw new AssertionError(what);
        }
    }
}
