package io.spinoff.runtime.internal.dispatch;

import io.spinoff.runtime.internal.SystemRuntime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * Fails asks whose reply does not come before their deadline, without a scheduled task per ask.
 * Not API.
 *
 * <h2>How</h2>
 * Asks are registered through a lock-free queue (any thread). A periodic tick on the scheduler
 * thread (every {@link #TICK_MILLIS} ms) drains that queue, dropping asks that are already
 * answered (most asks are, within one tick, so they never reach the heap), and keeps the others
 * in a deadline-ordered heap. An ask that enters the heap gets a completion callback that puts it
 * in a second lock-free queue, {@code answered}, and the next tick removes it from the heap: an
 * answered ask, its message and its reply stay reachable from here for at most one tick, not until
 * its deadline. Asks whose deadline has passed are handed to the {@code completions} executor (the
 * dispatcher), which fails them: the tick runs no user code ({@code toString} of a message, the
 * caller's callbacks on the promise), so a user's exception or blocking call cannot stop or stall
 * it, nor the timers, stop timeouts and rescuer that share its thread.
 *
 * <h2>Threads and memory model</h2>
 * <ul>
 *   <li>{@link #register} and the completion callback: any thread; each only offers to an MPSC
 *       queue, whose release/acquire linking publishes the ask to the tick.</li>
 *   <li>{@link #tick} and {@link #failAll} hold this object's monitor, so they never overlap (the
 *       system closes while a tick may still be running when the scheduler is slow to stop), and
 *       each is the queues' single consumer while it holds it; the monitor also publishes the heap
 *       (and each ask's heap index) from one holder to the next. Neither runs user code while
 *       holding it.</li>
 *   <li>The race between a reply and a timeout (or the close) is decided by the promise's own
 *       atomicity: whichever completes it first wins, the others' completions do nothing.</li>
 *   <li>Close: {@link #failAll} writes {@code closedBy} (volatile), then drains {@code incoming}
 *       with the strict poll, whose last read, of the tail, is volatile. {@link #register} swaps
 *       the tail (volatile), then reads {@code closedBy}. All four are in the synchronization
 *       order, so either failAll finds the ask or register sees the system closed and fails the
 *       ask itself (or both, harmlessly): no ask registered around the close is left pending.</li>
 * </ul>
 */
public final class AskTimeouts implements Runnable {

    /** The tick, which bounds how late a timeout fires. */
    public static final long TICK_MILLIS = 10;

    private static final System.Logger LOG = SystemRuntime.LOG;

    private final MpscLinkedQueue<AskEnvelope> incoming = new MpscLinkedQueue<>();
    /** Asks answered (or failed, or timed out) after they entered the heap; any thread offers. */
    private final MpscLinkedQueue<AskEnvelope> answered = new MpscLinkedQueue<>();
    /** Guarded by this. */
    private final DeadlineHeap pending = new DeadlineHeap();
    /** Where timed-out asks are failed, away from the tick's thread. */
    private final Executor completions;
    /** Null while the system is open; then why every ask fails. Written once, under this. */
    private volatile Throwable closedBy;

    /** The current time of the system's clock, in nanoseconds. */
    private final LongSupplier clock;

    /**
     * @param clock the current time of the system's clock, which the deadlines are measured on
     * @param completions runs the failing of a timed-out ask (which runs the caller's callbacks);
     *     must not block the caller, and must run the task even after the system closed (run it on
     *     the calling thread if nothing else will)
     */
    public AskTimeouts(Executor completions, LongSupplier clock) {
        this.completions = completions;
        this.clock = clock;
    }

    /** As {@link #AskTimeouts(Executor, LongSupplier)}, on the machine's time. */
    public AskTimeouts(Executor completions) {
        this(completions, System::nanoTime);
    }

    /**
     * Registers an ask just sent and not answered yet. Any thread. After {@link #failAll}, the ask
     * fails at once with the close's exception.
     *
     * @param ask the ask
     */
    public void register(AskEnvelope ask) {
        incoming.offer(ask);
        Throwable closed = closedBy;
        if (closed != null) {
            ask.fail(closed);
        }
    }

    /** The periodic tick; scheduler thread. Never throws, so the periodic task never dies. */
    @Override
    public void run() {
        try {
            tick(clock.getAsLong());
        } catch (Throwable failure) {
            LOG.log(System.Logger.Level.ERROR, "The ask-timeout tick failed; it runs again at the next tick", failure);
        }
    }

    /**
     * One tick: forgets the asks answered since the last, takes in the new ones and hands those
     * past their deadline to the completions executor.
     *
     * @param nowNanos the current time of the system's clock
     */
    public synchronized void tick(long nowNanos) {
        if (closedBy != null) {
            return;
        }
        takeIn();
        AskEnvelope ask;
        while ((ask = pending.peek()) != null && ask.deadlineNanos - nowNanos <= 0) {
            pending.poll();
            AskEnvelope expired = ask;
            try {
                completions.execute(expired::timeOut);
            } catch (RuntimeException e) {
                // The executor refused (the system is closing): fail it here; timeOut guards the
                // message's toString, and a callback's exception stays in the promise.
                LOG.log(System.Logger.Level.DEBUG, "Failing a timed-out ask on the tick thread", e);
                expired.timeOut();
            }
        }
    }

    /**
     * Fails every pending ask, and every ask registered from now on, with {@code cause}; used when
     * the system closes. Any thread; waits for a running tick to end; only the first call does
     * anything. The promises are failed on the calling thread, outside the monitor.
     *
     * @param cause the exception every pending ask fails with
     */
    public void failAll(Throwable cause) {
        List<AskEnvelope> asks = new ArrayList<>();
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            closedBy = cause;
            AskEnvelope ask;
            // Strict polls: an ask whose register swapped the tail before the write above must
            // be found here (see the class comment).
            while ((ask = incoming.poll()) != null) {
                asks.add(ask);
            }
            while ((ask = pending.poll()) != null) {
                asks.add(ask);
            }
            while (answered.poll() != null) {
                // the heap is gone; nothing to remove
            }
        }
        for (AskEnvelope ask : asks) {
            try {
                ask.fail(cause);
            } catch (Throwable failure) {
                LOG.log(System.Logger.Level.WARNING, "Failing an ask at close failed", failure);
            }
        }
    }

    /**
     * Forgets the asks answered since the last call and takes in the new ones. Under the monitor
     * (the queues' single consumer). Relaxed polls: an ask still in flight is taken in next time.
     */
    private void takeIn() {
        AskEnvelope ask;
        while ((ask = answered.relaxedPoll()) != null) {
            pending.remove(ask);
        }
        while ((ask = incoming.relaxedPoll()) != null) {
            if (!ask.promise.isDone()) {
                pending.add(ask);
                AskEnvelope entered = ask;
                // Runs on the completing thread, or here at once if the ask was answered since
                // the check above; either way the heap entry goes at the next take-in. Once
                // closed, nothing drains the queue, so the callback adds nothing to it.
                ask.promise.whenComplete((value, failure) -> {
                    if (closedBy == null) {
                        answered.offer(entered);
                    }
                });
            }
        }
    }

    /**
     * @return how many asks wait for a reply: the ones registered (whose registration this thread
     *     has seen) and not answered, failed or timed out. Any thread; it takes in what the queues
     *     hold first, so it does not lag a tick behind
     */
    public synchronized int pendingCount() {
        if (closedBy != null) {
            return 0;
        }
        takeIn();
        return pending.size;
    }

    /**
     * A binary min-heap of asks by deadline that removes any ask in O(log n), through the index
     * each ask keeps of its slot ({@link AskEnvelope#heapIndex}, -1 when not in the heap). Guarded
     * by the enclosing object's monitor.
     */
    private static final class DeadlineHeap {
        /** The heap's smallest array: it grows from here, and never shrinks below it. */
        private static final int MIN_SLOTS = 64;

        private AskEnvelope[] slots = new AskEnvelope[MIN_SLOTS];
        private int size;

        AskEnvelope peek() {
            return size == 0 ? null : slots[0];
        }

        void add(AskEnvelope ask) {
            if (size == slots.length) {
                slots = Arrays.copyOf(slots, size * 2);
            }
            siftUp(size++, ask);
        }

        AskEnvelope poll() {
            if (size == 0) {
                return null;
            }
            AskEnvelope first = slots[0];
            removeAt(0);
            return first;
        }

        void remove(AskEnvelope ask) {
            int index = ask.heapIndex;
            if (index >= 0 && index < size && slots[index] == ask) {
                removeAt(index);
            }
        }

        private void removeAt(int index) {
            slots[index].heapIndex = -1;
            AskEnvelope last = slots[--size];
            slots[size] = null;
            if (index < size) {
                siftDown(index, last);
                if (slots[index] == last) {
                    siftUp(index, last);
                }
            }
            if (slots.length > MIN_SLOTS && size < slots.length / 4) {
                slots = Arrays.copyOf(slots, slots.length / 2);
            }
        }

        private void siftUp(int index, AskEnvelope ask) {
            while (index > 0) {
                int parent = (index - 1) >>> 1;
                AskEnvelope above = slots[parent];
                if (above.deadlineNanos - ask.deadlineNanos <= 0) {
                    break;
                }
                place(index, above);
                index = parent;
            }
            place(index, ask);
        }

        private void siftDown(int index, AskEnvelope ask) {
            int half = size >>> 1;
            while (index < half) {
                int child = 2 * index + 1;
                int right = child + 1;
                if (right < size && slots[right].deadlineNanos - slots[child].deadlineNanos < 0) {
                    child = right;
                }
                if (ask.deadlineNanos - slots[child].deadlineNanos <= 0) {
                    break;
                }
                place(index, slots[child]);
                index = child;
            }
            place(index, ask);
        }

        private void place(int index, AskEnvelope ask) {
            slots[index] = ask;
            ask.heapIndex = index;
        }
    }
}
