package io.spinoff.runtime.remote;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** A receiver slower than its senders, for the flow-control tests. */
@ActorProtocol
public interface SlowSink {
    /** Takes one numbered message; sequence numbers of one sender increase by one from 0. */
    void take(long seq, String payload);

    /** Replies how many messages it took. */
    CompletionStage<Long> taken();
}
