package io.spinoff.cluster;

import io.spinoff.cluster.internal.ClusterCore;
import io.spinoff.cluster.internal.EntityRegion;
import io.spinoff.runtime.Actor;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;

/**
 * The entities of one protocol on one node: {@link #host} makes the node one of the members that
 * run them; the counters tell what the node did with them. Get it from
 * {@link Cluster#entities(Class)}.
 *
 * <p><b>Threading:</b> any thread. The settings ({@link #passivateAfter}, {@link #buffer}) apply
 * when {@link #host} is called.
 *
 * @param <P> the entity protocol
 */
public final class Entities<P> {

    /** The default idle time after which an entity is passivated. */
    public static final Duration DEFAULT_PASSIVATE_AFTER = Duration.ofMinutes(2);
    /** The default number of messages a shard buffers while it has no owner. */
    public static final int DEFAULT_BUFFER = 10_000;

    private final ClusterCore core;
    private final Class<P> protocol;
    private final EntityRegion region;
    private Duration passivateAfter = DEFAULT_PASSIVATE_AFTER;
    private int buffer = DEFAULT_BUFFER;

    Entities(ClusterCore core, Class<P> protocol) {
        this.core = core;
        this.protocol = protocol;
        this.region = core.region(protocol);
    }

    /**
     * @param idle how long an entity may go without a message before it is stopped (its
     *     {@code postStop} runs); its next message activates it again
     * @return this
     */
    public synchronized Entities<P> passivateAfter(Duration idle) {
        if (idle.toMillis() < 1) {
            throw new IllegalArgumentException("The passivation time must be positive, not " + idle + ".");
        }
        this.passivateAfter = idle;
        return this;
    }

    /**
     * @param messages how many messages each shard keeps while it has no owner (it is moving, or no
     *     member hosts the protocol yet); past it, tells go to dead letters and asks fail with
     *     {@link io.spinoff.runtime.MailboxOverflowException}, counted by {@link #overflows()}
     * @return this
     */
    public synchronized Entities<P> buffer(int messages) {
        if (messages < 1) {
            throw new IllegalArgumentException("The buffer must hold at least one message, not " + messages + ".");
        }
        this.buffer = messages;
        return this;
    }

    /**
     * Makes this node a host of the protocol: the leader assigns it a share of the shards, and it
     * activates an entity of those shards on the entity's first message, with
     * {@code factory.apply(id)}. Entities are supervised by the system's guardian strategy, live
     * at {@code /cluster/PROTOCOL_SIMPLE_NAME/ID}, and may be watched and asked like any actor.
     *
     * @param factory makes the entity for an id (at activation and at each restart); it runs on
     *     the thread that delivers the first message, so it should only construct
     * @return this
     * @throws IllegalStateException on a client node, or when this node hosts the protocol already
     */
    public synchronized Entities<P> host(Function<String, ? extends Actor> factory) {
        Objects.requireNonNull(factory, "factory");
        core.host(protocol, factory, passivateAfter, buffer);
        return this;
    }

    /** @return the protocol */
    public Class<P> protocol() {
        return protocol;
    }

    /** @return entities this node activated */
    public long activations() {
        return region.activations();
    }

    /** @return entities this node passivated for being idle */
    public long passivations() {
        return region.passivations();
    }

    /** @return the entities active on this node now */
    public int active() {
        return region.activeCount();
    }

    /** @return the shards this node owns now */
    public int ownedShards() {
        return region.ownedShards();
    }

    /** @return messages refused because a shard's buffer was full */
    public long overflows() {
        return region.overflows();
    }
}
