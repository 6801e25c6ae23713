package io.spinoff.testkit;

import io.spinoff.api.ActorProtocol;

/** An actor under test: it reads a counter and reports the count to another counter. */
@ActorProtocol
public interface Reporter {
    /** Asks {@code source} for its count and adds it to {@code sink}. */
    void report(Counter source, Counter sink);
}
