package io.spinoff.runtime;

import java.time.Duration;

/**
 * Timers that deliver a message to the actor that owns them. Each timer has a key; starting a
 * timer with the key of an active one replaces it. All of an actor's timers are cancelled when it
 * stops or restarts, and a cancelled timer's message is never delivered, even if it was already
 * queued.
 *
 * <p><b>Threading:</b> only the owning actor may use its timers, from its own message handlers or
 * hooks. The messages are delivered through the mailbox like any other.
 */
public interface Timers {

    /**
     * Delivers {@code message} to self once, after {@code delay}.
     *
     * @param key identifies the timer
     * @param message a message of a protocol the actor implements
     * @param delay how long to wait; not negative
     */
    void startSingleTimer(Object key, Object message, Duration delay);

    /**
     * Delivers {@code message} to self every {@code interval}, the first time after
     * {@code initialDelay}.
     *
     * @param key identifies the timer
     * @param message a message of a protocol the actor implements
     * @param initialDelay how long before the first delivery; not negative
     * @param interval the period; positive
     */
    void startTimerAtFixedRate(Object key, Object message, Duration initialDelay, Duration interval);

    /**
     * @param key a timer's key
     * @return whether that timer is active
     */
    boolean isTimerActive(Object key);

    /** @param key the timer to cancel; nothing happens if it is not active */
    void cancel(Object key);

    /** Cancels every timer of the actor. */
    void cancelAll();
}
