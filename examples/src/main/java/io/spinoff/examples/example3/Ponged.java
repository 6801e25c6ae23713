package io.spinoff.examples.example3;

import io.spinoff.api.ActorProtocol;

/** Takes pongs. */
@ActorProtocol
public interface Ponged {

    /**
     * @param n the number of the ping it answers
     * @param from the address of the actor that answered
     */
    void pong(int n, String from);
}
