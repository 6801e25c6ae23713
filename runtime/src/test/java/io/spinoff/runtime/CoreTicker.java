package io.spinoff.runtime;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** An actor driving its own timers, for the timer tests. */
@ActorProtocol
public interface CoreTicker {
    /** Starts a single timer that sends {@code tick(key)} to self. */
    void startOnce(String key, long delayMillis);

    /** Starts a fixed-rate timer that sends {@code tick(key)} to self. */
    void startAtFixedRate(String key, long initialDelayMillis, long intervalMillis);

    /** Cancels the timer {@code key}. */
    void cancel(String key);

    /** The timers' message: records a delivery. */
    void tick(String key);

    /** Throws, so that the actor restarts. */
    void crash();

    /** Replies whether the timer {@code key} is active. */
    CompletionStage<Boolean> isActive(String key);

    /** Starts a timer whose message is not of this protocol; fails with what the timers threw. */
    CompletionStage<Void> startForeignTimer(boolean otherProtocol);
}
