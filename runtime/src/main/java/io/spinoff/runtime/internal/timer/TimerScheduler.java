package io.spinoff.runtime.internal.timer;

import io.spinoff.runtime.Timers;
import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.cell.ActorCell;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;

/**
 * An actor's timers, on the system's scheduler thread. Each start gives the key a new generation;
 * a firing puts a {@link TimerEnvelope} with that generation in the mailbox, and the envelope is
 * delivered only if its generation is still the key's current one, so a cancelled or replaced
 * timer never delivers, even when its message was already queued. Not API.
 *
 * <p><b>Threads:</b> consumer only (the owning actor's turn), except the scheduled firings, which
 * only send, or cancel their own timer once the actor has terminated (see {@link Firing}).
 */
public final class TimerScheduler implements Timers {

    private record Timer(long generation, ScheduledFuture<?> future, boolean repeating) {}

    private final ActorCell cell;
    private final Map<Object, Timer> timers = new HashMap<>();
    private long generations;

    public TimerScheduler(ActorCell cell) {
        this.cell = cell;
    }

    @Override
    public void startSingleTimer(Object key, Object message, Duration delay) {
        check(key, message, delay, "delay");
        cancel(key);
        long generation = ++generations;
        Firing firing = new Firing(key, generation, message);
        ScheduledFuture<?> future = cell.runtime.schedule(firing, delay);
        firing.future = future;
        timers.put(key, new Timer(generation, future, false));
    }

    @Override
    public void startTimerAtFixedRate(Object key, Object message, Duration initialDelay, Duration interval) {
        check(key, message, initialDelay, "initialDelay");
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("A timer interval must be positive, not " + interval + ".");
        }
        cancel(key);
        long generation = ++generations;
        Firing firing = new Firing(key, generation, message);
        ScheduledFuture<?> future = cell.runtime.scheduleAtFixedRate(firing, initialDelay, interval);
        firing.future = future;
        timers.put(key, new Timer(generation, future, true));
    }

    /**
     * One timer's firings, on the scheduler thread. Once the actor has terminated, a firing cancels
     * its own timer instead of sending: the actor's turn cancels its timers when it stops, but an
     * actor terminated by force (a handler stuck past the stop timeout) may never have a turn
     * again, and its periodic timers would fire, and hold the cell, for ever.
     */
    private final class Firing implements Runnable {
        private final Object key;
        private final long generation;
        private final Object message;
        /**
         * The timer's handle: written by the consumer right after scheduling, read by the scheduler
         * thread (volatile). A firing that comes before the write sees null and leaves the
         * cancelling to the next firing.
         */
        volatile ScheduledFuture<?> future;

        Firing(Object key, long generation, Object message) {
            this.key = key;
            this.generation = generation;
            this.message = message;
        }

        /**
         * Never throws: the scheduler would cancel a periodic timer for good, and silently. The
         * send may run user code (a dead-letter listener, when a bounded mailbox is full) and that
         * code may throw anything; the failure is logged and the next firing comes as planned.
         */
        @Override
        public void run() {
            try {
                if (cell.isTerminated()) {
                    ScheduledFuture<?> own = future;
                    if (own != null) {
                        own.cancel(false);
                    }
                    return;
                }
                cell.tell(new TimerEnvelope(key, generation, message));
            } catch (Throwable failure) {
                try {
                    SystemRuntime.LOG.log(System.Logger.Level.WARNING, "A firing of timer " + key + " of "
                            + cell.address() + " failed; the timer goes on", failure);
                } catch (Throwable ignored) {
                    // nothing more to do on the scheduler thread; the timer goes on
                }
            }
        }
    }

    private void check(Object key, Object message, Duration delay, String what) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(delay, what);
        if (delay.isNegative()) {
            throw new IllegalArgumentException("A timer " + what + " must not be negative, not " + delay + ".");
        }
        if (!cell.accepts(message)) {
            throw new IllegalArgumentException("Timer message " + message + " is not a message of a protocol "
                    + cell.address() + " implements; send one of its own protocol's messages.");
        }
    }

    @Override
    public boolean isTimerActive(Object key) {
        return timers.containsKey(key);
    }

    @Override
    public void cancel(Object key) {
        Timer timer = timers.remove(key);
        if (timer != null && timer.future() != null) {
            timer.future().cancel(false);
        }
    }

    @Override
    public void cancelAll() {
        for (Timer timer : timers.values()) {
            if (timer.future() != null) {
                timer.future().cancel(false);
            }
        }
        timers.clear();
    }

    /** @return whether the envelope's timer is current; a single timer is then done */
    public boolean isCurrent(TimerEnvelope envelope) {
        Timer timer = timers.get(envelope.key());
        if (timer == null || timer.generation() != envelope.generation()) {
            return false;
        }
        if (!timer.repeating()) {
            timers.remove(envelope.key());
        }
        return true;
    }
}
