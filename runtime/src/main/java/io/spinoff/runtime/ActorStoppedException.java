package io.spinoff.runtime;

/**
 * The failure of an ask sent to an actor that has stopped, or that stopped before replying. It
 * comes at once, not after the ask's timeout.
 */
public final class ActorStoppedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message says which call, to which actor */
    public ActorStoppedException(String message) {
        super(message);
    }
}
