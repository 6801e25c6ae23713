package io.spinoff.runtime;

import javax.management.ConstructorParameters;

/**
 * One actor as the JMX view of a system shows it: a snapshot taken without stopping the actor, so
 * its figures may already be out of date when read. Immutable; any thread.
 */
public final class ActorInfo {

    private final String path;
    private final String actorClass;
    private final long mailboxDepth;
    private final String state;
    private final long restarts;

    /**
     * @param path the actor's path, such as {@code /user/a/b}
     * @param actorClass the class of its instance
     * @param mailboxDepth messages waiting (a relaxed count for an unbounded mailbox)
     * @param state CREATED, RUNNING, SUSPENDED, RESTARTING, TERMINATING or TERMINATED
     * @param restarts how many times it was restarted
     */
    @ConstructorParameters({"path", "actorClass", "mailboxDepth", "state", "restarts"})
    public ActorInfo(String path, String actorClass, long mailboxDepth, String state, long restarts) {
        this.path = path;
        this.actorClass = actorClass;
        this.mailboxDepth = mailboxDepth;
        this.state = state;
        this.restarts = restarts;
    }

    /** @return the actor's path, such as {@code /user/a/b} */
    public String getPath() {
        return path;
    }

    /** @return the class of its instance */
    public String getActorClass() {
        return actorClass;
    }

    /** @return messages waiting in its mailbox */
    public long getMailboxDepth() {
        return mailboxDepth;
    }

    /** @return its lifecycle state */
    public String getState() {
        return state;
    }

    /** @return how many times it was restarted */
    public long getRestarts() {
        return restarts;
    }

    @Override
    public String toString() {
        return path + " " + actorClass + " " + state + " mailbox=" + mailboxDepth + " restarts=" + restarts;
    }
}
