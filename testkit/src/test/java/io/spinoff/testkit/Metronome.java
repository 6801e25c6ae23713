package io.spinoff.testkit;

import io.spinoff.api.ActorProtocol;

/** An actor under test that works with time: timers and ask timeouts. */
@ActorProtocol
public interface Metronome {
    /** Tells {@code sink.increment(n)} every period, n counting from 1. */
    void start(Counter sink, long periodMillis);

    /** Stops the ticking. */
    void stop();

    /** Asks {@code source} for its count and adds it to {@code sink}, or adds -1 when the ask fails. */
    void relay(Counter source, Counter sink);

    /** The timer's message. */
    void tick();
}
