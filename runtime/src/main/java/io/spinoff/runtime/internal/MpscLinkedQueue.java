package io.spinoff.runtime.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An unbounded, lock-free, multi-producer single-consumer FIFO queue (Vyukov's linked queue).
 * Not API.
 *
 * <p><b>Threads:</b> {@link #offer} may be called by any thread; {@link #poll}, {@link #peekNonEmpty}
 * and {@link #isEmpty} only by the single consumer (the thread that holds the owning actor's
 * scheduled flag).
 *
 * <p><b>Memory model:</b> a producer swaps itself in as the tail with a volatile
 * {@code getAndSet} (which orders producers: the order of the swaps is the order of the queue),
 * then links the previous tail to its node with a release store. The consumer reads a node's
 * {@code next} with an acquire load, so everything the producer wrote before {@code offer}
 * (the message and whatever it refers to) happens-before the consumer's use of it. Between the swap
 * and the link, the new element is in flight: the consumer sees the queue as empty. That is safe
 * because every producer calls its actor's {@code trySchedule} after {@code offer} returns, and
 * the consumer re-checks emptiness after clearing the scheduled flag (see {@code ActorCell}).
 *
 * @param <E> the element type
 */
public final class MpscLinkedQueue<E> {

    private static final VarHandle TAIL;
    private static final VarHandle NEXT;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            TAIL = lookup.findVarHandle(MpscLinkedQueue.class, "tail", Node.class);
            NEXT = lookup.findVarHandle(Node.class, "next", Node.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static final class Node<E> {
        E value;
        @SuppressWarnings("unused") // accessed through NEXT
        Node<E> next;

        Node(E value) {
            this.value = value;
        }
    }

    /** Consumer-only: the last consumed node (a stub at first); its successor is the first element. */
    private Node<E> head;
    /** Producers' end: swapped with getAndSet. */
    @SuppressWarnings("unused") // accessed through TAIL
    private volatile Node<E> tail;

    /** Creates an empty queue. */
    public MpscLinkedQueue() {
        Node<E> stub = new Node<>(null);
        head = stub;
        tail = stub;
    }

    /**
     * Appends an element. Any thread.
     *
     * @param element the element; not null
     */
    @SuppressWarnings("unchecked")
    public void offer(E element) {
        Node<E> node = new Node<>(element);
        Node<E> previous = (Node<E>) TAIL.getAndSet(this, node);
        NEXT.setRelease(previous, node);
    }

    /**
     * Removes the first element. Consumer only.
     *
     * @return the first element, or null when the queue is empty (or its first element is in flight)
     */
    @SuppressWarnings("unchecked")
    public E poll() {
        Node<E> next = (Node<E>) NEXT.getAcquire(head);
        if (next == null) {
            return null;
        }
        E value = next.value;
        next.value = null;
        head = next;
        return value;
    }

    /**
     * Consumer only. Uses a volatile read so that, after the consumer's volatile write of its idle
     * flag, it cannot miss an element linked before a producer's failed schedule attempt.
     *
     * @return whether an element is ready to be polled
     */
    public boolean peekNonEmpty() {
        return NEXT.getVolatile(head) != null;
    }

    /** @return whether no element is ready to be polled; consumer only */
    public boolean isEmpty() {
        return NEXT.getAcquire(head) == null;
    }
}
