package io.spinoff.processor.samples;

import io.spinoff.api.ActorProtocol;

/** The protocol a greeted actor replies through. */
@ActorProtocol
public interface Acker {
    void ack(String greeting);
}
