package io.spinoff.runtime;

import io.spinoff.api.ActorProtocol;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Records numbered messages per sender, for the ordering tests. */
@ActorProtocol
public interface CoreLog {
    /** Records {@code seq} as the next number received from {@code sender}. */
    void append(int sender, int seq);

    /** Replies the numbers received from {@code sender}, in the order received. */
    CompletionStage<List<Integer>> sequenceOf(int sender);
}
