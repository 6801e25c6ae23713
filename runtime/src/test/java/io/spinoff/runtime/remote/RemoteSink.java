package io.spinoff.runtime.remote;

import io.spinoff.api.ActorProtocol;

/** Receives the answers of {@link RemoteEcho}. */
@ActorProtocol
public interface RemoteSink {
    /** An answer to {@link RemoteEcho#ping}. */
    void pong(int seq);

    /** An answer to {@link RemoteEcho#answer}. */
    void text(String text);
}
