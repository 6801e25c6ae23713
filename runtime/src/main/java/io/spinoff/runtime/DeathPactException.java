package io.spinoff.runtime;

/**
 * Thrown by the default {@link Actor#onTerminated(Terminated)}: an actor that watches another but
 * does not handle its termination fails with this exception (the death pact, as in Akka and
 * Erlang links). Override {@code onTerminated} to handle the notice instead.
 */
public final class DeathPactException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Terminated terminated;

    /** @param terminated the notice that was not handled */
    public DeathPactException(Terminated terminated) {
        super("Watched actor " + terminated.address() + " terminated (" + terminated.reason()
                + ") and the watcher does not override onTerminated; override it to handle the notice.",
                terminated.cause());
        this.terminated = terminated;
    }

    /** @return the notice that was not handled */
    public Terminated terminated() {
        return terminated;
    }
}
