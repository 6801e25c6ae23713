package io.spinoff.examples.example1;

import io.spinoff.api.ActorProtocol;

/** Takes greetings, and says where to send the acknowledgement. */
@ActorProtocol
public interface Greeter {

    /**
     * @param text the greeting
     * @param replyTo who gets the ack
     */
    void greet(String text, Acker replyTo);
}
