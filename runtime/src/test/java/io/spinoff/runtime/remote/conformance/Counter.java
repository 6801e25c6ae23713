package io.spinoff.runtime.remote.conformance;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** The protocol of the worked examples in docs/WIRE-FORMAT.md. */
@ActorProtocol
public interface Counter {
    /** Adds to the count. */
    void add(int amount);

    /** Replies the count. */
    CompletionStage<Integer> get();
}
