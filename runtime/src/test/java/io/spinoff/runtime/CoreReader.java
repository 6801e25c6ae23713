package io.spinoff.runtime;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** The other of two protocols of one actor, for the core runtime tests. */
@ActorProtocol
public interface CoreReader {
    /** Replies the state the actor's other protocol changes. */
    CompletionStage<Integer> read();
}
