package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletableFuture;

/**
 * The probe of {@link FairnessBenchmark}: takes work from outside the pool and its own timer.
 * Local, so that a tell can carry the future its sender waits on (an ask would load the
 * scheduler thread, which also fires the timers, with ask-timeout bookkeeping).
 */
@ActorProtocol(local = true)
public interface FairnessProbe {

    /** Starts the 1 ms fixed-rate timer whose firings measure timer lateness. */
    void startTimer();

    /** The timer's message: records how late this firing is handled. */
    void tick();

    /**
     * A tell from outside the pool: records how long it took from its sender to this handler,
     * then completes {@code handled}.
     */
    void stamp(long sentNanos, CompletableFuture<Void> handled);
}
