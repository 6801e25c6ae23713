package io.spinoff.runtime.remote.conformance;

import io.spinoff.api.ActorProtocol;

/** What a node sends to an actor hosted by the raw peer of the conformance test. */
@ActorProtocol
public interface WireSink {
    /** A text for the sink. */
    void text(String text);
}
