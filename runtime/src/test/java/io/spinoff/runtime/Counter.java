package io.spinoff.runtime;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The SPEC's counter protocol, used across the runtime tests. */
@ActorProtocol
public interface Counter {
    void increment(int by);

    CompletionStage<Integer> get();

    CompletableFuture<Void> reset();
}
