package io.spinoff.processor.samples;

import io.spinoff.api.ActorProtocol;
import io.spinoff.api.AskTimeout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** The protocol of the SPEC's example: tells, asks with and without a value. */
@ActorProtocol
public interface Counter {
    void increment(int by);

    CompletionStage<Integer> get();

    @AskTimeout(value = 2, unit = TimeUnit.SECONDS)
    CompletableFuture<Void> reset();
}
