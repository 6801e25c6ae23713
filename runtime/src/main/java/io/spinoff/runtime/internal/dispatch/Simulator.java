package io.spinoff.runtime.internal.dispatch;

import io.spinoff.runtime.internal.cell.ActorCell;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs one system deterministically: every actor turn, process step and dispatcher task runs on
 * the thread that drives the simulation (a test's thread), one at a time, each chosen among the
 * steps ready to run by a generator seeded by the test. The same seed and the same inputs give the
 * same order of steps, so a failure found under one seed replays under it. Not API.
 *
 * <p>A process runs on its own virtual thread but only while it holds the baton: the driver
 * grants it ({@link Baton}) and waits until the process blocks again (receive, sleep, await, an
 * operation on its cell's turn) or ends, which hands the baton back. Whoever wakes a blocked
 * process makes it ready ({@link Baton#ready}) instead of letting it run at once.
 *
 * <p><b>Threading and memory model:</b> one logical thread at a time. The driver calls
 * {@link #runUntilIdle}; during a step, the step's code (an actor turn on the driver itself, or a
 * process holding the baton) may add ready steps. The driver and a process hand the baton over
 * with semaphores (release, then the other side's acquire), so everything one side did happens
 * before what the other does next. The ready list is still guarded by this object's monitor, so
 * that a thread outside the simulation (a test's own thread pool, which makes the order depend on
 * timing) cannot corrupt it.
 */
public final class Simulator {

    /**
     * How long, in real time, the driver waits for a process to block again before calling it
     * stuck; set before the system starts, read by the driver.
     */
    private volatile long handBackNanos = TimeUnit.SECONDS.toNanos(10);

    private final long seed;
    private final SplittableRandom random;
    /** Guarded by this. Cells, tasks and batons ready to run, in the order they became ready. */
    private final ArrayList<Object> ready = new ArrayList<>();
    /** Released by a process when it blocks again or ends; acquired by the driver that granted it. */
    private final Semaphore handBack = new Semaphore(0);
    /** The most steps the schedule keeps (the latest ones); 0 when it is not recorded. */
    private final int traceLimit;
    /** Guarded by this. The latest steps, when recorded. */
    private final ArrayDeque<Step> trace;
    /** Guarded by this. */
    private long steps;
    /** Guarded by this. The thread running a step, or null between steps. */
    private Thread stepping;
    /** Guarded by this. */
    private boolean shutDown;

    /** One step of the schedule: who ran, and what it was about to handle. */
    public record Step(long number, String who, Object what) {
        @Override
        public String toString() {
            return number + " " + who + (what == null ? "" : " <- " + describe(what));
        }

        private static String describe(Object what) {
            try {
                return String.valueOf(what);
            } catch (RuntimeException e) {
                return what.getClass().getName() + " (its toString threw " + e + ")";
            }
        }
    }

    /**
     * @param seed the generator's seed
     * @param traceLimit how many of the latest steps to keep as the schedule; 0 keeps none
     */
    public Simulator(long seed, int traceLimit) {
        if (traceLimit < 0) {
            throw new IllegalArgumentException("traceLimit must not be negative, not " + traceLimit + ".");
        }
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.traceLimit = traceLimit;
        this.trace = traceLimit == 0 ? null : new ArrayDeque<>(Math.min(traceLimit, 1024));
    }

    /** @param nanos how long the driver waits for a process to block again before calling it stuck */
    public void handBackWithin(long nanos) {
        if (nanos <= 0) {
            throw new IllegalArgumentException("The limit must be positive, not " + nanos + " ns.");
        }
        handBackNanos = nanos;
    }

    /** @return the seed */
    public long seed() {
        return seed;
    }

    /**
     * Adds a step ready to run: a cell whose scheduled flag the caller holds (it passes to the
     * simulation), a task, or a process's baton.
     *
     * @return false once the simulation has shut down (the caller keeps the flag)
     */
    public synchronized boolean add(Object step) {
        if (shutDown) {
            return false;
        }
        ready.add(step);
        return true;
    }

    /** @return whether nothing is ready to run */
    public synchronized boolean isIdle() {
        return ready.isEmpty();
    }

    /** @return the steps run so far */
    public synchronized long steps() {
        return steps;
    }

    /** @return whether the caller is running a step (an actor's turn, or a task) */
    public synchronized boolean isStepping() {
        return stepping == Thread.currentThread();
    }

    /** @return the latest steps of the schedule, oldest first (empty when it is not recorded) */
    public synchronized List<Step> trace() {
        return trace == null ? List.of() : List.copyOf(trace);
    }

    /**
     * Records something that is not a step but explains the schedule, such as the time moving.
     *
     * @param note what happened
     */
    public synchronized void note(String note) {
        if (trace != null) {
            record(new Step(steps, note, null));
        }
    }

    /** Drops whatever is still ready and refuses new steps; for the system's close. */
    public synchronized void shutDown() {
        shutDown = true;
        ready.clear();
    }

    /**
     * Runs ready steps, one at a time, each chosen by the seeded generator, until none is ready.
     * The driving thread only, between steps.
     *
     * @param maxSteps the most steps to run (a system whose actors message each other for ever
     *     never goes idle)
     * @return whether the simulation went idle within that many steps
     * @throws IllegalStateException when called from within a step, or when a process kept the
     *     baton without blocking in one of the calls that hand it back
     */
    public boolean runUntilIdle(long maxSteps) {
        for (long run = 0; run < maxSteps; run++) {
            Object next;
            synchronized (this) {
                if (stepping != null) {
                    throw new IllegalStateException("The simulation is driven from within one of its own steps ("
                            + stepping.getName() + "); drive it from the test's thread, outside actors and processes.");
                }
                if (ready.isEmpty()) {
                    return true;
                }
                int index = random.nextInt(ready.size());
                int last = ready.size() - 1;
                next = ready.get(index);
                ready.set(index, ready.get(last));
                ready.remove(last);
                steps++;
                stepping = Thread.currentThread();
            }
            try {
                runStep(next);
            } finally {
                synchronized (this) {
                    stepping = null;
                }
            }
        }
        return isIdle();
    }

    private void runStep(Object next) {
        if (next instanceof ActorCell cell) {
            if (trace != null) {
                recordStep(cell.address(), cell.nextForTrace());
            }
            cell.run();
        } else if (next instanceof Baton baton) {
            if (trace != null) {
                recordStep(baton.name, null);
            }
            baton.run();
        } else {
            if (trace != null) {
                recordStep("task " + next, null);
            }
            ((Runnable) next).run();
        }
    }

    private synchronized void recordStep(String who, Object what) {
        record(new Step(steps, who, what));
    }

    private void record(Step step) {
        if (trace.size() == traceLimit) {
            trace.removeFirst();
        }
        trace.addLast(step);
    }

    /**
     * @param name the process's name, for the schedule and errors
     * @return a baton for a process of the simulated system
     */
    public Baton baton(String name) {
        return new Baton(name);
    }

    /**
     * A process's turn to run. The process waits for it before its first step
     * ({@link #awaitGrant}) and whenever it blocks ({@link #handBackAndWait}); the driver grants it
     * when it picks the baton from the ready steps. Threads: as each method says.
     */
    public final class Baton {
        private final String name;
        private final Semaphore grant = new Semaphore(0);
        /** Set by the process before its first wait; read by the driver for the stuck report. */
        private volatile Thread thread;

        private Baton(String name) {
            this.name = "process " + name;
        }

        /** Makes the process ready to run; whoever wakes it (within the simulation). */
        public void ready() {
            add(this);
        }

        /** Waits for the first grant, without handing anything back. The process's thread. */
        public void awaitGrant() {
            thread = Thread.currentThread();
            grant.acquireUninterruptibly();
        }

        /**
         * Hands the baton back to the driver and waits to be granted it again (after someone made
         * the process ready). An interrupt does not end the wait: it stays set for the caller to
         * see once granted, so the moment the process sees it is chosen by the schedule. The
         * process's thread.
         */
        public void handBackAndWait() {
            handBack.release();
            grant.acquireUninterruptibly();
        }

        /** Hands the baton back for good: the process has ended. The process's thread, last. */
        public void ended() {
            handBack.release();
        }

        /** Grants the baton and waits until the process hands it back. The driver. */
        void run() {
            grant.release();
            try {
                if (handBack.tryAcquire(handBackNanos, TimeUnit.NANOSECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while " + name + " ran in the simulation", e);
            }
            Thread stuck = thread;
            IllegalStateException failure = new IllegalStateException(name + " ran for "
                    + java.time.Duration.ofNanos(handBackNanos) + " without handing control back: in a deterministic"
                    + " simulation a process may block only in"
                    + " receive, sleep, await or an ask it awaits with await(...); a blocking call of its own (a"
                    + " future's get or join, a lock, a queue, I/O) stops the whole simulation. Its stack is this"
                    + " exception's.");
            if (stuck != null) {
                failure.setStackTrace(stuck.getStackTrace());
            }
            throw failure;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
