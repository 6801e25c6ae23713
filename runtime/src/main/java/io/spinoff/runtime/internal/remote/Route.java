package io.spinoff.runtime.internal.remote;

import io.spinoff.api.support.ProtocolDefinition;

/**
 * Where the messages of one protocol to one remote actor go: the actor, the protocol, and the
 * TARGET frame that names both on the wire, encoded once. Not API.
 *
 * <p><b>Threading:</b> the final fields are set before the route is shared (it reaches the I/O
 * thread through the outbound queue, whose offer happens-before its poll). {@link #batch} and
 * {@link #index} are read and written by the I/O thread only.
 */
final class Route {
    final RemoteActorRef target;
    final ProtocolDefinition<Object, Object> definition;
    final long fingerprint;
    /** {@code TARGET, path, protocol name, fingerprint}, as {@link WireFormat} describes. */
    final byte[] targetFrame;

    /** I/O thread only: the batch in which this route last got an index, or -1. */
    long batch = -1;
    /** I/O thread only: its index in that batch. */
    int index;

    Route(RemoteActorRef target, ProtocolDefinition<Object, Object> definition, long fingerprint, byte[] targetFrame) {
        this.target = target;
        this.definition = definition;
        this.fingerprint = fingerprint;
        this.targetFrame = targetFrame;
    }
}
