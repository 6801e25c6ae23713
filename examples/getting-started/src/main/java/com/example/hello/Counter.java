package com.example.hello;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** A counter: what its actor understands, as a plain interface. */
@ActorProtocol
public interface Counter {

    /** Adds to the count; a tell, nothing comes back. */
    void increment(int by);

    /** The count; an ask, the reply completes the stage. */
    CompletionStage<Integer> get();
}
