package io.spinoff.runtime.remote;

/**
 * A remote call failed because the node that hosts the actor is unreachable: nothing was heard
 * from it for longer than the failure detector's threshold, it restarted as a new incarnation, its
 * outbound queue is full, or the local node is closing. Pending asks to such a node fail with this
 * at once rather than by timeout.
 *
 * <p><b>Threading:</b> immutable once thrown.
 */
public final class NodeUnreachableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened, naming the actor and the nodes involved */
    public NodeUnreachableException(String message) {
        super(message);
    }
}
