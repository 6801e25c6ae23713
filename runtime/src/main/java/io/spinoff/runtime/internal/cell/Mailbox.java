package io.spinoff.runtime.internal.cell;

import io.spinoff.runtime.internal.dispatch.MpscLinkedQueue;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.ArrayDeque;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An actor's two queues and its scheduled flag: user messages in arrival order, system messages
 * (start, stop, failures of children, restarts) ahead of them, and the flag that makes one thread
 * at a time the consumer of both. {@link ActorCell} extends it, so the mailbox costs no object of
 * its own, and the cell is the task the dispatcher runs (as Akka's mailbox is). Not API.
 *
 * <p><b>Threads:</b> {@link #offer}, {@link #pushSystem} and {@link #claim} may be called by any
 * thread. Everything else is <em>consumer only</em>: the thread that holds the flag (it won
 * {@link #claim}, or the flag was passed to it with the cell).
 *
 * <p><b>Memory model.</b> The user queue is an {@link MpscLinkedQueue} (see there). System
 * messages are rare, so they use a cheaper structure than a second queue: a Treiber stack whose
 * top is one volatile field. A producer writes its node's {@code next} (plain), then CASes the top
 * (volatile); the consumer takes the whole stack with a volatile {@code getAndSet}, which makes
 * the nodes and the messages they carry visible to it, and reverses it into {@link #systemBatch},
 * its own, oldest first: each producer's messages keep their order. The flag goes IDLE→SCHEDULED
 * by CAS and back to IDLE by a volatile write ({@link #release}); a producer pushes, then reads
 * the flag, while the consumer writes IDLE, then reads the queues ({@link #hasWorkAfterRelease}),
 * all with volatile accesses: either the consumer sees the message or the producer sees IDLE and
 * schedules the cell, so no wake-up is lost.
 *
 * <p><b>Layout.</b> An idle actor pays for the flag, the stack's top, the consumer's batch and one
 * queue with its stub node; the queue keeps its 64 bytes of padding between the producers' and
 * the consumer's ends, as a busy mailbox needs, and the system messages have none.
 */
public abstract class Mailbox extends ForkJoinTask<Void> {

    private static final long serialVersionUID = 1L;

    /** The flag's values. */
    static final int IDLE = 0;
    static final int SCHEDULED = 1;

    private static final VarHandle STATUS;
    private static final VarHandle SYSTEM_TOP;
    private static final VarHandle REMOTE_ADMITTED;
    private static final VarHandle REMOTE_TAKEN;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            STATUS = lookup.findVarHandle(Mailbox.class, "status", int.class);
            SYSTEM_TOP = lookup.findVarHandle(Mailbox.class, "systemTop", SystemNode.class);
            REMOTE_ADMITTED = lookup.findVarHandle(Mailbox.class, "remoteAdmitted", int.class);
            REMOTE_TAKEN = lookup.findVarHandle(Mailbox.class, "remoteTaken", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A system message on the stack; {@code next} is written by its producer before the push and by the consumer after the take. */
    private static final class SystemNode {
        final SystemMessage message;
        SystemNode next;

        SystemNode(SystemMessage message) {
            this.message = message;
        }
    }

    /** The user messages (and ask, timer and death-notice envelopes). */
    final MpscLinkedQueue<Object> messages = new MpscLinkedQueue<>();
    /** The most recent system message pushed and not yet taken, or null; through SYSTEM_TOP. */
    @SuppressWarnings("unused")
    private volatile SystemNode systemTop;
    /** Consumer only: system messages taken from the stack, oldest first. */
    private SystemNode systemBatch;
    @SuppressWarnings("unused") // through STATUS
    private volatile int status;
    /** The most user messages the mailbox holds, or 0 for no bound. */
    final int capacity;
    /** The user messages queued, counted only when bounded. */
    final AtomicInteger queued;
    /**
     * The inbound limit's counts (see {@link #admitRemote}): what the messages from other nodes
     * admitted into this mailbox cost in all, and what those a turn took out cost. Each has one
     * writer (the remoting I/O thread, the consumer), which reads it plainly and writes it with a
     * release store; other threads read it with an acquire load. Both wrap around: only their
     * difference, read as unsigned, means anything.
     */
    @SuppressWarnings("unused") // through REMOTE_ADMITTED
    private int remoteAdmitted;
    @SuppressWarnings("unused") // through REMOTE_TAKEN
    private int remoteTaken;

    Mailbox(int capacity) {
        this.capacity = capacity;
        this.queued = capacity > 0 ? new AtomicInteger() : null;
    }

    /**
     * With assertions on (as in the runtime's tests): the mailboxes whose consumer code the
     * current thread is running, so that consumer-only methods can {@code assert isConsumer()}, as
     * Netty asserts its event loop. Never touched with assertions off.
     */
    private static final ThreadLocal<ArrayDeque<Mailbox>> CONSUMING = ThreadLocal.withInitial(ArrayDeque::new);

    /** For {@code assert}: the current thread begins consumer work on this mailbox. @return true */
    final boolean enterConsumer() {
        CONSUMING.get().push(this);
        return true;
    }

    /** For {@code assert}: the current thread's consumer work on this mailbox ends. @return true */
    final boolean exitConsumer() {
        CONSUMING.get().removeFirstOccurrence(this);
        return true;
    }

    /** For {@code assert}. @return whether the current thread is running this mailbox's consumer code */
    final boolean isConsumer() {
        return CONSUMING.get().contains(this);
    }

    /** Any thread: takes the flag. @return whether this thread won it and is now the consumer */
    final boolean claim() {
        return (int) STATUS.getVolatile(this) == IDLE && STATUS.compareAndSet(this, IDLE, SCHEDULED);
    }

    /** Consumer only: gives the flag back; what the turn did happens-before the next claim. */
    final void release() {
        STATUS.setVolatile(this, IDLE);
    }

    /** Any thread. @param message appended to the user queue */
    final void offer(Object message) {
        messages.offer(message);
    }

    /** Any thread. @param message pushed for the consumer's next look at its system messages */
    final void pushSystem(SystemMessage message) {
        SystemNode node = new SystemNode(message);
        SystemNode top;
        do {
            top = (SystemNode) SYSTEM_TOP.getVolatile(this);
            node.next = top;
        } while (!SYSTEM_TOP.compareAndSet(this, top, node));
    }

    /**
     * Reserves room for one message from another node, against the actor's inbound limit: what
     * the messages from other nodes in its mailbox that no turn has taken yet cost. One message
     * always fits when none waits; past that, a message fits while the cost waiting is below the
     * limit, so the limit is overshot by one message at most. <b>The node's remoting I/O thread
     * only</b>, the one writer of the admitted count: between its read of the taken count and its
     * write, the consumer can only take more, so the cost waiting only falls. Each reservation is
     * followed by the message's offer, or by {@link #remoteUndelivered} with the same cost; the
     * consumer that takes the message calls {@link #remoteTakenOut}.
     *
     * <p>Neither count is written by more than one thread, so there is no atomic read-modify-write
     * on the path of a message from another node: the I/O thread and the consumer each store their
     * own count, and only read the other's.
     *
     * @param cost what the message costs, more than 0
     * @param limit the inbound limit
     * @return false when the limit is reached: nothing is reserved
     */
    public final boolean admitRemote(int cost, long limit) {
        int admitted = remoteAdmitted;
        if (Integer.toUnsignedLong(admitted - (int) REMOTE_TAKEN.getAcquire(this)) >= limit) {
            return false;
        }
        REMOTE_ADMITTED.setRelease(this, admitted + cost);
        return true;
    }

    /**
     * Gives back what {@link #admitRemote} reserved for a message that was not offered (refused,
     * dropped or dead-lettered before it reached the queue). The remoting I/O thread only.
     */
    public final void remoteUndelivered(int cost) {
        REMOTE_ADMITTED.setRelease(this, remoteAdmitted - cost);
    }

    /**
     * Consumer only: a turn (or the drain after termination) took a message from another node out
     * of the queue; its cost no longer waits. The consumers follow one another through the flag,
     * so each sees the count the previous one wrote.
     */
    final void remoteTakenOut(int cost) {
        REMOTE_TAKEN.setRelease(this, remoteTaken + cost);
    }

    /**
     * Any thread: what the messages from other nodes waiting in the mailbox cost. The two counts
     * cannot be read at once, and between two reads the consumer may take much (a reader may be
     * descheduled in between), so the taken count is read before and after the admitted count,
     * and the reading is kept only when it did not move: then both counts held those values at
     * the moment the admitted count was read. The taken count only grows, so an unchanged value
     * means no take came between (a wrap of the whole int range in between is not possible).
     *
     * @return the cost waiting at one moment during the call
     */
    public final long remotePending() {
        while (true) {
            int taken = (int) REMOTE_TAKEN.getAcquire(this);
            int admitted = (int) REMOTE_ADMITTED.getAcquire(this);
            if ((int) REMOTE_TAKEN.getAcquire(this) == taken) {
                return Integer.toUnsignedLong(admitted - taken);
            }
            Thread.onSpinWait();
        }
    }

    /** Consumer only. @return the oldest system message not yet taken, or null */
    final SystemMessage pollSystem() {
        SystemNode first = systemBatch;
        if (first == null) {
            // Look before taking: every turn polls, and most find nothing; an atomic swap on an
            // empty stack would cost each of them a locked write of the cell's cache line.
            if (SYSTEM_TOP.getAcquire(this) == null) {
                return null;
            }
            SystemNode taken = (SystemNode) SYSTEM_TOP.getAndSet(this, (SystemNode) null);
            if (taken == null) {
                return null;
            }
            // Reverse the stack (newest first) into the batch (oldest first).
            SystemNode reversed = null;
            while (taken != null) {
                SystemNode next = taken.next;
                taken.next = reversed;
                reversed = taken;
                taken = next;
            }
            first = reversed;
        }
        systemBatch = first.next;
        return first.message;
    }

    /** Consumer only. @return whether a system message waits */
    final boolean hasSystem() {
        return systemBatch != null || SYSTEM_TOP.getVolatile(this) != null;
    }

    /**
     * Consumer only, right after {@link #release}: whether work arrived that this thread must not
     * leave behind (see the class comment). A user message in flight (swapped in, not yet linked)
     * counts: its producer may have read the flag before the release.
     *
     * @param userMessagesToo whether user messages count (not while the actor is suspended)
     * @return whether to schedule the cell again
     */
    final boolean hasWorkAfterRelease(boolean userMessagesToo) {
        // Every turn takes its system batch to the end, so only the stack can hold one now.
        return SYSTEM_TOP.getVolatile(this) != null || userMessagesToo && messages.peekNonEmpty();
    }
}
