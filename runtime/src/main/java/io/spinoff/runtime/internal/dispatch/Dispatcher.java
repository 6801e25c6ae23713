package io.spinoff.runtime.internal.dispatch;

import io.spinoff.runtime.internal.cell.ActorCell;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The shared pool of carrier threads that run actors: a {@link ForkJoinPool} in FIFO (async) mode,
 * sized to the cores unless configured. An actor cell is itself the task it submits, so scheduling
 * an actor allocates nothing; from a carrier thread, submission goes to that thread's own queue.
 * Not API.
 *
 * <h2>Fairness</h2>
 * A carrier serves its own queue (and its hand-off slot) before the pool's submission queues,
 * where everything from outside the pool lands: timer firings, remote deliveries, tells from
 * processes and non-actor threads, cells rescued from a blocked carrier. Carriers that each run a
 * conversation that never ends (a credit-based stream, a game loop) would keep those queues
 * waiting for ever. So every {@link #OUTSIDE_INTERVAL} turns a carrier takes one cell from the
 * submission queues and runs it next ({@link #pollOutside}), as Go's scheduler looks at its global
 * run queue every 61 scheduling ticks: while the carriers are saturated, a cell submitted from
 * outside waits for at most about {@code OUTSIDE_INTERVAL} turns of each carrier ahead of it, and
 * it waits behind the others from outside in their order of arrival.
 *
 * <h2>Under a simulation</h2>
 * A system built for a deterministic simulation hands its cells and tasks to a {@link Simulator}
 * instead: the pool then never starts a carrier, and the thread that drives the simulation runs
 * every turn (see {@link Simulator} for its threading).
 */
public final class Dispatcher {

    /**
     * A carrier runs one cell from the pool's submission queues every this many turns. Prime, as
     * Go's 61, so that it does not fall into step with a periodic pattern of the actors.
     */
    static final int OUTSIDE_INTERVAL = 61;

    /**
     * While a recording enables {@code spinoff.LongTurn}, a carrier times one turn in this many.
     * Timing every turn costs two clock reads and an event object per turn, a cost that turns of
     * one message (ping-pong) feel most; one in 16 costs about a sixteenth of that, and a handler
     * that is slow or blocks, which does so turn after turn, is still caught within a few of its
     * turns (BENCHMARKS.md, "Flight Recorder and observability overhead").
     */
    public static final int TIMED_TURN_INTERVAL = 16;

    private final CarrierPool pool;
    /**
     * Under a deterministic simulation, what runs the cells and tasks instead of the carriers
     * (which then never start); null otherwise.
     */
    private final Simulator simulator;
    /** Whether an actor woken by a turn on a carrier runs next on that carrier (see {@link Carrier}). */
    final boolean sameCarrierHandOff;

    /** The pool, with its submission queues open to the carriers; it only ever holds actor cells. */
    private static final class CarrierPool extends ForkJoinPool {
        CarrierPool(int parallelism, ForkJoinWorkerThreadFactory factory, Thread.UncaughtExceptionHandler handler) {
            super(parallelism, factory, handler, true);
        }

        /** @return a cell taken from the submission queues, or null; any carrier */
        public ActorCell pollOutside() {
            // Only cells are ever submitted (see Dispatcher.submit), so the cast holds.
            return (ActorCell) pollSubmission();
        }
    }

    /**
     * A carrier thread, with the slot that lets an actor hand the actor it has just woken to its
     * own thread instead of to the pool (as Go's scheduler does with {@code runnext}): in a chain of
     * actors messaging each other, the next one runs right after the current one, on the same
     * core, with no queue push and no wake-up of an idle thread. The slot is only worth it while
     * the turn that filled it is about to end: when that turn goes on to another message, or asks
     * (and may wait for the reply), the held cell goes to the pool at once, where an idle carrier
     * takes it (see {@code ActorCell.runTurn} and {@code ActorCell.ask}). Off when the system was
     * built with {@code sameCarrierHandOff(false)}.
     *
     * <p><b>Threading:</b> {@code running} is the thread's own; {@code turns} is written by the
     * thread and read by the rescuer. {@code next} is written by the thread itself (a release
     * store of a cell whose scheduled flag it holds) and taken with an atomic swap, either by the thread when its turn ends or by
     * {@link #rescueHeldCells} when the turn has been running for a whole tick (a handler that
     * blocks, waiting for the very actor it woke): whichever swap gets the cell runs or submits
     * it, so a held cell is run exactly once and is never stranded behind a blocked handler for
     * more than two ticks.
     */
    public static final class Carrier extends ForkJoinWorkerThread {
        private static final VarHandle NEXT;
        private static final VarHandle TURNS;
        private static final VarHandle HANDLED;

        static {
            try {
                NEXT = MethodHandles.lookup().findVarHandle(Carrier.class, "next", ActorCell.class);
                TURNS = MethodHandles.lookup().findVarHandle(Carrier.class, "turns", long.class);
                HANDLED = MethodHandles.lookup().findVarHandle(Carrier.class, "handled", long.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        public final Dispatcher dispatcher;
        /** The dispatcher's {@code sameCarrierHandOff}, kept here to spare a load per wake-up. */
        public final boolean handOff;
        /** The cell whose turn this thread is running, or null. */
        public ActorCell running;
        /**
         * Turns begun by this thread; written by it, read by the rescuer as a sign of progress.
         * Opaque access: no ordering is needed, only that the rescuer eventually sees the count.
         */
        @SuppressWarnings("unused") // through TURNS
        private long turns;
        /**
         * User messages handled by the turns of this thread; written by it, summed by statistics
         * readers on any thread. Opaque, as {@link #turns}: a reader sees a recent count.
         */
        @SuppressWarnings("unused") // through HANDLED
        private long handled;
        @SuppressWarnings("unused") // through NEXT
        private volatile ActorCell next;
        /** Rescuer only: what the slot held, and the turn count, at the previous tick. */
        private ActorCell seenHeld;
        private long seenTurns;
        /** Turns until this thread next looks for work from outside the pool; the thread's own. */
        private int untilOutside = OUTSIDE_INTERVAL;
        /** Turns until this thread next times one for the long-turn event; the thread's own. */
        private int untilTimed;

        /**
         * Counts a turn about to begin while a recording wants long turns; the thread itself.
         *
         * @return whether to time this one: one turn in {@link #TIMED_TURN_INTERVAL}
         */
        public boolean timeThisTurn() {
            if (--untilTimed > 0) {
                return false;
            }
            untilTimed = TIMED_TURN_INTERVAL;
            return true;
        }

        /**
         * Counts a turn that has ended; the thread itself.
         *
         * @return whether this thread is due to run a cell from the pool's submission queues
         */
        public boolean outsideWorkDue() {
            assert Thread.currentThread() == this;
            if (--untilOutside > 0) {
                return false;
            }
            untilOutside = OUTSIDE_INTERVAL;
            return true;
        }

        /** @param messages user messages a turn of this thread handled; the thread itself */
        public void countHandled(int messages) {
            if (messages != 0) {
                HANDLED.setOpaque(this, (long) HANDLED.getOpaque(this) + messages);
            }
        }

        /** Counts a turn about to begin; the thread itself. */
        public void turnBegins() {
            TURNS.setOpaque(this, (long) TURNS.getOpaque(this) + 1);
        }

        /** @return whether the slot is empty; the thread itself */
        public boolean slotEmpty() {
            return NEXT.getOpaque(this) == null;
        }

        /** @param cell a cell whose flag this thread holds; the slot is empty; the thread itself */
        public void hold(ActorCell cell) {
            NEXT.setRelease(this, cell);
        }

        /** @return the held cell, now this caller's to run or submit, or null */
        public ActorCell take() {
            return (ActorCell) NEXT.getAndSet(this, (ActorCell) null);
        }

        Carrier(ForkJoinPool pool, Dispatcher dispatcher) {
            super(pool);
            this.dispatcher = dispatcher;
            this.handOff = dispatcher.sameCarrierHandOff;
        }
    }
    /**
     * User messages handled by carriers the pool has retired; added by the rescuer (the scheduler
     * thread) when it forgets an ended carrier, read by any thread.
     */
    private final AtomicLong retiredHandled = new AtomicLong();
    /** Every carrier thread the pool ever made, so that shutdown can wait for each to end. */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    /**
     * @param systemName names the threads
     * @param parallelism the number of carrier threads
     * @param sameCarrierHandOff whether an actor woken by a turn runs next on the same carrier
     * @param logger for failures that escape a task
     */
    public Dispatcher(String systemName, int parallelism, boolean sameCarrierHandOff, System.Logger logger) {
        this(systemName, parallelism, sameCarrierHandOff, logger, null);
    }

    /**
     * @param systemName names the threads
     * @param parallelism the number of carrier threads
     * @param sameCarrierHandOff whether an actor woken by a turn runs next on the same carrier
     * @param logger for failures that escape a task
     * @param simulator runs every cell and task instead of the carriers, or null
     */
    public Dispatcher(String systemName, int parallelism, boolean sameCarrierHandOff, System.Logger logger,
            Simulator simulator) {
        this.sameCarrierHandOff = sameCarrierHandOff;
        this.simulator = simulator;
        AtomicInteger counter = new AtomicInteger();
        ForkJoinPool.ForkJoinWorkerThreadFactory factory = p -> {
            Carrier thread = new Carrier(p, this);
            thread.setName("spinoff-" + systemName + "-dispatcher-" + counter.incrementAndGet());
            thread.setDaemon(true);
            threads.add(thread);
            return thread;
        };
        Thread.UncaughtExceptionHandler handler = (thread, failure) ->
                logger.log(System.Logger.Level.ERROR, "Uncaught failure on " + thread.getName(), failure);
        this.pool = new CarrierPool(parallelism, factory, handler);
    }

    /**
     * @param cell a cell whose scheduled flag the caller has just set
     * @return false when the pool has shut down (the caller still holds the flag)
     */
    public boolean submit(ActorCell cell) {
        return submit(cell, false);
    }

    /**
     * @param cell a cell whose scheduled flag the caller has just set
     * @param yielding the cell used up its batch: when work submitted from outside the pool is
     *     waiting, queue the cell behind it (a shared submission queue) rather than on the current
     *     carrier's own queue, which the carrier serves before any submission queue; the carrier's
     *     own queue is FIFO, so work already there comes first either way
     * @return false when the pool has shut down (the caller still holds the flag)
     * @throws RejectedExecutionException when the pool, not shut down, refused the cell (a queue
     *     that could not grow); the caller still holds the flag and should try again
     */
    public boolean submit(ActorCell cell, boolean yielding) {
        if (simulator != null) {
            return simulator.add(cell);
        }
        try {
            if (ActorCell.FAULT_INJECTION) {
                ActorCell.FaultInjector injector = ActorCell.faultInjector();
                if (injector != null) {
                    injector.beforeSubmit(cell);
                }
            }
            if (yielding && pool.hasQueuedSubmissions()) {
                pool.externalSubmit(cell);
            } else {
                pool.execute((ForkJoinTask<?>) cell);
            }
            return true;
        } catch (RejectedExecutionException e) {
            // The pool refuses both when it has shut down and when a queue cannot grow (under
            // memory pressure): only the first means that the cell will never run.
            if (pool.isShutdown()) {
                return false;
            }
            throw e;
        }
    }

    /**
     * Runs a task that is not an actor on the pool (a timed-out ask's callbacks, which may run user
     * code). Any thread.
     *
     * @param task the task
     * @return false when the pool has shut down or refused it; the caller runs it some other way
     */
    public boolean execute(Runnable task) {
        if (simulator != null) {
            return simulator.add(task);
        }
        try {
            pool.execute(task);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    /**
     * @return user messages handled by the carriers, those retired included; any thread. A sum of
     *     counts each carrier keeps for itself, so a little behind while they run (and, for the
     *     moment a retired carrier moves from one sum to the other, possibly off by its count);
     *     under a simulation, the steps it ran (a turn handles one message there)
     */
    public long messagesHandled() {
        if (simulator != null) {
            return simulator.steps();
        }
        long sum = retiredHandled.get();
        for (Thread thread : threads) {
            if (thread instanceof Carrier carrier) {
                sum += (long) Carrier.HANDLED.getOpaque(carrier);
            }
        }
        return sum;
    }

    /** @return how many carriers are running a turn at this moment (an estimate); any thread */
    public int busyCarriers() {
        return pool.getActiveThreadCount();
    }

    /**
     * @return whether no carrier runs a turn and none is queued (a snapshot, for tests under
     *     manual time); any thread
     */
    public boolean isQuiescent() {
        return simulator != null ? simulator.isIdle() : pool.isQuiescent();
    }

    /** @return the number of carrier threads (one, the driver's, under a simulation); any thread */
    public int carriers() {
        return simulator != null ? 1 : pool.getParallelism();
    }

    public void shutdown(long timeoutMillis) {
        if (simulator != null) {
            simulator.shutDown();
        }
        pool.shutdown();
        try {
            if (!pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
                pool.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
        joinAll(threads, timeoutMillis);
    }

    /** Waits for each thread to end (skipping the caller's own), up to the timeout in all. */
    public static void joinAll(Set<Thread> threads, long timeoutMillis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        for (Thread thread : threads) {
            if (thread == Thread.currentThread()) {
                continue;
            }
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return;
            }
            try {
                thread.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /**
     * Submits any cell that has sat in a carrier's slot for a whole tick while that carrier ran
     * no new turn: its handler is blocked (perhaps waiting for that very cell), so the cell goes
     * to the pool, where an idle carrier can run it. Called on the scheduler thread every tick.
     */
    public void rescueHeldCells() {
        for (Thread thread : threads) {
            if (!(thread instanceof Carrier carrier)) {
                continue;
            }
            if (carrier.getState() == Thread.State.TERMINATED) {
                // The pool retires idle carriers and makes new ones; forget the ended ones, and
                // keep their count (the thread has ended: its last write is visible).
                if (threads.remove(carrier)) {
                    retiredHandled.addAndGet((long) Carrier.HANDLED.getOpaque(carrier));
                }
                continue;
            }
            ActorCell held = (ActorCell) Carrier.NEXT.getAcquire(carrier);
            long turns = (long) Carrier.TURNS.getOpaque(carrier);
            if (held != null && held == carrier.seenHeld && turns == carrier.seenTurns
                    && Carrier.NEXT.compareAndSet(carrier, held, (ActorCell) null)) {
                held.submitScheduled(false);
                carrier.seenHeld = null;
                continue;
            }
            carrier.seenHeld = held;
            carrier.seenTurns = turns;
        }
    }

    /**
     * Takes the oldest cell waiting in the pool's submission queues, to run it as the next turn of
     * the calling carrier. Carriers of this pool only. The submitter set the cell's scheduled flag
     * before pushing it; the queue's push and this poll order that push before this return, as
     * when the pool itself runs the task, so the caller is the cell's consumer.
     *
     * @return the cell, or null when nothing from outside is waiting
     */
    public ActorCell pollOutside() {
        assert isCarrier();
        return pool.pollOutside();
    }

    /** @return whether the calling thread is one of this pool's carriers */
    public boolean isCarrier() {
        return Thread.currentThread() instanceof Carrier carrier && carrier.dispatcher == this;
    }

    boolean isShutdown() {
        return pool.isShutdown();
    }

    /** @return the simulation that runs the cells instead of the carriers, or null */
    public Simulator simulator() {
        return simulator;
    }
}
