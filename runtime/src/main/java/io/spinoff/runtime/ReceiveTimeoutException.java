package io.spinoff.runtime;

/**
 * A {@link Process}'s {@code receive} or {@code await} ran out of time. Unchecked: a process that
 * does not catch it fails, and its supervisor decides what happens next, as in Erlang where a
 * {@code receive ... after} clause that is not written means waiting is a bug.
 */
public final class ReceiveTimeoutException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message says what was awaited, by which process, for how long */
    public ReceiveTimeoutException(String message) {
        super(message);
    }
}
