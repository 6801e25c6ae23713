package io.spinoff.runtime.internal.process;

import io.spinoff.runtime.internal.dispatch.AskEnvelope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import io.spinoff.runtime.internal.timer.Clock;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * The mailbox a process reads with selective receive: a doubly linked list in arrival order that
 * the actor's turn appends to and the process's own thread removes from, anywhere in the list.
 * Not API.
 *
 * <p><b>Threading and memory model:</b> every access to the list holds {@link #lock}, which orders
 * an append before the receive that sees it. A {@link ReentrantLock} and its {@link Condition}
 * rather than a monitor: a virtual thread waiting on a condition releases its carrier thread.
 * Only the process thread unlinks nodes while the process runs, so the node a waiting receive
 * scanned last stays in the list: after a wake-up, the receive looks only at what arrived after
 * it, and a receive that waits through many arrivals scans each message once.
 */
public final class ProcessInbox {

    /** A mark before every item: a receive given it looks at the whole inbox. */
    static final long NO_MARK = 0;

    private static final class Node {
        final Object item;
        /** The position of the item in arrival order, from 1; set under the lock before linking. */
        final long sequence;
        Node prev;
        Node next;

        Node(Object item, long sequence) {
            this.item = item;
            this.sequence = sequence;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    /**
     * The cell's count of queued messages when its mailbox is bounded, else null. An item counts
     * until the process takes it or the inbox is drained, so a bounded mailbox bounds the inbox too.
     */
    private final AtomicInteger queued;
    private Node head;
    private Node tail;
    private int size;
    /** Guarded by {@link #lock}. The sequence of the last item put. */
    private long sequence;
    /**
     * Guarded by {@link #lock}. Whether the process waits in a receive: only then does an arrival
     * wake it (a process asleep or awaiting a future stays counted as waiting).
     */
    private boolean receiving;

    /** The system's clock, which a receive's timeout is measured on. */
    private final Clock clock;
    /** The process's waits, as the system's count of running processes sees them. */
    private final IdleWait idle;

    /**
     * @param queued the cell's bounded-mailbox count, or null for an unbounded mailbox
     * @param clock the system's clock
     * @param idle the process's waits: entered just before a receive waits (its timeout already
     *     on the clock), woken by whoever wakes it
     */
    ProcessInbox(AtomicInteger queued, Clock clock, IdleWait idle) {
        this.queued = queued;
        this.clock = clock;
        this.idle = idle;
    }

    /** @return the position of the last item put so far; a receive after it skips every item queued now */
    long mark() {
        lock.lock();
        try {
            return sequence;
        } finally {
            lock.unlock();
        }
    }

    /** @param item a message, an {@link AskEnvelope} or a {@code Terminated}; any thread */
    public void put(Object item) {
        lock.lock();
        try {
            Node node = new Node(item, ++sequence);
            if (tail == null) {
                head = node;
            } else {
                tail.next = node;
                node.prev = tail;
            }
            tail = node;
            size++;
            if (receiving) {
                idle.wake();
            }
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the first item whose message matches, waiting for one if none is queued.
     *
     * <p>With a mark, the items put up to the mark are skipped without being looked at (Erlang's
     * receive marker): the search starts from the tail and walks back only over the items put
     * after the mark, so a request/reply receive costs the number of new arrivals, whatever the
     * backlog.
     *
     * @param matches tested on each message (the message inside an ask envelope), in arrival order
     * @param timeoutNanos how long to wait; negative waits without limit
     * @param mark {@link #NO_MARK}, or a {@link #mark()}: only items put after it are looked at
     * @return the item (an envelope for an ask), or null when the time ran out
     * @throws InterruptedException when the thread is interrupted while waiting (the process is
     *     stopping); nothing is removed
     */
    Object take(Predicate<Object> matches, long timeoutNanos, long mark) throws InterruptedException {
        long deadline = timeoutNanos < 0 ? 0 : clock.nanoTime() + timeoutNanos;
        // Under manual time the wait cannot be timed by the machine: a task on the clock wakes the
        // receive when the clock reaches the deadline (it takes the lock, so the signal cannot fall
        // between the receive's check of the time and its wait).
        ScheduledFuture<?> wake = timeoutNanos >= 0 && clock.isManual() ? clock.schedule(this::wakeAll, timeoutNanos) : null;
        lock.lockInterruptibly();
        try {
            Node scanned = null;
            while (true) {
                Node node = scanned == null ? firstAfter(mark) : scanned.next;
                while (node != null) {
                    if (matches.test(messageOf(node.item))) {
                        unlink(node);
                        if (queued != null) {
                            queued.decrementAndGet();
                        }
                        return node.item;
                    }
                    scanned = node;
                    node = node.next;
                }
                long left = timeoutNanos < 0 ? 0 : deadline - clock.nanoTime();
                if (timeoutNanos >= 0 && left <= 0) {
                    return null;
                }
                receiving = true;
                idle.enter();
                try {
                    if (idle.simulated()) {
                        // The lock is let go while the baton is away: the steps that run
                        // meanwhile put into this inbox.
                        lock.unlock();
                        try {
                            idle.park();
                        } finally {
                            lock.lock();
                        }
                        if (Thread.interrupted()) {
                            throw new InterruptedException();
                        }
                    } else if (timeoutNanos < 0 || wake != null) {
                        arrived.await();
                    } else {
                        arrived.awaitNanos(left);
                    }
                } finally {
                    receiving = false;
                    idle.wake();
                }
            }
        } finally {
            lock.unlock();
            if (wake != null) {
                wake.cancel(false);
            }
        }
    }

    /** Wakes a waiting receive so that it looks at the clock again. Any thread. */
    private void wakeAll() {
        lock.lock();
        try {
            idle.wake();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** @return the first node put after the mark, found from the tail; under the lock */
    private Node firstAfter(long mark) {
        if (mark == NO_MARK) {
            return head;
        }
        Node first = null;
        for (Node node = tail; node != null && node.sequence > mark; node = node.prev) {
            first = node;
        }
        return first;
    }

    /** @return how many items are queued */
    int size() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    /** @return every queued item, in order, leaving the inbox empty */
    List<Object> drain() {
        lock.lock();
        try {
            List<Object> items = new ArrayList<>(size);
            for (Node node = head; node != null; node = node.next) {
                items.add(node.item);
            }
            head = null;
            tail = null;
            if (queued != null) {
                queued.addAndGet(-size);
            }
            size = 0;
            return items;
        } finally {
            lock.unlock();
        }
    }

    static Object messageOf(Object item) {
        return item instanceof AskEnvelope ask ? ask.message : item;
    }

    private void unlink(Node node) {
        if (node.prev == null) {
            head = node.next;
        } else {
            node.prev.next = node.next;
        }
        if (node.next == null) {
            tail = node.prev;
        } else {
            node.next.prev = node.prev;
        }
        node.prev = null;
        node.next = null;
        size--;
    }
}
