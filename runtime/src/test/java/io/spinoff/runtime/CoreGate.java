package io.spinoff.runtime;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** An actor that can be held busy, for the mailbox tests. */
@ActorProtocol
public interface CoreGate {
    /** Blocks the actor until the test releases it; replies then. */
    CompletionStage<Void> hold();

    /** Counts a ping. */
    void ping();

    /** Replies the pings counted. */
    CompletionStage<Integer> pings();
}
