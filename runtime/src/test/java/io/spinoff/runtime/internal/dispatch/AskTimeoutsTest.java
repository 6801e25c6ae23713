package io.spinoff.runtime.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spinoff.api.AskTimeoutException;
import io.spinoff.runtime.ActorStoppedException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The ask-timeout heap: what it keeps alive, and how it closes. */
class AskTimeoutsTest {

    private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);

    private static AskEnvelope ask(Object message, long deadlineNanos) {
        return new AskEnvelope(message, new CompletableFuture<>(), deadlineNanos, TimeUnit.NANOSECONDS.toMillis(HOUR_NANOS), "/user/test");
    }

    /** A message or a reply with some weight, so that what the heap keeps alive shows. */
    record Payload(byte[] bytes) {
        Payload() {
            this(new byte[256]);
        }
    }

    @Test
    void thePendingCountSeesAnAskAsSoonAsItIsRegisteredAndForgetsItOnceAnswered() {
        AskTimeouts timeouts = new AskTimeouts(Runnable::run);
        AskEnvelope first = ask("first", HOUR_NANOS);
        AskEnvelope second = ask("second", HOUR_NANOS);
        timeouts.register(first);
        timeouts.register(second);
        // No tick has run: the count must not lag a tick behind the registrations.
        assertEquals(2, timeouts.pendingCount());
        first.promise.complete("answered");
        assertEquals(1, timeouts.pendingCount());
        second.promise.complete("answered");
        assertEquals(0, timeouts.pendingCount());
    }

    @Test
    void answeredAsksDoNotStayInTheHeapUntilTheirDeadline() throws Exception {
        AskTimeouts timeouts = new AskTimeouts(Runnable::run);
        int asks = 200_000;
        long now = System.nanoTime();
        List<CompletableFuture<Object>> promises = new ArrayList<>(asks);
        List<WeakReference<Object>> sample = new ArrayList<>();
        for (int i = 0; i < asks; i++) {
            Payload message = new Payload();
            AskEnvelope ask = ask(message, now + HOUR_NANOS);
            timeouts.register(ask);
            promises.add(ask.promise);
            if (i % 1000 == 0) {
                sample.add(new WeakReference<>(message));
            }
        }
        // A tick takes them in before any reply, as it does for replies slower than a tick.
        timeouts.run();
        long heldBefore = usedHeapAfterGc();

        for (int i = 0; i < asks; i++) {
            Payload reply = new Payload();
            if (i % 1000 == 0) {
                sample.add(new WeakReference<>(reply));
            }
            promises.get(i).complete(reply);
        }
        promises = null;
        timeouts.run();

        for (int attempt = 0; attempt < 10 && sample.stream().anyMatch(ref -> ref.get() != null); attempt++) {
            System.gc();
        }
        long heldAfter = usedHeapAfterGc();
        long stillReachable = sample.stream().filter(ref -> ref.get() != null).count();
        System.out.printf("AskTimeoutsTest: %d asks with a 1-hour timeout: heap used %.1f MB while pending,"
                        + " %.1f MB once answered; %d of %d sampled messages and replies still reachable%n",
                asks, heldBefore / 1e6, heldAfter / 1e6, stillReachable, sample.size());
        assertEquals(0, stillReachable, "answered asks keep their message and reply alive until their deadline");
        assertEquals(0, timeouts.pendingCount());
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime runtime = Runtime.getRuntime();
        return runtime.totalMemory() - runtime.freeMemory();
    }

    @Test
    void anAskPastItsDeadlineFailsWithAskTimeoutExceptionAndLeavesTheHeap() throws Exception {
        AskTimeouts timeouts = new AskTimeouts(Runnable::run);
        long now = System.nanoTime();
        AskEnvelope late = ask("late", now - 1);
        AskEnvelope later = ask("later", now + HOUR_NANOS);
        timeouts.register(late);
        timeouts.register(later);
        timeouts.tick(now);
        ExecutionException failure = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> late.promise.get(0, TimeUnit.SECONDS));
        assertTrue(failure.getCause() instanceof AskTimeoutException);
        assertFalse(later.promise.isDone());
        assertEquals(1, timeouts.pendingCount());
        timeouts.tick(now + HOUR_NANOS);
        assertTrue(later.promise.isCompletedExceptionally());
        assertEquals(0, timeouts.pendingCount());
    }

    @Test
    void anAskRegisteredAfterTheCloseFailsAtOnce() {
        AskTimeouts timeouts = new AskTimeouts(Runnable::run);
        AskEnvelope before = ask("before", System.nanoTime() + HOUR_NANOS);
        timeouts.register(before);
        ActorStoppedException closed = new ActorStoppedException("closed");
        timeouts.failAll(closed);
        assertSame(closed, before.promise.exceptionNow());

        // Nothing times asks out any more: one registered now must not wait forever.
        AskEnvelope after = ask("after", System.nanoTime() + HOUR_NANOS);
        timeouts.register(after);
        assertTrue(after.promise.isDone(), "an ask registered after the close never completes");
        assertSame(closed, after.promise.exceptionNow());
        timeouts.failAll(new ActorStoppedException("again"));
        assertSame(closed, after.promise.exceptionNow());
    }

    @Test
    void failAllWaitsForATickThatIsStillRunning() {
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            CountDownLatch inTick = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            // An executor that holds the tick, as a slow scheduler thread would be at close.
            AskTimeouts timeouts = new AskTimeouts(task -> {
                inTick.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                task.run();
            });
            long now = System.nanoTime();
            AskEnvelope expired = ask("expired", now - 1);
            AskEnvelope pending = ask("pending", now + HOUR_NANOS);
            timeouts.register(expired);
            timeouts.register(pending);
            Thread tick = Thread.ofPlatform().start(() -> timeouts.tick(now));
            inTick.await();

            CompletableFuture<Void> close = CompletableFuture.runAsync(
                    () -> timeouts.failAll(new ActorStoppedException("closed")));
            try {
                close.get(200, TimeUnit.MILLISECONDS);
                fail("failAll ran while a tick was running");
            } catch (java.util.concurrent.TimeoutException expectedWhileTheTickRuns) {
                assertFalse(pending.promise.isDone());
            }
            release.countDown();
            tick.join();
            close.get(5, TimeUnit.SECONDS);
            assertTrue(expired.promise.exceptionNow() instanceof AskTimeoutException);
            assertTrue(pending.promise.exceptionNow() instanceof ActorStoppedException);
        });
    }
}
