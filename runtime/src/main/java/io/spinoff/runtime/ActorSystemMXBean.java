package io.spinoff.runtime;

import java.util.List;

/**
 * The JMX view of one actor system, registered as {@code io.spinoff:type=ActorSystem,name=NAME}
 * when the system starts (unless {@link ActorSystemBuilder#jmx(boolean) jmx(false)}) and
 * unregistered when it closes. JConsole and VisualVM show its attributes and operations; every
 * type is an open type, so no Spinoff class is needed on the client's class path.
 *
 * <p>Two systems of the same name in one JVM both register: the second as {@code name=NAME-2},
 * the third as {@code NAME-3} and so on; {@link #getName()} is the system's own name.
 *
 * <p><b>Threading:</b> every method may be called from any thread (JMX calls come from the
 * connector's threads); figures are read without stopping the system.
 */
public interface ActorSystemMXBean {

    /** @return the system's name */
    String getName();

    /** @return the system's address: its name, or {@code name@host:port} for a node */
    String getAddress();

    /** @return actors alive now, guardians excluded */
    long getLiveActors();

    /** @return messages that went to dead letters since the start */
    long getDeadLetters();

    /** @return restarts made by supervisors since the start */
    long getRestarts();

    /** @return messages refused by full bounded mailboxes since the start */
    long getMailboxOverflows();

    /** @return network frames dropped since the start */
    long getDroppedFrames();

    /** @return asks waiting for a reply */
    long getPendingAsks();

    /** @return user messages handled by the system's actors since it started */
    long getMessagesHandled();

    /**
     * @return messages waiting in every mailbox, the cluster's entities' included (relaxed counts
     *     for unbounded mailboxes)
     */
    long getMailboxDepth();

    /** @return the remote nodes this node knows; empty when the system is not a node */
    List<PeerInfo> getPeers();

    /**
     * Lists every actor of this system: first those under {@code /user}, then, when the system is
     * a member of a cluster, the entities it hosts under {@code /cluster/PROTOCOL/ID} (and their
     * children), one protocol after another in the order of their names. Within each, a parent
     * comes before its children and siblings come in the order of their paths. The roots
     * ({@code /user}, {@code /cluster/PROTOCOL}) are not listed.
     *
     * @return every actor, parents before their children
     */
    List<ActorInfo> dumpActorTree();

    /**
     * @param path an actor's path, such as {@code /user/a/b}, or an entity's, such as
     *     {@code /cluster/Account/alice}
     * @return that actor, or null when there is none
     */
    ActorInfo lookupActor(String path);

    /**
     * Stops one actor (its children first), as {@link ActorSystem#stop} does, without waiting.
     *
     * <p>An entity of a cluster ({@code /cluster/PROTOCOL/ID}) is refused: the cluster alone
     * activates and stops its entities, and would activate it again at its next message. It stops
     * when the cluster passivates it (idle for the passivation time) or when its member leaves. An
     * entity's children are actors like any other and may be stopped.
     *
     * @param path an actor's path, such as {@code /user/a/b}
     * @return whether there was such an actor
     * @throws IllegalArgumentException when the path is an entity's (a JMX client sees it wrapped
     *     in a {@code RuntimeMBeanException}), saying why
     */
    boolean stopActor(String path);
}
