package io.spinoff.runtime.internal.dispatch;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * An unbounded, lock-free, multi-producer single-consumer FIFO queue (Vyukov's linked queue).
 * Not API.
 *
 * <p><b>Threads:</b> {@link #offer} may be called by any thread; {@link #poll},
 * {@link #relaxedPoll}, {@link #peekNonEmpty} and {@link #isEmpty} only by the single consumer
 * (for a mailbox, the thread that holds the owning actor's scheduled flag).
 *
 * <p><b>Memory model:</b> a producer swaps itself in as the tail with a volatile
 * {@code getAndSet} (which orders producers: the order of the swaps is the order of the queue),
 * then links the previous tail to its node with a release store. The consumer reads a node's
 * {@code next} with an acquire load, so everything the producer wrote before {@code offer}
 * (the message and whatever it refers to) happens-before the consumer's use of it. Between the swap
 * and the link, the new element is in flight: {@link #relaxedPoll} and {@link #isEmpty} see the
 * queue as empty, {@link #poll} waits for the link, and {@link #peekNonEmpty} (which the consumer
 * uses after clearing its scheduled flag) counts it; see there why that distinction is what keeps
 * a wake-up from being lost.
 *
 * <p><b>Layout:</b> the consumer writes {@code head} on every poll and producers swap {@code tail}
 * on every offer, and the two share a cache line: no padding between them. An actor's mailbox is
 * one of these, and padding would cost every idle actor 64 bytes; measured side by side
 * (BENCHMARKS.md, "Mailbox padding"), the padding did not pay on the tell and ping-pong benchmarks.
 *
 * @param <E> the element type
 */
public final class MpscLinkedQueue<E> {

    /** How long {@link #poll} spins for a producer's link before it starts yielding the thread. */
    private static final int SPINS_BEFORE_YIELD = 64;

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
    Node<E> head;

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
     * Removes the first element, waiting for it if it is in flight. Consumer only.
     *
     * <p>Strict: it returns null only when no offer has swapped the tail since the last element
     * was taken. When a producer has swapped itself in but not yet linked its node, it waits for
     * the link: first spinning ({@link Thread#onSpinWait}), then yielding the thread. The wait is
     * bounded by what the producer has left to do, one store (see {@link #offer}), though a
     * producer descheduled between its two steps stretches it to the time it takes the OS to run
     * that producer again; yielding lets it run on a busy machine.
     *
     * <p>The actor run loop needs this strictness: were its poll relaxed, a turn would end on an
     * element in flight, and the idle check that follows ({@link #peekNonEmpty}, rightly counting
     * the element) would submit the actor again at once, turn after empty turn, until the producer
     * linked its node.
     *
     * <p>Happens-before: everything the producer did before {@code offer} happens-before the
     * return of its element (the acquire load of {@code next} reads its release store).
     *
     * @return the first element, or null when the queue is empty
     */
    public E poll() {
        Node<E> first = head;
        Node<E> next = nextOf(first);
        if (next == null) {
            if (TAIL.getVolatile(this) == first) {
                return null;
            }
            next = awaitLink(first);
        }
        return take(first, next);
    }

    /**
     * Removes the first element if it is linked. Consumer only.
     *
     * <p>Relaxed: it may return null while an element is in flight (a producer has swapped the
     * tail but not yet linked its node), so null does not mean empty; use it where the caller looks
     * again later anyway, and {@link #poll} where it must not miss an element.
     *
     * @return the first element, or null when the queue is empty or its first element is in flight
     */
    public E relaxedPoll() {
        Node<E> first = head;
        Node<E> next = nextOf(first);
        return next == null ? null : take(first, next);
    }

    /** Spins, then yields, until the producer that swapped in after {@code node} links to it. */
    private Node<E> awaitLink(Node<E> node) {
        Node<E> next;
        int spins = 0;
        while ((next = nextOf(node)) == null) {
            if (++spins < SPINS_BEFORE_YIELD) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        return next;
    }

    /**
     * Unlinks {@code first}, the consumed stub, and makes {@code next} the new stub. Consumer only.
     *
     * <p>The old stub's {@code next} is cleared so that a consumed node never refers to a live one:
     * were it promoted to the old generation before it became garbage, it would keep every node
     * after it alive until an old-generation collection (nepotism). Plain stores suffice: no
     * producer refers to a node once its successor is linked (a producer writes only the node it
     * swapped out of the tail, and that node's link was already read here), and the consumer is
     * the only thread that reads {@code head}.
     */
    private E take(Node<E> first, Node<E> next) {
        E value = next.value;
        next.value = null;
        head = next;
        NEXT.set(first, null);
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <E> Node<E> nextOf(Node<E> node) {
        return (Node<E>) NEXT.getAcquire(node);
    }

    /**
     * Consumer only. Relaxed, like {@link #relaxedPoll}.
     *
     * @return the first linked element, left in the queue, or null
     */
    public E relaxedPeek() {
        Node<E> next = nextOf(head);
        return next == null ? null : next.value;
    }

    /**
     * Consumer only: whether an element has been offered and not yet polled, counting one still in
     * flight (swapped in as the tail, not yet linked).
     *
     * <p>It reads {@code tail}, not the first node's {@code next}, and that is what makes it safe
     * for the idle check: a producer's {@code getAndSet} of the tail and its later volatile read of
     * the actor's scheduled flag, and the consumer's volatile write of that flag and its later
     * volatile read here, are all in the synchronization order, so either the producer sees the
     * flag cleared (and schedules the actor) or the consumer sees the new tail (and schedules it
     * itself). The link store is only a release; checking {@code next} instead would let the
     * store-load reordering that release permits hide the element from both.
     *
     * @return whether an element is queued or in flight
     */
    public boolean peekNonEmpty() {
        return TAIL.getVolatile(this) != head;
    }

    /**
     * Counts the elements by walking the links from the consumer's node: for monitoring only. Any
     * thread. Relaxed: the plain read of {@code head} may be stale and the consumer unlinks the
     * nodes it takes, so the count may miss elements taken or linked meanwhile; it never follows a
     * link past the latest element it saw with an acquiring load.
     *
     * @param limit the most it counts
     * @return the count, at most {@code limit}
     */
    public int relaxedSize(int limit) {
        Node<E> node = head;
        int count = 0;
        while (count < limit && (node = nextOf(node)) != null) {
            count++;
        }
        return count;
    }

    /**
     * Consumer only. Relaxed, like {@link #relaxedPoll}: it may answer true while an element is in
     * flight; false means {@link #relaxedPoll} returns an element.
     *
     * @return whether no element is linked and ready to be polled
     */
    public boolean isEmpty() {
        return NEXT.getAcquire(head) == null;
    }
}
