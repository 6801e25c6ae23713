package io.spinoff.cluster.internal;

import io.spinoff.api.ActorRef;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.ProtocolProxy;
import io.spinoff.cluster.Member;
import io.spinoff.cluster.MemberEvent;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.cell.ActorNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;

/**
 * One node's part in a cluster: its connection to ZooKeeper (Curator), its entry under
 * {@code /members}, one cache of the cluster's whole tree whose changes it hands to the parts, the
 * members as last seen, and the entity regions. Not API; {@code io.spinoff.cluster.Cluster} is its
 * face. The parts, each in its own file: {@link MemberSession} (the session held, fencing and
 * holding while out of touch), {@link ShardLeader} (the election and the shard assignments),
 * {@link ShardLeases} (the leases that let a member run a shard), {@link ClusterRegistry} (named
 * actors) and {@link EntityRegion} (one protocol's entities on this node).
 *
 * <h2>The tree</h2>
 * Under the cluster's path: {@code /members/NODE} (ephemeral, {@link MemberData}),
 * {@code /registry/NAME} (ephemeral: the address and protocols of a registered actor),
 * {@code /leader} (Curator's leader latch), {@code /assignments/PROTOCOL} (persistent, written
 * by the leader, {@link Assignment}) and {@code /leases/PROTOCOL/SHARD} (ephemeral: the node allowed to
 * run the shard's entities; see {@link EntityRegion}).
 *
 * <p><b>Threading:</b> the public methods from any thread. Every change the cache, the leader
 * latch or the connection reports is handled on the node's cluster event thread
 * ({@code spinoff-cluster-NODE}), one at a time, in the order reported; subscribers' callbacks
 * run there too. Curator's own threads only hand events over.
 */
public final class ClusterCore {

    private static final System.Logger LOG = System.getLogger(ClusterCore.class.getName());
    private static final String MEMBERS = "/members";
    /** Not a Java name, so no entity protocol's root can take it. */
    private static final String WITNESS_ROOT = "spinoff-cluster";
    private static final String WITNESS_PATH = "/cluster/" + WITNESS_ROOT + "/witness";

    private final ActorSystem system;
    private final SystemRuntime runtime;
    private final String self;
    private final boolean client;
    private final int shards;
    private final Set<String> roles;
    private final Duration sessionTimeout;
    private final EmbeddedZooKeeper embedded;
    private final CuratorFramework zk;
    private final ScheduledThreadPoolExecutor events;
    /** The event thread, once started; written by the pool's factory before the thread runs. */
    private volatile Thread eventThread;
    /** This member's witness; null on a client node. Set by the constructor. */
    private io.spinoff.runtime.internal.cell.ActorCell witness;
    // Set by the constructor only; published with this object (Cluster's final field).
    private CuratorCache cache;
    private PersistentNode memberNode;
    /** The election and, while this member leads, the shard assignments; null on a client node. */
    private ShardLeader leader;
    private final Map<String, EntityRegion> regions = new ConcurrentHashMap<>();
    private final Map<String, EntityRegion> regionsBySimpleName = new ConcurrentHashMap<>();
    private final List<Consumer<MemberEvent>> memberListeners = new CopyOnWriteArrayList<>();
    private final List<ScheduledFuture<?>> sweeps = new CopyOnWriteArrayList<>();
    /** The members as last seen, by node; event thread only. */
    private final Map<String, Member> members = new TreeMap<>();
    /** The members' node names, for the routers' threads: written on the event thread. */
    private final Set<String> memberNames = ConcurrentHashMap.newKeySet();
    private volatile boolean left;
    /** Leaving, handing its shards over first: it announces that it hosts nothing. */
    private volatile boolean departing;
    /** The session this member holds, and what it does while out of touch with ZooKeeper. */
    private final MemberSession session;
    private final ClusterRegistry registry = new ClusterRegistry(this);
    private final ShardLeases leases = new ShardLeases(this);

