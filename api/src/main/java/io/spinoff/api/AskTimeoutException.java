package io.spinoff.api;

import java.util.concurrent.TimeoutException;

/**
 * The failure of an ask whose reply did not arrive within its timeout. The reply, should it come
 * later, is discarded.
 */
public final class AskTimeoutException extends TimeoutException {
    private static final long serialVersionUID = 1L;

    /** @param message says which call timed out, to which actor, after how long */
    public AskTimeoutException(String message) {
        super(message);
    }
}
