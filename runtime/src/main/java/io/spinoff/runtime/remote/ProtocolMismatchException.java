package io.spinoff.runtime.remote;

/**
 * A remote call reached a node whose definition of the protocol differs: the protocol's fingerprint
 * on the calling node and on the hosting node are not equal, so neither can trust the other's
 * encoding. The message names the protocol, both nodes and both fingerprints.
 *
 * <p>Fix: rebuild both nodes from the same protocol source.
 *
 * <p><b>Threading:</b> immutable once thrown.
 */
public final class ProtocolMismatchException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what happened, naming the actor and the nodes involved */
    public ProtocolMismatchException(String message) {
        super(message);
    }
}
