package io.spinoff.runtime.remote;

/**
 * A remote actor's method failed, or its reply could not be decoded. Only the failure's message
 * crosses the wire (no class names and no stack trace), so on the asking side this stands for the
 * original exception; the hosting node's log has the full failure.
 *
 * <p><b>Threading:</b> immutable once thrown.
 */
public final class RemoteActorException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened, naming the actor and the nodes involved */
    public RemoteActorException(String message) {
        super(message);
    }
}
