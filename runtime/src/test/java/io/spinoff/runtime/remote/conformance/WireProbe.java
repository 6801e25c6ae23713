package io.spinoff.runtime.remote.conformance;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** The actor the conformance test talks to through raw sockets. */
@ActorProtocol
public interface WireProbe {
    /** Throws {@link IllegalStateException} with the message (a failing tell). */
    void crash(String message);

    /** Replies {@code "echo:" + text}. */
    CompletionStage<String> echo(String text);

    /** Throws {@link IllegalStateException} with the message (a failing ask). */
    CompletionStage<String> explode(String message);

    /** Tells {@code replyTo.text(text)}. */
    void forward(String text, WireSink replyTo);

    /** Never replies. */
    CompletionStage<String> never();

    /** Replies without a value. */
    CompletionStage<Void> ping();

    /** Stops the actor. */
    void quit();

    /** Records the text where the test can see it. */
    void record(String text);
}
