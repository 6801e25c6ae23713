package io.spinoff.runtime.internal.cell;

/**
 * Messages of the runtime to an actor cell, handled before user messages and even while the actor
 * is suspended. Not API.
 */
public sealed interface SystemMessage {

    /** Run preStart and begin taking user messages. */
    record Start() implements SystemMessage {}

    /** Stop: children first, then postStop. {@code failure} is why, or null for a normal stop. */
    record Stop(Throwable failure) implements SystemMessage {}

    /**
     * A child failed and is suspended, waiting for this supervisor's directive. {@code incarnation}
     * is the child's at the failure: how many restarts its supervisor had ordered before.
     */
    record Failed(ActorCell child, Throwable cause, long incarnation) implements SystemMessage {}

    /** Resume after a failure, keeping state. */
    record Resume() implements SystemMessage {}

    /**
     * Restart after a failure: new instance, mailbox kept. {@code incarnation} is the number the
     * supervisor gives the new instance (the restarts it has ordered for this child).
     */
    record Restart(Throwable cause, long incarnation) implements SystemMessage {}

    /** A child has terminated. */
    record ChildTerminated(ActorCell child) implements SystemMessage {}

    /** Run a piece of runtime code on the actor's turn. */
    record Task(Runnable action) implements SystemMessage {}
}
