package io.spinoff.cluster;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** An entity protocol for the tests of entities that stop themselves. */
@ActorProtocol
public interface Tally {
    /** @return the sum so far, in this activation */
    CompletionStage<Long> add(long amount);

    /** Stops this activation (the entity stops itself). */
    void quit();
}
