package io.spinoff.testkit;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** A counter, for the kit's tests. */
@ActorProtocol
public interface Counter {
    /** Adds to the count. */
    void increment(int by);

    /** Replies the count. */
    CompletionStage<Integer> get();
}