    /**
     * Joins: connects to ZooKeeper, loads the cluster's tree, announces this node (unless it is a
     * client) and takes part in the leader election.
     *
     * @throws IllegalStateException when ZooKeeper cannot be reached within the session timeout,
     *     or the cluster uses another number of shards
     */
    public ClusterCore(ActorSystem system, String connect, String path, Duration sessionTimeout, Set<String> roles,
            int shards, EmbeddedZooKeeper embedded) {
        this.system = Objects.requireNonNull(system, "system");
        this.runtime = SystemRuntime.of(system);
        String address = runtime.addressPrefix();
        if (address.isEmpty()) {
            throw new IllegalArgumentException("Actor system " + system.name() + " is not a node; only a node can join a"
                    + " cluster (build it with bind(\"tcp://127.0.0.1:PORT\"), or client() for a node that only calls"
                    + " the cluster).");
        }
        this.self = address;
        this.client = address.contains("@client-");
        this.shards = shards;
        this.roles = roles;
        this.sessionTimeout = sessionTimeout;
        this.embedded = embedded;
        this.session = new MemberSession(this, sessionTimeout);
        this.events = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, "spinoff-cluster-" + system.name());
            thread.setDaemon(true);
            eventThread = thread;
            return thread;
        });
        events.setRemoveOnCancelPolicy(true);
        String ensemble = embedded == null ? connect : embedded.acquire();
        int timeout = (int) Math.min(Integer.MAX_VALUE, sessionTimeout.toMillis());
        this.zk = CuratorFrameworkFactory.builder().connectString(ensemble).namespace(path.substring(1))
                .sessionTimeoutMs(timeout).connectionTimeoutMs(Math.min(timeout, 15_000))
                .retryPolicy(new ExponentialBackoffRetry(100, 5, 2_000))
                .zookeeperFactory(session::newZooKeeper).build();
        boolean started = false;
        try {
            zk.start();
            if (!zk.blockUntilConnected(timeout, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Could not reach ZooKeeper at " + ensemble + " within "
                        + sessionTimeout.toMillis() + " ms; check that the ensemble is running and reachable, or use"
                        + " ClusterSettings.embedded() on one machine.");
            }
            session.keep(zk.getZookeeperClient().getZooKeeper());
            this.cache = CuratorCache.build(zk, "/");
            CountDownLatch loaded = new CountDownLatch(1);
            // Counted down (on Curator's thread) once the cache holds this member's own znode: its
            // creation returns before the cache has read it back, and join must not return until
            // members() lists this node.
            String ownPath = MEMBERS + "/" + self;
            CountDownLatch ownCached = new CountDownLatch(1);
            cache.listenable().addListener(CuratorCacheListener.builder()
                    .forCreatesAndChanges((before, after) -> {
                        if (after.getPath().equals(ownPath)) {
                            ownCached.countDown();
                        }
                        events.execute(() -> changed(after.getPath(), after));
                    })
                    .forDeletes(gone -> events.execute(() -> deleted(gone)))
                    .forInitialized(loaded::countDown)
                    .build());
            cache.start();
            if (!loaded.await(timeout, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Could not load the cluster's state from ZooKeeper at " + ensemble
                        + " within " + sessionTimeout.toMillis() + " ms.");
            }
            checkShards();
            zk.getConnectionStateListenable().addListener((c, state) -> events.execute(() -> connection(state)));
            if (client) {
                memberNode = null;
                leader = null;
            } else {
                memberNode = new PersistentNode(zk, CreateMode.EPHEMERAL, false, ownPath, memberData());
                memberNode.start();
                long announceBy = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeout);
                if (!memberNode.waitForInitialCreate(timeout, TimeUnit.MILLISECONDS)
                        || !ownCached.await(Math.max(0, announceBy - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    throw new IllegalStateException("Could not announce node " + self + " in ZooKeeper at " + ensemble
                            + " within " + sessionTimeout.toMillis() + " ms.");
                }
                leader = new ShardLeader(this);
                // A witness left by an earlier membership of this node (joined, left, joined again)
                // is stopped at its leave; its name is free once it has terminated.
                io.spinoff.runtime.internal.cell.ActorCell earlier = runtime.findLocal(WITNESS_PATH);
                if (earlier != null) {
                    earlier.stopFromOutside(null);
                    earlier.terminationFuture().get(timeout, TimeUnit.MILLISECONDS);
                }
                witness = runtime.clusterRoot(WITNESS_ROOT).spawnCell(Witness.class, () -> new WitnessActor(this),
                        "witness", io.spinoff.runtime.SpawnOptions.DEFAULT);
            }
            runtime.clusterResolver(this::resolve);
            events.scheduleWithFixedDelay(this::resync, 1, 1, TimeUnit.SECONDS);
            // Members already there are known before join returns.
            onEventsAndWait(() -> {
                for (ChildData data : cache.stream().toList()) {
                    changed(data.getPath(), data);
                }
            });
            started = true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while joining the cluster", e);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not join the cluster at " + ensemble + ": " + e, e);
        } finally {
            if (!started) {
                closeQuietly();
            }
        }
    }

    private void checkShards() {
        for (ChildData data : cache.stream().toList()) {
            String path = data.getPath();
            if (path.startsWith(MEMBERS + "/")) {
                int theirs = MemberData.shards(data.getData());
                if (theirs != 0 && theirs != shards) {
                    throw new IllegalStateException("Member " + path.substring(MEMBERS.length() + 1) + " uses " + theirs
                            + " shards and this node " + shards + "; every member of a cluster must use the same"
                            + " number (ClusterSettings.withShards).");
                }
            }
        }
    }

    private byte[] memberData() {
        Map<String, Long> hosted = new TreeMap<>();
        for (EntityRegion region : regions.values()) {
            if (region.hosts() && !departing) {
                hosted.put(region.protocolName(), region.definition().fingerprint());
            }
        }
        return MemberData.encode(new Member(self, incarnation(), roles, hosted), shards);
    }

    private long incarnation() {
        return runtime.nodeIncarnation();
    }

    // ------------------------------------------------------------------ accessors

    /** @return this node's name, {@code name@host:port} */
    public String self() {
        return self;
    }

    public ActorSystem system() {
        return system;
    }

    public SystemRuntime runtime() {
        return runtime;
    }

    /** @return the id of the current ZooKeeper session */
    long sessionId() {
        return session.sessionId();
    }

    /** Any thread: whether a node is a member, as this node last saw. */
    boolean isMember(String node) {
        return memberNames.contains(node);
    }

    /** @return whether this node is the cluster's leader now */
    public boolean isLeader() {
        return leader != null && leader.isLeader();
    }

    /**
     * Runs a task on the event thread and waits for it; runs it at once when called there (from a
     * listener), where waiting for the queue would wait for ever.
     */
    <T> T onEventsAndWait(java.util.function.Supplier<T> task) {
        if (Thread.currentThread() == eventThread) {
            return task.get();
        }
        return CompletableFuture.supplyAsync(task, events).join();
    }

    void onEventsAndWait(Runnable task) {
        onEventsAndWait(() -> {
            task.run();
            return null;
        });
    }

    /** Runs a task on the event thread. */
    void onEvents(Runnable task) {
        if (!events.isShutdown()) {
            events.execute(task);
        }
    }

    void entityActivated(String path) {
        LOG.log(System.Logger.Level.DEBUG, () -> "Activated entity " + path + " on " + self);
    }

    void entityPassivated(String path) {
        LOG.log(System.Logger.Level.DEBUG, () -> "Entity " + path + " on " + self + " terminated");
    }

    // ------------------------------------------------------------------ events (event thread)

    private void deleted(ChildData gone) {
        String path = gone.getPath();
        if (path.startsWith(ShardLeases.PATH + "/") && !left) {
            // The session that held the lease tells a late report of a predecessor's deletion from
            // the loss of this member's own lease.
            long owner = gone.getStat() == null ? 0 : gone.getStat().getEphemeralOwner();
            leases.changed(path, null, owner);
            return;
        }
        changed(path, null);
    }

    private void changed(String rawPath, ChildData data) {
        if (left) {
            return;
        }
        String path = rawPath;
        if (path.startsWith(MEMBERS + "/")) {
            memberChanged(path.substring(MEMBERS.length() + 1), data);
        } else if (path.startsWith(ClusterRegistry.PATH + "/")) {
            registry.changed(path.substring(ClusterRegistry.PATH.length() + 1), data);
        } else if (path.startsWith(ShardLeader.ASSIGNMENTS + "/")) {
            EntityRegion region = regions.get(path.substring(ShardLeader.ASSIGNMENTS.length() + 1));
            if (region != null) {
                Assignment assignment = data == null ? null : Assignment.decode(data.getData());
                region.assignmentChanged(assignment);
            }
            if (data == null) {
                queueRebalance();
            }
        } else if (path.startsWith(ShardLeases.PATH + "/")) {
            String holder = data == null || data.getData() == null ? null : new String(data.getData(), StandardCharsets.UTF_8);
            long owner = data == null || data.getStat() == null ? 0 : data.getStat().getEphemeralOwner();
            leases.changed(path, holder, owner);
        }
    }

    private void memberChanged(String node, ChildData data) {
        Member before = members.get(node);
        MemberEvent event;
        if (data == null) {
            if (before == null) {
                return;
            }
            members.remove(node);
            memberNames.remove(node);
            event = new MemberEvent.MemberRemoved(before);
            // As in Akka's cluster: a removed member is down for this node's remoting, so that
            // asks to it fail and watchers of its actors learn now rather than after downAfter.
            runtime.memberRemoved(node, before.incarnation(), "it left the cluster, or its ZooKeeper session expired");
        } else {
            Member now = MemberData.decode(node, data.getData());
            if (now.equals(before)) {
                return;
            }
            members.put(node, now);
            memberNames.add(node);
            event = before == null ? new MemberEvent.MemberUp(now) : new MemberEvent.MemberChanged(now);
        }
        for (Consumer<MemberEvent> listener : memberListeners) {
            deliver(listener, event);
        }
        queueRebalance();
    }

    /** Event thread: hands an event to a subscriber; a subscriber's failure is logged and goes no further. */
    <E> void deliver(Consumer<E> listener, E event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "A cluster subscriber of " + self + " failed on " + event + ": " + e, e);
        }
    }

    private void connection(ConnectionState state) {
        if (!left) {
            session.connection(state);
        }
    }

    /** Event thread: the members other than this one, as last seen. */
    List<String> otherMembers() {
        List<String> others = new ArrayList<>(members.keySet());
        others.remove(self);
        return others;
    }

    /** @return the witness of another member, to ask whether it reaches ZooKeeper */
    Witness witnessOf(String node) {
        return system.lookup(Witness.class, node + WITNESS_PATH);
    }

    /** Any thread (the witness's turn): see {@link MemberSession#reachesZooKeeper}. */
    CompletableFuture<Boolean> reachesZooKeeper() {
        return session.reachesZooKeeper();
    }

    /** Event thread: every region stops its entities until this member is in touch again. */
    void fenceRegions() {
        for (EntityRegion region : regions.values()) {
            region.fence();
        }
    }

    /** Event thread, in touch again: every region takes back the shards its session still holds. */
    void unfenceRegions() {
        for (EntityRegion region : regions.values()) {
            region.unfence(leases.owners(region));
        }
        queueRebalance();
    }


    /** Event thread, every second: each region's view of the lease holders checked against the cache. */
    private void resync() {
        if (left) {
            return;
        }
        for (EntityRegion region : regions.values()) {
            leases.resync(region);
        }
    }

    /** @return the shard leases */
    ShardLeases leases() {
        return leases;
    }

    /** Event thread: queues a rebalance, which runs only while this member leads. */
    private void queueRebalance() {
        if (leader != null) {
            leader.queue();
        }
    }

    /**
     * Runs a task on the event thread after {@code millis} ms, unless the cluster part has closed.
     *
     * @return the scheduled task, or null when closed
     */
    ScheduledFuture<?> schedule(Runnable task, long millis) {
        return events.isShutdown() ? null : events.schedule(task, millis, TimeUnit.MILLISECONDS);
    }

    /** @return the executor of the event thread */
    Executor events() {
        return events;
    }

    /** Event thread: the members as last seen. */
    Collection<Member> knownMembers() {
        return members.values();
    }

    /** @return the number of shards of each entity protocol */
    int shards() {
        return shards;
    }

    /** @return the region of a protocol (by its name) on this node, or null */
    EntityRegion regionNamed(String protocolName) {
        return regions.get(protocolName);
    }

    // ------------------------------------------------------------------ entities

    /**
     * @param protocol an entity protocol
     * @return its region on this node, made on first use
     */
    public EntityRegion region(Class<?> protocol) {
        ProtocolDefinition<?, ?> definition = ProtocolDefinition.of(protocol);
        EntityRegion region = regions.get(definition.name());
        if (region != null) {
            return region;
        }
        synchronized (this) {
            region = regions.get(definition.name());
            if (region != null) {
                return region;
            }
            EntityRegion clash = regionsBySimpleName.get(protocol.getSimpleName());
            if (clash != null) {
                throw new IllegalArgumentException("Entity protocols " + clash.protocolName() + " and "
                        + definition.name() + " have the same simple name, which names their entities' paths"
                        + " (/cluster/" + protocol.getSimpleName() + "/ID); rename one of them.");
            }
            EntityRegion made = new EntityRegion(this, definition, protocol, shards);
            regionsBySimpleName.put(protocol.getSimpleName(), made);
            regions.put(definition.name(), made);
            region = made;
        }
        EntityRegion created = region;
        onEventsAndWait(() -> {
            for (ChildData data : cache.stream().toList()) {
                String path = data.getPath();
                if (path.equals(ShardLeader.ASSIGNMENTS + "/" + created.protocolName())
                        || path.startsWith(ShardLeases.PATH + "/" + created.protocolName() + "/")) {
                    changed(path, data);
                }
            }
        });
        return region;
    }

    /**
     * Makes this member a host of a protocol's entities and announces it.
     *
     * @throws IllegalStateException on a client node, or when the protocol is hosted already
     */
    public void host(Class<?> protocol, Function<String, ?> factory, Duration passivateAfter, int buffer) {
        if (client) {
            throw new IllegalStateException("Client node " + self + " cannot host entities: other nodes cannot reach it."
                    + " Host them on a node built with bind(...).");
        }
        EntityRegion region = region(protocol);
        synchronized (this) {
            if (region.hosts()) {
                throw new IllegalStateException("Node " + self + " hosts " + region.protocolName()
                        + " already; call entities(...).host(...) once per protocol.");
            }
            region.host(factory, passivateAfter, buffer);
        }
        try {
            memberNode.setData(memberData());
        } catch (Exception e) {
            throw new IllegalStateException("Could not announce that " + self + " hosts " + region.protocolName() + ": " + e, e);
        }
        Duration every = region.sweepInterval();
        sweeps.add(events.scheduleWithFixedDelay(region::sweep, every.toNanos(), every.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** Any thread: the cluster resolver of the runtime, for paths under /cluster. */
    private ActorRef<Object> resolve(String path) {
        String rest = path.substring("/cluster/".length());
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1 || rest.indexOf('/', slash + 1) >= 0) {
            return null;
        }
        EntityRegion region = regionsBySimpleName.get(rest.substring(0, slash));
        return region == null || left ? null : region.inbound(rest.substring(slash + 1));
    }

    /**
     * @return a reference to an entity: through this node's region, which finds where the entity lives
     */
    public ActorRef<Object> entity(Class<?> protocol, String id) {
        Objects.requireNonNull(id, "id");
        try {
            ActorNames.validate(id);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Entity id '" + id + "' is not valid: " + e.getMessage(), e);
        }
        if (left) {
            throw new IllegalStateException("Node " + self + " has left the cluster.");
        }
        return region(protocol).ref(id);
    }

    /** @return a reference of a remote actor, for forwarding */
    @SuppressWarnings("unchecked")
    ActorRef<Object> remoteRef(String node, String path, Class<?> protocol) {
        Object proxy = system.lookup(protocol, node + path);
        return (ActorRef<Object>) ProtocolProxy.actorRefOf(proxy);
    }

    // ------------------------------------------------------------------ members

    /** @return the members now, by node name */
    public List<Member> members() {
        return onEventsAndWait(() -> List.copyOf(members.values()));
    }

    /** Subscribes to member events; the current members come first, as MemberUp. */
    public Runnable subscribe(Consumer<MemberEvent> listener) {
        Objects.requireNonNull(listener, "listener");
        onEventsAndWait(() -> {
            for (Member member : members.values()) {
                deliver(listener, new MemberEvent.MemberUp(member));
            }
            memberListeners.add(listener);
        });
        return () -> memberListeners.remove(listener);
    }

    // ------------------------------------------------------------------ registry

    /** @return the cluster-wide registry of named actors */
    public ClusterRegistry registry() {
        return registry;
    }

    CuratorFramework zk() {
        return zk;
    }

    CuratorCache cache() {
        return cache;
    }

    // ------------------------------------------------------------------ leaving

    /**
     * Leaves. First, within {@code wait}, hands its shards over as a move does: it announces that
     * it hosts nothing, the leader gives its shards to the other hosts, it stops each shard's
     * entities and gives the lease up, and what it buffered for a shard goes on to the new
     * holder. Then it stops what is left (each entity within the system's stop timeout), closes the
     * session (its entry, registrations and leases vanish at once) and refuses what still waits in
     * buffers. Idempotent; blocks.
     *
     * @param wait how long the hand-over may take; zero skips it (the system is closing)
     */
    public void leave(Duration wait) {
        synchronized (this) {
            if (left || departing) {
                return;
            }
            departing = true;
        }
        if (!wait.isZero() && memberNode != null && Thread.currentThread() != eventThread) {
            handOver(System.nanoTime() + wait.toNanos());
        }
        synchronized (this) {
            left = true;
        }
        runtime.clusterResolver(null);
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (EntityRegion region : regions.values()) {
            stops.add(region.leave());
        }
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Not every entity of " + self + " stopped within " + wait.toMillis()
                    + " ms; leaving anyway");
        }
        for (ScheduledFuture<?> sweep : sweeps) {
            sweep.cancel(false);
        }
        closeQuietly();
        for (EntityRegion region : regions.values()) {
            region.refuseBuffered();
        }
    }

    /** Announces that this member hosts nothing, then waits until its shards have new holders. */
    private void handOver(long deadlineNanos) {
        boolean hosting = onEventsAndWait(() -> regions.values().stream().anyMatch(EntityRegion::hosts));
        if (!hosting) {
            return;
        }
        try {
            memberNode.setData(memberData());
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Node " + self + " could not announce its leave, so it leaves without"
                    + " handing its shards over: " + e);
            return;
        }
        try {
            while (!onEventsAndWait(() -> regions.values().stream().allMatch(EntityRegion::handedOver))) {
                if (System.nanoTime() - deadlineNanos >= 0) {
                    LOG.log(System.Logger.Level.WARNING, "Node " + self + " did not hand all its shards over in time;"
                            + " it leaves anyway");
                    return;
                }
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeQuietly() {
        if (witness != null) {
            witness.stopFromOutside(null);
        }
        try {
            if (leader != null) {
                leader.close();
            }
        } catch (Exception | Error e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing the leader latch: " + e);
        }
        try {
            if (memberNode != null) {
                memberNode.close();
            }
        } catch (Exception e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing the member entry: " + e);
        }
        try {
            if (cache != null) {
                cache.close();
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Closing the cache: " + e);
        }
        zk.close();
        events.shutdown();
        if (embedded != null) {
            embedded.release();
        }
    }

    /** For tests: makes the server expire this node's session, as a long partition would. */
    public void expireSession() throws Exception {
        zk.getZookeeperClient().getZooKeeper().getTestable().injectSessionExpiration();
    }

    /** @return whether this node left */
    public boolean hasLeft() {
        return left;
    }

    /** @return the session timeout */
    public Duration sessionTimeout() {
        return sessionTimeout;
    }
}
