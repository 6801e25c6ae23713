package io.spinoff.runtime.internal;

import io.spinoff.runtime.Timers;
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
 * only send.
 */
final class TimerScheduler implements Timers {

    private record Timer(long generation, ScheduledFuture<?> future, boolean repeating) {}

    private final ActorCell cell;
    private final Map<Object, Timer> timers = new HashMap<>();
    private long generations;

    TimerScheduler(ActorCell cell) {
        this.cell = cell;
    }

    @Override
    public void startSingleTimer(Object key, Object message, Duration delay) {
        check(key, message, delay, "delay");
        cancel(key);
        long generation = ++generations;
        ScheduledFuture<?> future = cell.runtime.schedule(
                () -> cell.tell(new TimerEnvelope(key, generation, message)), delay);
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
        ScheduledFuture<?> future = cell.runtime.scheduleAtFixedRate(
                () -> cell.tell(new TimerEnvelope(key, generation, message)), initialDelay, interval);
        timers.put(key, new Timer(generation, future, true));
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
    boolean isCurrent(TimerEnvelope envelope) {
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
