package io.spinoff.processor.samples;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletableFuture;

/** A class holding nested protocols: generated names join the nesting with '_'. */
public final class Services {
    private Services() {}

    /** A nested protocol. */
    @ActorProtocol
    public interface Clock {
        CompletableFuture<Long> now();

        void adjust(long millis);
    }
}
