package io.spinoff.runtime;

/**
 * An actor could not be created or started: its factory, constructor, {@code preStart} or
 * {@code postRestart} threw. By default a supervisor stops such an actor rather than restart it
 * again and again.
 */
public final class ActorInitializationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message which actor, at which step
     * @param cause what was thrown
     */
    public ActorInitializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
