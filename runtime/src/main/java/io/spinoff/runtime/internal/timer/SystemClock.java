package io.spinoff.runtime.internal.timer;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The machine's time: {@link System#nanoTime()} and the system's scheduler thread. Not API.
 *
 * <p><b>Threading:</b> any thread; the executor is thread-safe.
 */
public final class SystemClock implements Clock {
    private final ScheduledExecutorService scheduler;

    /** @param scheduler the system's scheduler thread */
    public SystemClock(ScheduledExecutorService scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        try {
            return scheduler.schedule(task, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelayNanos, long periodNanos) {
        try {
            return scheduler.scheduleAtFixedRate(task, Math.max(0, initialDelayNanos), periodNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            return null;
        }
    }
}
