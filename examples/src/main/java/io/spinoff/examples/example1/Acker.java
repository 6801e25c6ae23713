package io.spinoff.examples.example1;

import io.spinoff.api.ActorProtocol;

/** Takes acknowledgements. */
@ActorProtocol
public interface Acker {

    /** A greeting arrived. */
    void ack();
}
