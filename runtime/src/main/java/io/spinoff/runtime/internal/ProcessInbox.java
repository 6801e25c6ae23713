package io.spinoff.runtime.internal;

import java.util.ArrayList;
import java.util.List;
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
final class ProcessInbox {

    private static final class Node {
        final Object item;
        Node prev;
        Node next;

        Node(Object item) {
            this.item = item;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private Node head;
    private Node tail;
    private int size;

    /** @param item a message, an {@link AskEnvelope} or a {@code Terminated}; any thread */
    void put(Object item) {
        Node node = new Node(item);
        lock.lock();
        try {
            if (tail == null) {
                head = node;
            } else {
                tail.next = node;
                node.prev = tail;
            }
            tail = node;
            size++;
            arrived.signal();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Removes the first item whose message matches, waiting for one if none is queued.
     *
     * @param matches tested on each message (the message inside an ask envelope), in arrival order
     * @param timeoutNanos how long to wait; negative waits without limit
     * @return the item (an envelope for an ask), or null when the time ran out
     * @throws InterruptedException when the thread is interrupted while waiting (the process is
     *     stopping); nothing is removed
     */
    Object take(Predicate<Object> matches, long timeoutNanos) throws InterruptedException {
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        lock.lockInterruptibly();
        try {
            Node scanned = null;
            while (true) {
                Node node = scanned == null ? head : scanned.next;
                while (node != null) {
                    if (matches.test(messageOf(node.item))) {
                        unlink(node);
                        return node.item;
                    }
                    scanned = node;
                    node = node.next;
                }
                if (timeoutNanos < 0) {
                    arrived.await();
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    arrived.awaitNanos(left);
                }
            }
        } finally {
            lock.unlock();
        }
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
