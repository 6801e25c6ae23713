package io.spinoff.processor.samples;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** A protocol that refers to another: greetings carry the protocol to reply to. */
@ActorProtocol
public interface Greeter {
    void greet(String greeting, Acker replyTo);

    CompletionStage<String> greetAndWait(String greeting);
}
