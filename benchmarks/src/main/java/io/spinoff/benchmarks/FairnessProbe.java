package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** The probe of {@link FairnessBenchmark}: takes work from outside the pool and its own timer. */
@ActorProtocol
public interface FairnessProbe {

    /** Starts the 1 ms fixed-rate timer whose firings measure timer lateness. */
    void startTimer();

    /** The timer's message: records how late this firing is handled. */
    void tick();

    /** A tell from outside the pool: records how long it took from its sender to this handler. */
    void stamp(long sentNanos);

    /** An ask from outside the pool, answered at once. */
    CompletionStage<Integer> sync(int value);
}
