package io.spinoff.runtime;

/** The exception the core runtime tests' actors throw on purpose. */
public final class CoreFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message names the call that failed */
    public CoreFailure(String message) {
        super(message);
    }
}
