package io.spinoff.runtime.internal;

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

    Dispatcher(String systemName, int parallelism, System.Logger logger) {
        AtomicInteger counter = new AtomicInteger();
        ForkJoinPool.ForkJoinWorkerThreadFactory factory = p -> {
            ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            thread.setName("spinoff-" + systemName + "-dispatcher-" + counter.incrementAndGet());
            thread.setDaemon(true);
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
        try {
            pool.execute(cell);
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
    }

    boolean isShutdown() {
        return pool.isShutdown();
    }
}
