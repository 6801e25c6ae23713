package io.spinoff.runtime.internal.timer;

import java.util.concurrent.ScheduledFuture;

/**
 * The time of a system as its actors see it: what timers, ask and receive timeouts, process
 * sleeps, supervision backoff and restart windows, and the stop timeout measure. Either the
 * machine's ({@link SystemClock}) or one a test drives ({@link ManualClock}). The runtime's own
 * housekeeping (resubmission of held actors, statistics, remoting) always runs on the machine's
 * time. Not API.
 *
 * <p><b>Threading:</b> every method may be called from any thread.
 */
public interface Clock {

    /** @return the current time in nanoseconds, comparable only with other readings of this clock */
    long nanoTime();

    /**
     * Runs a task once after a delay. The task must not block.
     *
     * @param task what to run
     * @param delayNanos the delay; zero or less runs it as soon as the clock allows
     * @return its handle, or null when the clock no longer runs tasks (its system has closed)
     */
    ScheduledFuture<?> schedule(Runnable task, long delayNanos);

    /**
     * Runs a task at a fixed rate. The task must not block.
     *
     * @return its handle, or null when the clock no longer runs tasks
     */
    ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelayNanos, long periodNanos);

    /** @return whether a test drives this clock */
    default boolean isManual() {
        return false;
    }
}
