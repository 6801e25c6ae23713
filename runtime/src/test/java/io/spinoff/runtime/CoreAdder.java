package io.spinoff.runtime;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** One of two protocols of one actor, for the core runtime tests. */
@ActorProtocol
public interface CoreAdder {
    /** Adds to the sum. */
    void add(int by);

    /** Replies the sum. */
    CompletionStage<Integer> sum();
}
