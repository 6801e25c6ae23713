package io.spinoff.runtime.internal;

import java.util.PriorityQueue;

/**
 * Fails asks whose reply does not come before their deadline, without a scheduled task per ask.
 * Not API.
 *
 * <p>Asks are registered through a lock-free queue (any thread). A periodic tick on the scheduler
 * thread (every {@link #TICK_MILLIS} ms) drains that queue, dropping asks that are already
 * answered (most asks are, within one tick, so they never reach the heap), keeps the others in a
 * deadline-ordered heap, and fails those whose deadline has passed. The heap is touched only by
 * the scheduler thread. The promise's own atomicity decides the race between a reply and a
 * timeout.
 */
final class AskTimeouts implements Runnable {

    /** The tick, which bounds how late a timeout fires. */
    static final long TICK_MILLIS = 10;

    private final MpscLinkedQueue<AskEnvelope> incoming = new MpscLinkedQueue<>();
    private final PriorityQueue<AskEnvelope> pending =
            new PriorityQueue<>((a, b) -> Long.compare(a.deadlineNanos, b.deadlineNanos));

    /** @param ask an ask just sent; any thread */
    void register(AskEnvelope ask) {
        incoming.offer(ask);
    }

    /** The tick; scheduler thread only. */
    @Override
    public void run() {
        long now = System.nanoTime();
        AskEnvelope ask;
        while ((ask = incoming.poll()) != null) {
            if (!ask.promise.isDone()) {
                pending.add(ask);
            }
        }
        while ((ask = pending.peek()) != null && ask.deadlineNanos - now <= 0) {
            pending.poll();
            if (!ask.promise.isDone()) {
                ask.timeOut();
            }
        }
    }

    /** Fails every pending ask; used when the system closes. Scheduler thread, or after it stopped. */
    void failAll(Throwable cause) {
        AskEnvelope ask;
        while ((ask = incoming.poll()) != null) {
            ask.fail(cause);
        }
        while ((ask = pending.poll()) != null) {
            ask.fail(cause);
        }
    }
}
