package io.spinoff.cluster;

import io.spinoff.api.ActorRef;
import io.spinoff.api.ActorProtocol;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.ProtocolProxy;
import io.spinoff.cluster.internal.ClusterCore;
import io.spinoff.runtime.ActorNotFoundException;
import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A node's membership in a Spinoff cluster kept in Apache ZooKeeper: the members, a registry of
 * named actors, and entities (virtual actors) of any member reached by protocol and id.
 *
 * <pre>{@code
 * ActorSystem node = ActorSystem.builder("alpha").bind("tcp://127.0.0.1:7100").build();
 * Cluster cluster = Cluster.join(node, ClusterSettings.zookeeper("127.0.0.1:2181", "/spinoff/shop"));
 * cluster.entities(Account.class).host(id -> new AccountActor(id));
 * Account alice = cluster.entity(Account.class, "alice");
 * alice.deposit(100);
 * }</pre>
 *
 * <h2>Guarantees</h2>
 * An entity is active on at most one member at any moment: a member runs the entities of a shard
 * only while it holds the shard's lease in ZooKeeper, gives the lease up only after they have all
 * stopped, and stops them all as soon as it loses touch with ZooKeeper, before its session can
 * expire and another member take the lease. A crashed member's shards move when its session
 * expires (the session timeout). Messages sent while a shard has no owner wait in a bounded
 * buffer. Messages from one sender to one entity keep their order, except across a move of the
 * entity's shard. See docs/CLUSTER.md.
 *
 * <p><b>Threading:</b> every method may be called from any thread; {@link #join}, {@link #register},
 * {@link #unregister}, {@link #leave} and a first {@link #entities} of a protocol block for a
 * round trip to ZooKeeper. Subscribers are called on the node's cluster event thread, one event at
 * a time: they must not block.
 */
public final class Cluster implements AutoCloseable {

    /** The cluster each node joined, until it leaves. */
    private static final Map<ActorSystem, Cluster> JOINED = new ConcurrentHashMap<>();

    private final ActorSystem system;
    private final ClusterCore core;

    private Cluster(ActorSystem system, ClusterCore core) {
        this.system = system;
        this.core = core;
    }

    /**
     * Joins a cluster. A node bound to an address becomes a member; a client node
     * ({@code ActorSystemBuilder.client()}) sees the members, the registry and the entities but
     * hosts nothing. The node leaves when its system closes, or by {@link #leave()}.
     *
     * @param node the node that joins
     * @param settings where the cluster is kept
     * @return the membership
     * @throws IllegalArgumentException when the system is not a node
     * @throws IllegalStateException when ZooKeeper cannot be reached within the session timeout,
     *     or the cluster uses another number of shards
     */
    public static Cluster join(ActorSystem node, ClusterSettings settings) {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(settings, "settings");
        synchronized (JOINED) {
            if (JOINED.containsKey(node)) {
                throw new IllegalStateException("Node " + node.address() + " has joined a cluster already; a node is a"
                        + " member of one cluster (leave it first).");
            }
            ClusterCore core = new ClusterCore(node, settings.embeddedServer() == null ? settings.connectString() : null,
                    settings.path(), settings.sessionTimeout(), settings.roles(), settings.shards(), settings.embeddedServer());
            Cluster cluster = new Cluster(node, core);
            JOINED.put(node, cluster);
            node.whenClosed().thenRun(cluster::left);
            return cluster;
        }
    }

    /**
     * The cluster a node joined: for code that runs in a node started with {@code --cluster}.
     *
     * @param node the node
     * @return its membership
     * @throws IllegalStateException when the node has not joined a cluster (or has left it)
     */
    public static Cluster of(ActorSystem node) {
        Cluster cluster = JOINED.get(Objects.requireNonNull(node, "node"));
        if (cluster == null) {
            throw new IllegalStateException("Node " + node.address() + " has not joined a cluster; join one with"
                    + " Cluster.join(node, settings), or start the node with --cluster zk://HOST:PORT/PATH or --cluster"
                    + " embedded.");
        }
        return cluster;
    }

    private void left() {
        core.leave(Duration.ZERO);
        JOINED.remove(system, this);
    }

    /** @return this node's name, {@code name@host:port} */
    public String self() {
        return core.self();
    }

    /** @return the members now, ordered by node name; a client node is not among them */
    public List<Member> members() {
        return core.members();
    }

    /**
     * Subscribes to membership changes. The members present now come first, as
     * {@link MemberEvent.MemberUp}, before this method returns.
     *
     * @param listener called on the cluster's event thread; must not block, may call this cluster's
     *     methods ({@link #members()}, another {@code subscribe}): called from there, they run at
     *     once instead of queueing behind the listener
     * @return closing it ends the subscription
     */
    public Subscription subscribe(Consumer<MemberEvent> listener) {
        Runnable cancel = core.subscribe(listener);
        return cancel::run;
    }

    /**
     * Registers an actor under a cluster-wide name, until it stops, this node leaves, or
     * {@link #unregister}. Registering a name again from this node replaces its actor.
     *
     * @param name letters, digits and {@code -_.*+:@&=,!~';}
     * @param proxyOrRef a proxy or reference of an actor of this node
     * @throws IllegalStateException when another node holds the name
     */
    public void register(String name, Object proxyOrRef) {
        Objects.requireNonNull(proxyOrRef, "proxyOrRef");
        ActorRef<?> ref = proxyOrRef instanceof ActorRef<?> r ? r : ProtocolProxy.actorRefOf(proxyOrRef);
        if (ref == null) {
            throw new IllegalArgumentException(proxyOrRef + " is neither a proxy nor a reference of an actor.");
        }
        List<String> protocols = new ArrayList<>();
        for (Class<?> type : proxyOrRef.getClass().getInterfaces()) {
            if (type.isAnnotationPresent(ActorProtocol.class)) {
                protocols.add(ProtocolDefinition.of(type).name());
            }
        }
        core.registry().register(name, ref, protocols);
    }

    /**
     * Removes a name this node registered. A name not registered is ignored.
     *
     * @param name the name
     * @throws IllegalStateException when another node registered it
     */
    public void unregister(String name) {
        core.registry().unregister(name);
    }

    /**
     * Finds a registered actor.
     *
     * @param protocol the protocol to view it through
     * @param name the name
     * @param <P> the protocol type
     * @return a proxy of the actor, wherever it lives
     * @throws ActorNotFoundException at once when nothing is registered under the name
     * @throws IllegalArgumentException when the actor was registered with other protocols
     */
    public <P> P lookup(Class<P> protocol, String name) {
        String address = core.registry().lookup(name);
        List<String> protocols = core.registry().registeredProtocols(name);
        String wanted = ProtocolDefinition.of(protocol).name();
        if (!protocols.isEmpty() && !protocols.contains(wanted)) {
            throw new IllegalArgumentException("'" + name + "' names " + address + ", registered with " + protocols
                    + ", not " + wanted + "; look it up with one of those.");
        }
        return system.lookup(protocol, address);
    }

    /**
     * Subscribes to one name of the registry. Its state now comes first, before this returns.
     *
     * @param name the name
     * @param listener called on the cluster's event thread; must not block
     * @return closing it ends the subscription
     */
    public Subscription subscribe(String name, Consumer<NameEvent> listener) {
        Runnable cancel = core.registry().subscribe(name, listener);
        return cancel::run;
    }

    /**
     * @param protocol an entity protocol
     * @param <P> the protocol type
     * @return the entities of that protocol on this node: host them, or read the counters
     */
    public <P> Entities<P> entities(Class<P> protocol) {
        return new Entities<>(core, protocol);
    }

    /**
     * An entity: a typed proxy that reaches the entity wherever the cluster placed it,
     * activating it on its first message. Cheap; make one per use if convenient.
     *
     * @param protocol the entity protocol
     * @param id the entity's id: letters, digits and {@code -_.*+:@&=,!~';}
     * @param <P> the protocol type
     * @return the proxy; its address is {@code /cluster/PROTOCOL_SIMPLE_NAME/ID}
     */
    public <P> P entity(Class<P> protocol, String id) {
        return ProtocolDefinition.of(protocol).proxy(core.entity(protocol, id));
    }

    /** @return whether this node is the cluster's leader, which assigns the shards */
    public boolean isLeader() {
        return core.isLeader();
    }

    /**
     * Leaves the cluster: stops this node's entities (waiting up to the session timeout), then
     * closes the ZooKeeper session, so that its entry, registrations and leases vanish at once and
     * its shards move. Idempotent; blocks.
     */
    public void leave() {
        core.leave(core.sessionTimeout());
        JOINED.remove(system, this);
    }

    /** Same as {@link #leave()}. */
    @Override
    public void close() {
        leave();
    }

    /** @return the node's part in the cluster; for tests in this package */
    ClusterCore core() {
        return core;
    }

    @Override
    public String toString() {
        return "Cluster(" + core.self() + ")";
    }
}
