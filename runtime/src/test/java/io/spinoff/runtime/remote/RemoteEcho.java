package io.spinoff.runtime.remote;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** The actor the remoting tests call across nodes. */
@ActorProtocol
public interface RemoteEcho {
    /** Replies {@code text + "@" + node name}. */
    CompletionStage<String> echo(String text);

    /** Throws {@link IllegalStateException} with the message. */
    CompletionStage<String> explode(String message);

    /** Never replies. */
    CompletionStage<String> never();

    /** Replies a byte array of that size. */
    CompletionStage<byte[]> blob(int size);

    /** Answers {@code replyTo.pong(seq)}. */
    void ping(int seq, RemoteSink replyTo);

    /** Passes the text and reply-to on to {@code next}, which answers {@code replyTo}. */
    void relay(String text, RemoteEcho next, RemoteSink replyTo);

    /** Answers {@code replyTo.text(text + " from " + node name)}. */
    void answer(String text, RemoteSink replyTo);

    /** Replies how many pings arrived. */
    CompletionStage<Integer> pings();
}
