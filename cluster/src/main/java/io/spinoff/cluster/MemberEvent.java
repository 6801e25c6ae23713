package io.spinoff.cluster;

/**
 * A change of a cluster's membership, given to {@link Cluster#subscribe(java.util.function.Consumer)}.
 * A member is up from the moment its entry appears in ZooKeeper, and removed when the entry goes:
 * when it leaves, or when its ZooKeeper session expires (it crashed or was cut off for longer than
 * the session timeout).
 */
public sealed interface MemberEvent {

    /** @return the member concerned */
    Member member();

    /**
     * A member joined (or was already there when the subscription began).
     *
     * @param member the member
     */
    record MemberUp(Member member) implements MemberEvent {}

    /**
     * A member announced a change: it hosts other entity protocols now.
     *
     * @param member the member as it is now
     */
    record MemberChanged(Member member) implements MemberEvent {}

    /**
     * A member left or was removed.
     *
     * @param member the member as it was last announced
     */
    record MemberRemoved(Member member) implements MemberEvent {}
}
