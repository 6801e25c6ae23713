package io.spinoff.runtime.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared pool of carrier threads that run actors: a {@link ForkJoinPool} in FIFO (async) mode,
 * sized to the cores unless configured. An actor cell is itself the task it submits, so scheduling
 * an actor allocates nothing; from a carrier thread, submission goes to that thread's own queue.
 * Not API.
 */
final class Dispatcher {

    private final ForkJoinPool pool;

    /**
     * A carrier thread, with the slot that lets an actor hand the actor it has just woken to its
     * own thread instead of to the pool (as Go's scheduler does with {@code runnext}): in a chain of
     * actors messaging each other, the next one runs right after the current one, on the same
     * core, with no queue push and no wake-up of an idle thread. Both fields are confined to the
     * thread itself.
     */
    static final class Carrier extends ForkJoinWorkerThread {
        final Dispatcher dispatcher;
        /** The cell whose turn this thread is running, or null. */
        ActorCell running;
        /** A cell the running one woke, scheduled (its flag held), to run when the turn ends. */
        ActorCell next;

        Carrier(ForkJoinPool pool, Dispatcher dispatcher) {
            super(pool);
            this.dispatcher = dispatcher;
        }
    }
    /** Every carrier thread the pool ever made, so that shutdown can wait for each to end. */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();

    Dispatcher(String systemName, int parallelism, System.Logger logger) {
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
        this.pool = new ForkJoinPool(parallelism, factory, handler, true);
    }

    /**
     * @param cell a cell whose scheduled flag the caller has just set
     * @return false when the pool has shut down (the caller still holds the flag)
     */
    boolean submit(ForkJoinTask<?> cell) {
        return submit(cell, false);
    }

    /**
     * @param cell a cell whose scheduled flag the caller has just set
     * @param yielding the cell used up its batch: when work submitted from outside the pool is
     *     waiting, queue the cell behind it (a shared submission queue) rather than on the current
     *     carrier's own queue, which the carrier serves before any submission queue; the carrier's
     *     own queue is FIFO, so work already there comes first either way
     * @return false when the pool has shut down (the caller still holds the flag)
     */
    boolean submit(ForkJoinTask<?> cell, boolean yielding) {
        try {
            if (yielding && pool.hasQueuedSubmissions()) {
                pool.externalSubmit(cell);
            } else {
                pool.execute(cell);
            }
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    void shutdown(long timeoutMillis) {
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
    static void joinAll(Set<Thread> threads, long timeoutMillis) {
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

    /** @return whether the calling thread is one of this pool's carriers */
    boolean isCarrier() {
        return Thread.currentThread() instanceof ForkJoinWorkerThread worker && worker.getPool() == pool;
    }

    boolean isShutdown() {
        return pool.isShutdown();
    }
}
