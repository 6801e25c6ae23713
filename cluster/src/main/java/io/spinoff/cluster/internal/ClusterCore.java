package io.spinoff.cluster.internal;

import io.spinoff.api.ActorRef;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.ProtocolProxy;
import io.spinoff.cluster.Member;
import io.spinoff.cluster.MemberEvent;
import io.spinoff.cluster.NameEvent;
import io.spinoff.runtime.ActorNotFoundException;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.cell.ActorNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.curator.framework.recipes.cache.CuratorCacheListener;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.curator.framework.recipes.nodes.PersistentNode;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.ExponentialBackoffRetry;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * One node's part in a cluster: its ZooKeeper session (Curator), its entry under
 * {@code /members}, one cache of the cluster's whole tree, the leader election, the registry and
 * the entity regions. Not API; {@code io.spinoff.cluster.Cluster} is its face.
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
    private static final String REGISTRY = "/registry";
    private static final String ASSIGNMENTS = "/assignments";
    private static final String LEASES = "/leases";
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
    private LeaderLatch latch;
    private final Map<String, EntityRegion> regions = new ConcurrentHashMap<>();
    private final Map<String, EntityRegion> regionsBySimpleName = new ConcurrentHashMap<>();
    private final List<Consumer<MemberEvent>> memberListeners = new CopyOnWriteArrayList<>();
    private final Map<String, List<Consumer<NameEvent>>> nameListeners = new ConcurrentHashMap<>();
    private final List<ScheduledFuture<?>> sweeps = new CopyOnWriteArrayList<>();
    /** The members as last seen, by node; event thread only. */
    private final Map<String, Member> members = new TreeMap<>();
    /** The members' node names, for the routers' threads: written on the event thread. */
    private final Set<String> memberNames = ConcurrentHashMap.newKeySet();
    private volatile boolean left;
    /** Leaving, handing its shards over first: it announces that it hosts nothing. */
    private volatile boolean departing;
    private volatile long sessionId;
    // Event thread only: out of touch with ZooKeeper (SUSPENDED or LOST, until connected again);
    // the entities stopped (fenced) or kept on the other members' word (held).
    private boolean outOfTouch;
    private boolean fenced;
    private boolean held;
    private ScheduledFuture<?> nextWitnessRound;
    /** Until when (System.nanoTime) the entities may run without another all-clear round. */
    private long holdUntilNanos;
    /** LOST reports since the last connection (event thread). */
    private int lostSinceConnected;
    // The session to rejoin while held: written on the event thread, read by Curator's thread
    // that makes a new client (volatile: the factory reads the latest).
    private volatile boolean keepSession;
    private volatile long keptSessionId;
    private volatile byte[] keptPassword;
    /** Whether the client made since the last connection already tried the kept session. */
    private volatile boolean rejoinTried;
    private boolean rebalanceQueued;

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
                .zookeeperFactory(this::newZooKeeper).build();
        boolean started = false;
        try {
            zk.start();
            if (!zk.blockUntilConnected(timeout, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("Could not reach ZooKeeper at " + ensemble + " within "
                        + sessionTimeout.toMillis() + " ms; check that the ensemble is running and reachable, or use"
                        + " ClusterSettings.embedded() on one machine.");
            }
            keepSessionOf(zk.getZookeeperClient().getZooKeeper());
            this.cache = CuratorCache.build(zk, "/");
            CountDownLatch loaded = new CountDownLatch(1);
            cache.listenable().addListener(CuratorCacheListener.builder()
                    .forCreatesAndChanges((before, after) -> events.execute(() -> changed(after.getPath(), after)))
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
                latch = null;
            } else {
                memberNode = new PersistentNode(zk, CreateMode.EPHEMERAL, false, MEMBERS + "/" + self, memberData());
                memberNode.start();
                if (!memberNode.waitForInitialCreate(timeout, TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("Could not announce node " + self + " in ZooKeeper at " + ensemble
                            + " within " + sessionTimeout.toMillis() + " ms.");
                }
                latch = new LeaderLatch(zk, "/leader", self);
                latch.addListener(new LeaderLatchListener() {
                    @Override
                    public void isLeader() {
                        events.execute(ClusterCore.this::rebalance);
                    }

                    @Override
                    public void notLeader() {}
                }, events);
                latch.start();
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
        return sessionId;
    }

    /** Any thread: whether a node is a member, as this node last saw. */
    boolean isMember(String node) {
        return memberNames.contains(node);
    }

    /** @return whether this node is the cluster's leader now */
    public boolean isLeader() {
        return latch != null && latch.hasLeadership();
    }

    /**
     * Runs a task on the event thread and waits for it; runs it at once when called there (from a
     * listener), where waiting for the queue would wait for ever.
     */
    private <T> T onEventsAndWait(java.util.function.Supplier<T> task) {
        if (Thread.currentThread() == eventThread) {
            return task.get();
        }
        return CompletableFuture.supplyAsync(task, events).join();
    }

    private void onEventsAndWait(Runnable task) {
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
        if (path.startsWith(LEASES + "/") && !left) {
            // The session that held the lease tells a late report of a predecessor's deletion from
            // the loss of this member's own lease.
            long owner = gone.getStat() == null ? 0 : gone.getStat().getEphemeralOwner();
            leaseChanged(path, null, owner);
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
        } else if (path.startsWith(REGISTRY + "/")) {
            String name = path.substring(REGISTRY.length() + 1);
            Optional<String> address = data == null ? Optional.empty() : Optional.of(registryAddress(data.getData()));
            for (Consumer<NameEvent> listener : nameListeners.getOrDefault(name, List.of())) {
                deliver(listener, new NameEvent(name, address));
            }
        } else if (path.startsWith(ASSIGNMENTS + "/")) {
            EntityRegion region = regions.get(path.substring(ASSIGNMENTS.length() + 1));
            if (region != null) {
                Assignment assignment = data == null ? null : Assignment.decode(data.getData());
                region.assignmentChanged(assignment);
            }
            if (data == null) {
                queueRebalance();
            }
        } else if (path.startsWith(LEASES + "/")) {
            String holder = data == null || data.getData() == null ? null : new String(data.getData(), StandardCharsets.UTF_8);
            long owner = data == null || data.getStat() == null ? 0 : data.getStat().getEphemeralOwner();
            leaseChanged(path, holder, owner);
        }
    }

    private void leaseChanged(String path, String holder, long owner) {
        String rest = path.substring(LEASES.length() + 1);
        int slash = rest.lastIndexOf('/');
        EntityRegion region = slash < 0 ? null : regions.get(rest.substring(0, slash));
        if (region == null) {
            return;
        }
        try {
            region.holderChanged(Integer.parseInt(rest.substring(slash + 1)), holder, owner);
        } catch (NumberFormatException e) {
            // Not a lease of this version's making.
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

    private <E> void deliver(Consumer<E> listener, E event) {
        try {
            listener.accept(event);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "A cluster subscriber of " + self + " failed on " + event + ": " + e, e);
        }
    }

    private void connection(ConnectionState state) {
        if (left) {
            return;
        }
        switch (state) {
            case SUSPENDED -> {
                outOfTouch = true;
                if (held || fenced) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "Node " + self + " lost touch with ZooKeeper; it asks the other"
                        + " members whether they reach it");
                // ZooKeeper's client reports the loss two thirds of a session after the last
                // answer, so the server may expire the session a third later: decide within a sixth.
                holdUntilNanos = System.nanoTime() + sessionTimeout.toNanos() / 6;
                witnessRound();
            }
            case LOST -> {
                outOfTouch = true;
                lostSinceConnected++;
                if (held && lostSinceConnected == 1) {
                    // Curator gives a session up after a whole timeout out of touch, not knowing
                    // that the ensemble is down for everyone; the next client rejoins this session
                    // (see newZooKeeper), which the ensemble keeps. The rounds go on.
                    LOG.log(System.Logger.Level.WARNING, "Node " + self + " has been out of touch with ZooKeeper for"
                            + " its whole session timeout, as every member; it will rejoin its session when"
                            + " ZooKeeper is back");
                } else {
                    fence("its ZooKeeper session expired");
                }
            }
            case RECONNECTED, CONNECTED -> {
                outOfTouch = false;
                if (nextWitnessRound != null) {
                    nextWitnessRound.cancel(false);
                    nextWitnessRound = null;
                }
                long before = sessionId;
                lostSinceConnected = 0;
                try {
                    keepSessionOf(zk.getZookeeperClient().getZooKeeper());
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "Could not read the ZooKeeper session of " + self + ": " + e);
                }
                if (held && sessionId != before) {
                    // Cannot happen without LOST first (which fences); kept as a guard.
                    fence("its ZooKeeper session changed");
                }
                LOG.log(System.Logger.Level.INFO, "Node " + self + " is connected to ZooKeeper again"
                        + (held ? "; its entities ran on throughout" : ""));
                held = false;
                keepSession = false;
                fenced = false;
                for (EntityRegion region : regions.values()) {
                    region.unfence(leaseOwners(region));
                }
                queueRebalance();
            }
            default -> { }
        }
    }

    /**
     * Event thread, out of touch: asks every other member whether it reaches ZooKeeper.
     *
     * <p>If every one answers no, the ensemble is down for all: no session can expire while it
     * is (a new leader gives every session its whole timeout again), nothing can take this
     * member's shards, so its entities keep running ("held"). A round that starts at {@code t}
     * with every answer no lets them run until {@code t} plus two thirds of the session timeout;
     * the next round starts a quarter of a session later. If one member answers yes, this member
     * is the one cut off: it stops its entities at once. A member that does not answer (within a
     * tenth of the session timeout) is asked again until the current allowance ends, then this
     * member stops its entities too. A lone member has no one to ask and stops them.
     *
     * <p>Left open: if every member is cut off from an ensemble that is up while a new node joins
     * it, the newcomer could take the shards after the members' sessions expire while they still
     * run. docs/CLUSTER.md says so.
     */
    private void witnessRound() {
        if (!outOfTouch || fenced || left) {
            return;
        }
        List<String> others = new ArrayList<>(members.keySet());
        others.remove(self);
        if (others.isEmpty()) {
            fence("no other member can tell whether ZooKeeper is down or this node is cut off from it");
            return;
        }
        long start = System.nanoTime();
        long wait = Math.max(1, sessionTimeout.toMillis() / 10);
        Map<String, CompletableFuture<Boolean>> answers = new TreeMap<>();
        for (String node : others) {
            CompletableFuture<Boolean> answer;
            try {
                answer = system.lookup(Witness.class, node + WITNESS_PATH).reachesZooKeeper().toCompletableFuture()
                        .exceptionally(e -> null);
            } catch (RuntimeException e) {
                answer = CompletableFuture.completedFuture(null);
            }
            answers.put(node, answer.completeOnTimeout(null, wait, TimeUnit.MILLISECONDS));
        }
        CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new)).whenComplete((done, e) -> onEvents(() -> {
            if (!outOfTouch || fenced || left) {
                return;
            }
            List<String> reaching = new ArrayList<>();
            List<String> silent = new ArrayList<>();
            answers.forEach((node, answer) -> {
                Boolean reaches = answer.getNow(null);
                if (reaches == null) {
                    silent.add(node);
                } else if (reaches) {
                    reaching.add(node);
                }
            });
            if (!reaching.isEmpty()) {
                fence("members " + reaching + " reach ZooKeeper, so this node is the one cut off");
            } else if (!silent.isEmpty()) {
                if (System.nanoTime() - holdUntilNanos >= 0) {
                    fence("members " + silent + " did not say in time whether they reach ZooKeeper");
                } else {
                    nextWitnessRound = events.schedule(this::witnessRound, 50, TimeUnit.MILLISECONDS);
                }
            } else {
                if (!held) {
                    LOG.log(System.Logger.Level.WARNING, "ZooKeeper is out of reach of every member (" + others
                            + " say so too): node " + self + " keeps its entities running; nothing can move"
                            + " until ZooKeeper is back");
                }
                held = true;
                keepSession = true;
                holdUntilNanos = start + sessionTimeout.toNanos() * 2 / 3;
                nextWitnessRound = events.schedule(this::witnessRound, Math.max(1, sessionTimeout.toMillis() / 4),
                        TimeUnit.MILLISECONDS);
            }
        }));
    }

    /** Event thread: stops every entity of this member until it is connected again. */
    private void fence(String why) {
        if (fenced) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "Node " + self + " stops its entities until it is in touch with ZooKeeper"
                + " again: " + why);
        fenced = true;
        held = false;
        keepSession = false;
        for (EntityRegion region : regions.values()) {
            region.fence();
        }
    }

    /** Event thread (or the constructor): the session to rejoin if this node is held later. */
    private void keepSessionOf(org.apache.zookeeper.ZooKeeper client) {
        sessionId = client.getSessionId();
        keptSessionId = client.getSessionId();
        keptPassword = client.getSessionPasswd();
        rejoinTried = false;
    }

    /**
     * Curator's thread: a new ZooKeeper client. Normally a new session; but once, while this
     * member is held (every member out of touch, so the ensemble is down and keeps every session),
     * a client that rejoins the session this member had: its leases, its entry and its registrations
     * are still that session's, so nothing moves when ZooKeeper is back. If the ensemble says that
     * session expired after all, Curator reports LOST again, the member stops its entities and the
     * next client starts a new session.
     */
    private org.apache.zookeeper.ZooKeeper newZooKeeper(String connect, int timeout, org.apache.zookeeper.Watcher watcher,
            boolean readOnly) throws java.io.IOException {
        long id = keptSessionId;
        byte[] password = keptPassword;
        if (keepSession && !rejoinTried && id != 0 && password != null) {
            rejoinTried = true;
            LOG.log(System.Logger.Level.INFO, () -> "Node " + self + " rejoins ZooKeeper session 0x" + Long.toHexString(id));
            return new org.apache.zookeeper.ZooKeeper(connect, timeout, watcher, id, password, readOnly);
        }
        return new org.apache.zookeeper.ZooKeeper(connect, timeout, watcher, readOnly);
    }

    /**
     * Any thread (the witness's turn): whether a round trip to ZooKeeper comes back now, within a
     * twentieth of the session timeout.
     */
    CompletableFuture<Boolean> reachesZooKeeper() {
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        try {
            if (left || !zk.getZookeeperClient().isConnected()) {
                return CompletableFuture.completedFuture(false);
            }
            zk.getZookeeperClient().getZooKeeper().exists("/", false,
                    (rc, path, context, stat) -> answer.complete(rc == KeeperException.Code.OK.intValue()), null);
        } catch (Exception e) {
            return CompletableFuture.completedFuture(false);
        }
        return answer.completeOnTimeout(false, Math.max(1, sessionTimeout.toMillis() / 20), TimeUnit.MILLISECONDS);
    }

    /** Event thread: the ZooKeeper sessions that hold a region's leases now, read from the server. */
    private Map<Integer, Long> leaseOwners(EntityRegion region) {
        Map<Integer, Long> owners = new HashMap<>();
        String base = LEASES + "/" + region.protocolName();
        try {
            for (String child : zk.getChildren().forPath(base)) {
                Stat stat = zk.checkExists().forPath(base + "/" + child);
                if (stat != null) {
                    owners.put(Integer.parseInt(child), stat.getEphemeralOwner());
                }
            }
        } catch (KeeperException.NoNodeException e) {
            // No lease yet.
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Could not read the leases of " + region.protocolName() + ": " + e);
        }
        return owners;
    }

    /** Event thread, every second: each region's view of the lease holders checked against the cache. */
    private void resync() {
        if (left) {
            return;
        }
        for (EntityRegion region : regions.values()) {
            region.resync(shard -> cache.get(LEASES + "/" + region.protocolName() + "/" + shard)
                    .map(d -> d.getData() == null ? null : new String(d.getData(), StandardCharsets.UTF_8)).orElse(null));
        }
    }

    /** @return the session that holds a lease, as the cache has it, or 0 */
    long leaseOwner(EntityRegion region, int shard) {
        return cache.get(LEASES + "/" + region.protocolName() + "/" + shard)
                .map(d -> d.getStat() == null ? 0L : d.getStat().getEphemeralOwner()).orElse(0L);
    }

    // ------------------------------------------------------------------ leader (event thread)

    private void queueRebalance() {
        if (latch == null || rebalanceQueued) {
            return;
        }
        rebalanceQueued = true;
        events.execute(() -> {
            rebalanceQueued = false;
            rebalance();
        });
    }

    /** The leader assigns every entity protocol's shards to the members that host it. */
    private void rebalance() {
        if (left || latch == null || !latch.hasLeadership()) {
            return;
        }
        Map<String, List<String>> hostsByProtocol = new TreeMap<>();
        for (Member member : members.values()) {
            for (String protocol : member.entities().keySet()) {
                hostsByProtocol.computeIfAbsent(protocol, p -> new ArrayList<>()).add(member.node());
            }
        }
        for (ChildData data : cache.stream().toList()) {
            if (data.getPath().startsWith(ASSIGNMENTS + "/")) {
                hostsByProtocol.computeIfAbsent(data.getPath().substring(ASSIGNMENTS.length() + 1), p -> new ArrayList<>());
            }
        }
        for (Map.Entry<String, List<String>> entry : hostsByProtocol.entrySet()) {
            String path = ASSIGNMENTS + "/" + entry.getKey();
            List<String> hosts = new ArrayList<>(new TreeSet<>(entry.getValue()));
            Optional<ChildData> current = cache.get(path);
            Assignment before = current.map(d -> Assignment.decode(d.getData())).orElse(null);
            int[] owners = ShardAllocator.allocate(before == null ? null : before.owners(),
                    before == null ? List.of() : before.members(), hosts, shards);
            Assignment next = new Assignment(hosts, owners);
            if (next.equals(before)) {
                continue;
            }
            try {
                if (current.isEmpty()) {
                    zk.create().creatingParentContainersIfNeeded().inBackground(this::written).forPath(path, next.encode());
                } else {
                    zk.setData().withVersion(current.get().getStat().getVersion()).inBackground(this::written)
                            .forPath(path, next.encode());
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "Leader " + self + " assigns " + entry.getKey() + " to " + hosts);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Could not write the assignment of " + entry.getKey() + ": " + e);
                retryRebalance();
            }
        }
    }

    private void written(CuratorFramework client, CuratorEvent event) {
        if (event.getResultCode() != KeeperException.Code.OK.intValue()) {
            // Another write came first (or the connection dropped): compute again from the cache.
            retryRebalance();
        }
    }

    private void retryRebalance() {
        if (!events.isShutdown()) {
            events.schedule(this::queueRebalance, 200, TimeUnit.MILLISECONDS);
        }
    }

    // ------------------------------------------------------------------ leases

    /** Event thread: creates a lease in the background; {@code done} runs on the event thread. */
    void createLease(EntityRegion region, int shard, Consumer<Boolean> done) {
        String path = LEASES + "/" + region.protocolName() + "/" + shard;
        try {
            zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                    .inBackground((c, event) -> {
                        int code = event.getResultCode();
                        onEvents(() -> done.accept(code == KeeperException.Code.OK.intValue()));
                        if (code != KeeperException.Code.OK.intValue() && code != KeeperException.Code.NODEEXISTS.intValue()) {
                            retryReconcile(region);
                        }
                    })
                    .forPath(path, self.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            onEvents(() -> done.accept(false));
            retryReconcile(region);
        }
    }

    private void retryReconcile(EntityRegion region) {
        if (!events.isShutdown()) {
            events.schedule(region::reconcile, 500, TimeUnit.MILLISECONDS);
        }
    }

    /** Event thread: deletes a lease of this session (checked first: never another member's). */
    void deleteLease(EntityRegion region, int shard) {
        String path = LEASES + "/" + region.protocolName() + "/" + shard;
        try {
            Stat stat = zk.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() == sessionId) {
                zk.delete().withVersion(stat.getVersion()).forPath(path);
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // Gone already.
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Could not give up the lease of shard " + shard + " of "
                    + region.protocolName() + ": " + e + "; it goes with the session");
        }
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
                if (path.equals(ASSIGNMENTS + "/" + created.protocolName())
                        || path.startsWith(LEASES + "/" + created.protocolName() + "/")) {
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

    /**
     * Registers an actor under a name, for as long as the actor lives and this node is a member.
     *
     * @throws IllegalStateException when another node holds the name
     */
    public void register(String name, ActorRef<?> ref, List<String> protocols) {
        checkName(name);
        String address = ref.address();
        if (!address.contains("@")) {
            throw new IllegalArgumentException(address + " is not reachable from other nodes; register an actor of a"
                    + " node (bound with bind(...)).");
        }
        byte[] data = (address + "\n" + String.join(",", protocols)).getBytes(StandardCharsets.UTF_8);
        String path = REGISTRY + "/" + name;
        try {
            try {
                zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
            } catch (KeeperException.NodeExistsException e) {
                Stat stat = new Stat();
                byte[] existing = zk.getData().storingStatIn(stat).forPath(path);
                if (stat.getEphemeralOwner() != sessionId) {
                    throw new IllegalStateException("Name '" + name + "' is registered already, by another node, for "
                            + registryAddress(existing) + "; choose another name, or unregister it there first.");
                }
                zk.setData().withVersion(stat.getVersion()).forPath(path, data);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not register '" + name + "' in ZooKeeper: " + e, e);
        }
        system.whenTerminated(ref).thenRun(() -> onEvents(() -> unregisterIf(name, address)));
    }

    private void unregisterIf(String name, String address) {
        String path = REGISTRY + "/" + name;
        try {
            Stat stat = new Stat();
            byte[] data = zk.getData().storingStatIn(stat).forPath(path);
            if (stat.getEphemeralOwner() == sessionId && registryAddress(data).equals(address)) {
                zk.delete().withVersion(stat.getVersion()).forPath(path);
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // Gone or replaced.
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Could not unregister '" + name + "': " + e);
        }
    }

    /** Removes a name this node registered; a name another node holds is left alone. */
    public void unregister(String name) {
        checkName(name);
        String path = REGISTRY + "/" + name;
        try {
            Stat stat = new Stat();
            zk.getData().storingStatIn(stat).forPath(path);
            if (stat.getEphemeralOwner() != sessionId) {
                throw new IllegalStateException("Name '" + name + "' was registered by another node; only that node may"
                        + " unregister it.");
            }
            zk.delete().withVersion(stat.getVersion()).forPath(path);
        } catch (KeeperException.NoNodeException e) {
            // Not registered.
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not unregister '" + name + "': " + e, e);
        }
    }

    /**
     * @return the address registered under a name, read from ZooKeeper when the cache does not
     *     have it yet
     * @throws ActorNotFoundException when nothing is registered under it
     */
    public String lookup(String name) {
        checkName(name);
        String path = REGISTRY + "/" + name;
        Optional<ChildData> cached = cache.get(path);
        if (cached.isPresent()) {
            return registryAddress(cached.get().getData());
        }
        try {
            return registryAddress(zk.getData().forPath(path));
        } catch (KeeperException.NoNodeException e) {
            throw new ActorNotFoundException("No actor is registered under '" + name + "' in the cluster; register"
                    + " one with cluster.register(\"" + name + "\", ref), or subscribe to the name to learn when it is.");
        } catch (Exception e) {
            throw new IllegalStateException("Could not look up '" + name + "' in ZooKeeper: " + e, e);
        }
    }

    /** @return the protocols registered with a name, or an empty list */
    public List<String> registeredProtocols(String name) {
        Optional<ChildData> cached = cache.get(REGISTRY + "/" + name);
        if (cached.isEmpty()) {
            return List.of();
        }
        String text = new String(cached.get().getData(), StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        return newline < 0 || newline == text.length() - 1 ? List.of() : List.of(text.substring(newline + 1).split(","));
    }

    /** Subscribes to one name's changes; the current state comes first. */
    public Runnable subscribe(String name, Consumer<NameEvent> listener) {
        checkName(name);
        Objects.requireNonNull(listener, "listener");
        onEventsAndWait(() -> {
            Optional<ChildData> now = cache.get(REGISTRY + "/" + name);
            deliver(listener, new NameEvent(name, now.map(d -> registryAddress(d.getData()))));
            nameListeners.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(listener);
        });
        return () -> nameListeners.getOrDefault(name, new ArrayList<>()).remove(listener);
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        try {
            ActorNames.validate(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Registry name '" + name + "' is not valid: " + e.getMessage(), e);
        }
    }

    private static String registryAddress(byte[] data) {
        String text = new String(data == null ? new byte[0] : data, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
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
            if (latch != null) {
                latch.close();
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
