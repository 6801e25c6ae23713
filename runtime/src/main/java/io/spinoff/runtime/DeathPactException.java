package io.spinoff.runtime;

/**
 * Thrown by the default {@link Actor#onTerminated(Terminated)}: an actor that watches another but
 * does not handle its termination fails with this exception (the death pact, as in Akka and
 * Erlang links). Override {@code onTerminated} to handle the notice instead.
 *
 * <p>A watcher may also throw it on purpose, to end with the actor it cannot go on without: a
 * {@link Process}, which receives {@link Terminated} as a message and makes no death pact of its
 * own, throws it with {@link #DeathPactException(Terminated, String)}. The default
 * {@link SupervisorStrategy} stops an actor that fails with it rather than restart it.
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

    /**
     * @param terminated the notice the watcher ends with
     * @param message why the watcher cannot go on without the actor that terminated
     */
    public DeathPactException(Terminated terminated, String message) {
        super(message, terminated.cause());
        this.terminated = terminated;
    }

    /** @return the notice the watcher failed on */
    public Terminated terminated() {
        return terminated;
    }
}
