package io.spinoff.runtime;

/**
 * The failure of an ask sent to an address where no actor lives. It comes at once, not after the
 * ask's timeout.
 */
public final class ActorNotFoundException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message says which address was not found */
    public ActorNotFoundException(String message) {
        super(message);
    }
}
