package io.spinoff.runtime.internal;

import io.spinoff.api.ActorRef;
import io.spinoff.api.support.ProtocolDefinition;

/**
 * What the cluster resolver ({@link SystemRuntime#clusterResolver}) returns for an entity that is
 * not active on this node: a reference that activates the entity, buffers its messages while its
 * shard moves, or forwards them to the node that owns it. The node's I/O thread hands such a
 * reference the messages and asks of other nodes addressed to the entity's path, decoded with
 * {@link #protocol()}, instead of refusing them for want of an actor. Not API.
 *
 * <p><b>Threading:</b> called from any thread, the node's I/O thread among them: it must not block.
 */
public interface EntitySink extends ActorRef<Object> {

    /** @return the entity's protocol: frames for any other protocol are refused */
    ProtocolDefinition<?, ?> protocol();

    /**
     * @param entity an entity's reference
     * @return the error for an attempt to watch it
     */
    static IllegalArgumentException notWatchable(EntitySink entity) {
        return new IllegalArgumentException(entity.address() + " is an entity: the cluster activates and passivates it"
                + " at will, wherever it places it, so it has no lifetime to watch; if others must learn that it"
                + " stopped, have it tell them from its postStop.");
    }

    /**
     * @param entity an entity's reference
     * @return the error for an attempt to stop it from outside
     */
    static IllegalArgumentException notStoppable(EntitySink entity) {
        return new IllegalArgumentException(entity.address() + " is an entity: the cluster alone stops it (when it"
                + " has been idle for the passivation time, or when its member leaves), and its next message"
                + " would activate it again; to end it now, send it a message on which it stops itself.");
    }
}
