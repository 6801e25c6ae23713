package io.spinoff.examples.example3;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** Takes pings, from this node or another. */
@ActorProtocol
public interface Pinged {

    /**
     * @param n the ping's number
     * @param replyTo who gets the pong; a reference that may live on another node
     */
    void ping(int n, Ponged replyTo);

    /** @return how many pings arrived so far */
    CompletionStage<Integer> count();
}
