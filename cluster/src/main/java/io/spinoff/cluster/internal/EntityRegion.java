package io.spinoff.cluster.internal;

import io.spinoff.api.ActorRef;
import io.spinoff.api.Ask;
import io.spinoff.api.AskTimeoutException;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.runtime.MailboxOverflowException;
import io.spinoff.runtime.SpawnOptions;
import io.spinoff.runtime.internal.EntitySink;
import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.cell.ActorCell;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

/**
 * The entities of one protocol as one node sees them: it routes every message for an entity to
 * where the entity may live, and, on a member that hosts the protocol, activates, passivates and
 * hands off the entities of the shards it owns. Not API.
 *
 * <h2>Single activation</h2>
 * A member activates an entity only while it holds its shard's lease: the ephemeral znode
 * {@code /leases/PROTOCOL/SHARD}, which ZooKeeper lets one session create at a time and deletes when
 * that session ends. A member gives a lease up only after every entity of the shard has
 * terminated (its {@code postStop} has run); a member that loses touch with ZooKeeper stops its
 * entities at once (fencing, {@link #fence}), within two thirds of the session timeout, before
 * the server can expire its session and let another member create the lease.
 *
 * <h2>Routing</h2>
 * A message for an entity goes to the entity, when this member holds the shard; else to the node
 * that holds the lease, as ZooKeeper last told this node; else it waits in the shard's buffer
 * (bounded: {@code bufferLimit} messages, the rest counted as overflows and refused) until one of
 * the two holds. A node holding a lease that it is giving up buffers too, and passes its buffer on
 * to the next holder.
 *
 * <p><b>Threading:</b> {@link #ref} and routing from any thread (senders, the node's I/O thread);
 * the state changes ({@link #assignmentChanged}, {@link #holderChanged}, {@link #fence},
 * {@link #sweep}) on the cluster's event thread. Each shard's state is guarded by the shard's
 * monitor, which routing holds only to enqueue (never to wait); entity termination callbacks
 * take it from the dispatcher's threads.
 */
public final class EntityRegion {

    private static final System.Logger LOG = System.getLogger(EntityRegion.class.getName());

    /** A message or ask waiting in a buffer, or being routed. */
    record Pending(Object message, CompletableFuture<Object> reply, long deadlineNanos) {
        boolean isAsk() {
            return reply != null;
        }
    }

    /** An active entity of this member. Guarded by its shard's monitor. */
    static final class Entity {
        final ActorCell cell;
        long lastUsedNanos;
        /** The cell's turns when the sweep last looked: messages from other nodes reach it directly. */
        int seenTurns;
        boolean stopping;
        /**
         * What the stopping actor left in its mailbox, in mailbox order: older than anything in
         * {@link #pending}, which was sent after the entity was marked stopping or refused at the
         * terminated cell's door, so routed first.
         */
        final ArrayDeque<Pending> leftovers = new ArrayDeque<>();
        final ArrayDeque<Pending> pending = new ArrayDeque<>();

        Entity(ActorCell cell, long now) {
            this.cell = cell;
            this.lastUsedNanos = now;
        }
    }

    /** One shard as this node sees it. Every field is guarded by the shard's monitor. */
    static final class Shard {
        final int index;
        /** The node holding the lease, as ZooKeeper last told, or null. */
        String holder;
        /** Whether this member holds the lease and may activate (not while fenced). */
        boolean mine;
        /** Whether this member is giving the shard up: its entities are stopping. */
        boolean releasing;
        /** Whether a create of the lease is in flight. */
        boolean acquiring;
        final Map<String, Entity> entities = new HashMap<>();
        final ArrayDeque<Pending> buffer = new ArrayDeque<>();

        Shard(int index) {
            this.index = index;
        }
    }

    private final ClusterCore core;
    /** Per shard, how many resyncs in a row saw another holder than this node; event thread only. */
    private final int[] resyncStrikes;
    private final ProtocolDefinition<?, ?> definition;
    private final Class<?> protocol;
    private final String simpleName;
    private final Shard[] shards;
    private final SystemRuntime runtime;
    private final LongAdder overflows = new LongAdder();
    private final LongAdder activations = new LongAdder();
    private final LongAdder passivations = new LongAdder();
    // Set once by host() on the event thread before the member announces the protocol; read by
    // routing under a shard's monitor, after the assignment (which only follows the announcement)
    // made the shard this member's: the monitor and the event thread's hand-off order the write.
    private volatile Function<String, ?> factory;
    private volatile long passivateAfterNanos = Duration.ofMinutes(2).toNanos();
    private volatile int bufferLimit = 10_000;
    private volatile ActorCell root;
    private volatile Assignment assignment;
    private volatile boolean fenced;
    private volatile boolean leaving;

    EntityRegion(ClusterCore core, ProtocolDefinition<?, ?> definition, Class<?> protocol, int shardCount) {
        this.core = core;
        this.definition = definition;
        this.protocol = protocol;
        this.simpleName = protocol.getSimpleName();
        this.runtime = core.runtime();
        this.shards = new Shard[shardCount];
        this.resyncStrikes = new int[shardCount];
        for (int i = 0; i < shardCount; i++) {
            shards[i] = new Shard(i);
        }
    }

    /** @return the protocol's name */
    public String protocolName() {
        return definition.name();
    }

    /** @return the protocol's simple name, the second segment of its entities' paths */
    String simpleName() {
        return simpleName;
    }

    ProtocolDefinition<?, ?> definition() {
        return definition;
    }

    /** @return whether this member hosts the protocol */
    boolean hosts() {
        return factory != null;
    }

    /**
     * Makes this member a host of the protocol. On the event thread, before the member announces it.
     */
    void host(Function<String, ?> entityFactory, Duration passivateAfter, int buffer) {
        this.passivateAfterNanos = passivateAfter.toNanos();
        this.bufferLimit = buffer;
        this.root = runtime.clusterRoot(simpleName);
        this.factory = entityFactory;
    }

    /** @return messages refused because a shard's buffer was full */
    public long overflows() {
        return overflows.sum();
    }

    /** @return entities activated on this member */
    public long activations() {
        return activations.sum();
    }

    /** @return entities passivated on this member (stopped for being idle) */
    public long passivations() {
        return passivations.sum();
    }

    /** @return the number of entities active on this member */
    public int activeCount() {
        int count = 0;
        for (Shard shard : shards) {
            synchronized (shard) {
                count += shard.entities.size();
            }
        }
        return count;
    }

    /** @return the shards whose lease this member holds */
    public int ownedShards() {
        int count = 0;
        for (Shard shard : shards) {
            synchronized (shard) {
                if (shard.mine) {
                    count++;
                }
            }
        }
        return count;
    }

    // ------------------------------------------------------------------ routing (any thread)

    /**
     * @param id an entity id
     * @return the entity's reference on this node
     */
    public EntitySink ref(String id) {
        return new EntityRef(id);
    }

    /**
     * What a message from another node to an entity is handed to: the entity itself while it runs
     * here (so the node's I/O thread delivers straight to its mailbox, with the inbound limit, and
     * the sweep sees its use through its turns), else its router. Should the entity stop
     * meanwhile, what reaches its mailbox is routed again (its leftovers).
     *
     * @param id an entity id
     * @return the entity's cell reference, or its router
     */
    public ActorRef<Object> inbound(String id) {
        Shard shard = shards[ShardAllocator.shardOf(id, shards.length)];
        synchronized (shard) {
            if (shard.mine && !shard.releasing) {
                Entity entity = shard.entities.get(id);
                if (entity != null && !entity.stopping && !entity.cell.isTerminated()) {
                    return entity.cell.self();
                }
            }
        }
        return new EntityRef(id);
    }

    private String pathOf(String id) {
        return "/cluster/" + simpleName + "/" + id;
    }

    /** The reference of one entity: routes each message (see the class description). */
    private final class EntityRef implements EntitySink {
        private final String id;
        private final String path;
        private final Shard shard;
        private volatile Forward forward;

        EntityRef(String id) {
            this.id = id;
            this.path = pathOf(id);
            this.shard = shards[ShardAllocator.shardOf(id, shards.length)];
        }

        @Override
        public ProtocolDefinition<?, ?> protocol() {
            return definition;
        }

        @Override
        public String address() {
            return path;
        }

        @Override
        public void tell(Object message) {
            route(shard, id, new Pending(message, null, 0), this);
        }

        /**
         * The reference of this entity on a holder, kept for the next message: building it (an
         * address, a lookup, a proxy) costs more than sending. Any thread; a racing sender may
         * build it twice, which is harmless.
         */
        ActorRef<Object> on(String holder) {
            Forward cached = forward;
            if (cached != null && cached.holder().equals(holder)) {
                return cached.ref();
            }
            ActorRef<Object> made = core.remoteRef(holder, path, protocol);
            forward = new Forward(holder, made);
            return made;
        }

        @Override
        public <R> CompletableFuture<R> ask(Ask<R> message) {
            return ask(message, ProtocolDefinition.askTimeoutOf(message).orElse(core.system().askTimeout()));
        }

        @Override
        @SuppressWarnings("unchecked")
        public <R> CompletableFuture<R> ask(Ask<R> message, Duration timeout) {
            CompletableFuture<Object> reply = new CompletableFuture<>();
            route(shard, id, new Pending(message, reply, System.nanoTime() + timeout.toNanos()), this);
            return (CompletableFuture<R>) reply;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof EntityRef that && that.id.equals(id) && that.region() == EntityRegion.this;
        }

        private EntityRegion region() {
            return EntityRegion.this;
        }

        @Override
        public int hashCode() {
            return id.hashCode() * 31 + simpleName.hashCode();
        }

        @Override
        public String toString() {
            return "Entity(" + address() + ")";
        }
    }

    /** The reference of an entity on the node that holds its shard, for one holder. */
    private record Forward(String holder, ActorRef<Object> ref) {}

    /**
     * Holding the shard's monitor: whether its messages go to another member, which holds its
     * lease and is still a member. A removed member's leases are deleted with its session, but
     * this node may learn of its removal first: until the lease is seen to go, what is sent for
     * the shard waits in the buffer instead of going to a node that is gone.
     */
    private boolean heldElsewhere(Shard shard) {
        String holder = shard.holder;
        return holder != null && !holder.equals(core.self()) && !leaving && core.isMember(holder);
    }

    private void route(Shard shard, String id, Pending item) {
        route(shard, id, item, null);
    }

    /** @param via the sender's reference of the entity, which keeps the holder's reference; or null */
    private void route(Shard shard, String id, Pending item, EntityRef via) {
        synchronized (shard) {
            if (shard.mine && !shard.releasing) {
                deliverLocal(shard, id, item);
            } else if (heldElsewhere(shard)) {
                if (via == null) {
                    forward(shard.holder, id, item);
                } else {
                    ActorRef<Object> target;
                    try {
                        target = via.on(shard.holder);
                    } catch (RuntimeException e) {
                        refuse(id, item, e);
                        return;
                    }
                    send(target, item);
                }
            } else {
                buffer(shard, id, item);
            }
        }
    }

    /** Holding the shard's monitor, with the shard this member's: to the entity, activated if need be. */
    private void deliverLocal(Shard shard, String id, Pending item) {
        Entity entity = shard.entities.get(id);
        if (entity == null) {
            entity = activate(shard, id, item);
            if (entity == null) {
                return;
            }
        }
        if (entity.stopping || entity.cell.isTerminated()) {
            entity.stopping = true;
            if (entity.pending.size() >= bufferLimit) {
                overflow(shard, id, item);
            } else {
                entity.pending.add(item);
            }
            return;
        }
        entity.lastUsedNanos = System.nanoTime();
        send(entity.cell.self(), item);
    }

    private Entity activate(Shard shard, String id, Pending item) {
        Function<String, ?> make = factory;
        ActorCell cell;
        try {
            cell = root.spawnCell(protocol, () -> make.apply(id), id, SpawnOptions.DEFAULT);
        } catch (RuntimeException e) {
            refuse(id, item, new IllegalStateException("Entity " + pathOf(id) + " could not be activated: " + e.getMessage(), e));
            return null;
        }
        // What the entity leaves in its mailbox when it stops (for passivation, a move, a fence,
        // or on its own) is routed again: to its next activation, here or where its shard goes.
        // Leftovers come only from an actor that has stopped, whose termination is not complete
        // yet (it drains its mailbox first): the entity is marked stopping before routing, or the
        // router would put them back into the mailbox being drained, for ever.
        long askTimeoutNanos = core.system().askTimeout().toNanos();
        cell.redirectLeftovers((message, reply, queued) -> {
            Pending left = new Pending(message, reply, System.nanoTime() + askTimeoutNanos);
            synchronized (shard) {
                Entity stopping = shard.entities.get(id);
                if (stopping != null && stopping.cell == cell) {
                    // What the mailbox held is kept apart, and routed before what was sent after
                    // the entity was marked stopping, so that one sender's messages keep their
                    // order across the stop. A message refused at the door (the cell had just
                    // terminated) is newer than anything its sender still has in the mailbox,
                    // which handOverLeftovers may hand over after it: it waits with the later ones.
                    stopping.stopping = true;
                    if (stopping.leftovers.size() + stopping.pending.size() >= bufferLimit) {
                        overflow(shard, id, left);
                    } else if (queued) {
                        stopping.leftovers.add(left);
                    } else {
                        stopping.pending.add(left);
                    }
                } else {
                    route(shard, id, left);
                }
            }
        });
        Entity entity = new Entity(cell, System.nanoTime());
        shard.entities.put(id, entity);
        activations.increment();
        core.entityActivated(pathOf(id));
        cell.terminationFuture().whenComplete((terminated, failure) -> terminatedEntity(shard, id, entity));
        return entity;
    }

    /** Any thread, when an entity's cell has terminated: forgets it and routes what waited for it. */
    private void terminatedEntity(Shard shard, String id, Entity entity) {
        boolean releaseDone = false;
        synchronized (shard) {
            // Every send of this router to the cell happened under this monitor, so each is queued
            // by now; one that came just after the cell's last drain is still in its mailbox and
            // joins the leftovers here, ahead of what waits in pending (sent later).
            if (shard.entities.get(id) == entity) {
                try {
                    entity.cell.handOverLeftovers();
                } catch (RuntimeException | Error failure) {
                    // What was not handed over reaches the handler from the cell's next turn;
                    // the entity is forgotten and its waiting messages routed all the same.
                    LOG.log(System.Logger.Level.WARNING, "Handing over what " + pathOf(id) + " left failed", failure);
                } finally {
                    shard.entities.remove(id);
                }
            }
            Pending item;
            while ((item = entity.leftovers.poll()) != null || (item = entity.pending.poll()) != null) {
                if (shard.mine && !shard.releasing) {
                    deliverLocal(shard, id, item);
                } else {
                    buffer(shard, id, item);
                }
            }
            if (shard.releasing && shard.entities.isEmpty()) {
                releaseDone = true;
            }
        }
        core.entityPassivated(pathOf(id));
        if (releaseDone) {
            core.onEvents(() -> finishRelease(shard));
        }
    }

    private void buffer(Shard shard, String id, Pending item) {
        if (shard.buffer.size() >= bufferLimit) {
            overflow(shard, id, item);
            return;
        }
        shard.buffer.add(new Pending(new Addressed(id, item.message()), item.reply(), item.deadlineNanos()));
        if (item.isAsk()) {
            long delay = item.deadlineNanos() - System.nanoTime();
            CompletableFuture.delayedExecutor(Math.max(0, delay), TimeUnit.NANOSECONDS).execute(() ->
                    item.reply().completeExceptionally(new AskTimeoutException("Entity " + pathOf(id)
                            + " did not answer in time: its shard " + shard.index + " had no owner to deliver to"
                            + " (it is moving, or no member hosts " + simpleName + ")")));
        }
    }

    /** A buffered message with the id of its entity. */
    private record Addressed(String id, Object message) {}

    private void overflow(Shard shard, String id, Pending item) {
        overflows.increment();
        String why = "the buffer of shard " + shard.index + " of " + simpleName + " is full (" + bufferLimit
                + " messages wait for the shard to get an owner); raise it with entities(...).buffer(n), or send less"
                + " while shards move";
        refuse(id, item, new MailboxOverflowException("Entity " + pathOf(id) + " refused a message: " + why + "."));
    }

    private void refuse(String id, Pending item, RuntimeException failure) {
        if (item.isAsk()) {
            item.reply().completeExceptionally(failure);
        } else {
            runtime.deadLetter(pathOf(id), item.message(), failure.getMessage());
        }
    }

    private void forward(String holder, String id, Pending item) {
        ActorRef<Object> target;
        try {
            target = core.remoteRef(holder, pathOf(id), protocol);
        } catch (RuntimeException e) {
            refuse(id, item, e);
            return;
        }
        send(target, item);
    }

    @SuppressWarnings("unchecked")
    private void send(ActorRef<Object> target, Pending item) {
        if (!item.isAsk()) {
            target.tell(item.message());
            return;
        }
        long remaining = item.deadlineNanos() - System.nanoTime();
        if (remaining <= 0) {
            item.reply().completeExceptionally(new AskTimeoutException("Entity " + target.address()
                    + " did not answer in time: the ask waited for its shard to get an owner"));
            return;
        }
        CompletableFuture<Object> reply = item.reply();
        target.ask((Ask<Object>) item.message(), Duration.ofNanos(remaining)).whenComplete((value, failure) -> {
            if (failure == null) {
                reply.complete(value);
            } else {
                reply.completeExceptionally(failure);
            }
        });
    }

    /** Holding the shard's monitor: routes the buffer again, now that the shard has somewhere to go. */
    private void flush(Shard shard) {
        if (shard.buffer.isEmpty()) {
            return;
        }
        List<Pending> waiting = new ArrayList<>(shard.buffer);
        shard.buffer.clear();
        for (Pending item : waiting) {
            Addressed addressed = (Addressed) item.message();
            Pending original = new Pending(addressed.message(), item.reply(), item.deadlineNanos());
            if (item.isAsk() && item.reply().isDone()) {
                continue;
            }
            if (shard.mine && !shard.releasing) {
                deliverLocal(shard, addressed.id(), original);
            } else if (heldElsewhere(shard)) {
                forward(shard.holder, addressed.id(), original);
            } else {
                shard.buffer.add(item);
            }
        }
    }

    // ------------------------------------------------------------------ state changes (event thread)

    /** The leader recorded a new assignment. */
    void assignmentChanged(Assignment next) {
        this.assignment = next;
        reconcile();
    }

    /** A lease was created or deleted: {@code holder} holds it now, or null. */
    void holderChanged(int shardIndex, String holder, long ephemeralOwner) {
        if (shardIndex < 0 || shardIndex >= shards.length) {
            return;
        }
        Shard shard = shards[shardIndex];
        boolean retry;
        synchronized (shard) {
            if (holder == null && shard.mine && ephemeralOwner != core.sessionId()) {
                // The deletion of a predecessor's lease, reported after this member created its own.
                return;
            }
            shard.holder = holder;
            if (holder != null && holder.equals(core.self()) && !shard.mine && !shard.acquiring && !fenced
                    && ephemeralOwner == core.sessionId() && assignedHere(shardIndex) && !shard.releasing) {
                // Ours, from this very session (reconnected after a fence): take it up again.
                shard.mine = true;
            }
            if (holder == null && shard.mine && !shard.releasing) {
                // The lease went while this member ran the shard (only a session's end deletes it
                // behind the member's back): another member may take it now, so stop at once.
                shard.mine = false;
                stopAll(shard);
            }
            flush(shard);
            retry = holder == null;
        }
        if (retry) {
            reconcile(shard);
        }
    }

    /**
     * Event thread: the holder of each shard as ZooKeeper's cache has it now; a shard whose
     * holder this node sees otherwise is corrected (a safety net, should a change have been
     * missed, for instance across a reconnection).
     */
    void resync(java.util.function.IntFunction<String> holders) {
        for (Shard shard : shards) {
            String now = holders.apply(shard.index);
            String seen;
            synchronized (shard) {
                // This member's own leases are known from its creates and its session, not the cache.
                if (shard.mine || shard.acquiring || shard.releasing) {
                    resyncStrikes[shard.index] = 0;
                    continue;
                }
                seen = shard.holder;
            }
            if (java.util.Objects.equals(now, seen)) {
                resyncStrikes[shard.index] = 0;
            } else if (++resyncStrikes[shard.index] >= 2) {
                // Seen twice a second apart: not an event still on its way.
                resyncStrikes[shard.index] = 0;
                LOG.log(System.Logger.Level.DEBUG, () -> "Shard " + shard.index + " of " + simpleName + " is held by "
                        + now + ", not " + seen + " as " + core.self() + " had it");
                holderChanged(shard.index, now, now == null ? 0 : core.leases().owner(this, shard.index));
            }
        }
    }

    private boolean assignedHere(int shardIndex) {
        Assignment current = assignment;
        return hosts() && !leaving && current != null && core.self().equals(current.ownerOf(shardIndex));
    }

    /** Acquires the leases of the shards assigned here, gives up those assigned elsewhere. */
    void reconcile() {
        for (Shard shard : shards) {
            reconcile(shard);
        }
    }

    private void reconcile(Shard shard) {
        if (fenced || !hosts()) {
            return;
        }
        boolean acquire = false;
        boolean release = false;
        synchronized (shard) {
            boolean here = assignedHere(shard.index);
            if (here && !shard.mine && !shard.acquiring && shard.holder == null) {
                shard.acquiring = true;
                acquire = true;
            } else if (!here && shard.mine && !shard.releasing) {
                release = true;
            }
        }
        if (acquire) {
            core.leases().create(this, shard.index, created -> acquired(shard, created));
        } else if (release) {
            release(shard);
        }
    }

    /** Event thread: the create of a lease ended. */
    private void acquired(Shard shard, boolean created) {
        boolean giveBack = false;
        synchronized (shard) {
            shard.acquiring = false;
            if (created) {
                shard.holder = core.self();
                if (fenced || !assignedHere(shard.index)) {
                    giveBack = true;
                } else {
                    shard.mine = true;
                    flush(shard);
                }
            }
        }
        if (giveBack) {
            core.leases().delete(this, shard.index);
        }
    }

    /** Event thread: stops the shard's entities; the lease goes once all have terminated. */
    private void release(Shard shard) {
        boolean done;
        synchronized (shard) {
            if (!shard.mine || shard.releasing) {
                return;
            }
            shard.releasing = true;
            stopAll(shard);
            done = shard.entities.isEmpty();
        }
        if (done) {
            finishRelease(shard);
        }
    }

    /** Event thread: every entity of a shard being released has terminated: the lease goes. */
    private void finishRelease(Shard shard) {
        synchronized (shard) {
            if (!shard.releasing || !shard.entities.isEmpty()) {
                return;
            }
            shard.releasing = false;
            shard.mine = false;
        }
        core.leases().delete(this, shard.index);
    }

    /** Holding the shard's monitor: asks every entity of the shard to stop. */
    private static void stopAll(Shard shard) {
        for (Entity entity : shard.entities.values()) {
            if (!entity.stopping) {
                entity.stopping = true;
                entity.cell.stopFromOutside(null);
            }
        }
    }

    /**
     * Event thread: ZooKeeper is out of reach (or the session expired): this member may no longer
     * be the only one allowed to run its entities. Stops them all at once; routing buffers until
     * {@link #unfence}.
     */
    void fence() {
        fenced = true;
        for (Shard shard : shards) {
            synchronized (shard) {
                shard.mine = false;
                stopAll(shard);
            }
        }
    }

    /**
     * Event thread: connected again. The leases this session still holds are taken up again (the
     * caller passes them, read from ZooKeeper); the others are acquired as assigned.
     */
    void unfence(Map<Integer, Long> leaseOwners) {
        fenced = false;
        for (Shard shard : shards) {
            synchronized (shard) {
                Long owner = leaseOwners.get(shard.index);
                if (owner != null && owner == core.sessionId() && assignedHere(shard.index)) {
                    shard.holder = core.self();
                    shard.mine = true;
                    flush(shard);
                }
            }
        }
        reconcile();
    }

    /** Event thread: passivates the entities idle for longer than the passivation time. */
    void sweep() {
        long now = System.nanoTime();
        long limit = passivateAfterNanos;
        for (Shard shard : shards) {
            synchronized (shard) {
                for (Entity entity : shard.entities.values()) {
                    int turns = entity.cell.turns();
                    if (turns != entity.seenTurns) {
                        entity.seenTurns = turns;
                        entity.lastUsedNanos = now;
                    }
                    if (!entity.stopping && now - entity.lastUsedNanos > limit) {
                        entity.stopping = true;
                        passivations.increment();
                        entity.cell.stopFromOutside(null);
                    }
                }
            }
        }
    }

    /** @return how often {@link #sweep} should run */
    Duration sweepInterval() {
        return Duration.ofNanos(Math.max(TimeUnit.MILLISECONDS.toNanos(50), passivateAfterNanos / 4));
    }

    /**
     * Event thread, when the member leaves: stops every entity and gives up every lease.
     *
     * @return completes when every entity has terminated
     */
    CompletableFuture<Void> leave() {
        leaving = true;
        List<CompletableFuture<?>> stops = new ArrayList<>();
        for (Shard shard : shards) {
            synchronized (shard) {
                // Nothing is activated here any more: what reaches the shard from now on, and what
                // its stopping entities leave, waits in the buffer (refused once the session is
                // closed) instead of starting an entity again while the lease goes.
                shard.mine = false;
                for (Entity entity : shard.entities.values()) {
                    stops.add(entity.cell.terminationFuture());
                    if (!entity.stopping) {
                        entity.stopping = true;
                        entity.cell.stopFromOutside(null);
                    }
                }
            }
        }
        return CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new));
    }

    /**
     * Event thread, while the member hands its shards over before leaving: whether it is done.
     * It is when the leader's assignment no longer names this member, no shard is held, being
     * given up or being taken here, and no buffer holds messages for a shard that has an owner to
     * pass them to.
     */
    boolean handedOver() {
        Assignment current = assignment;
        if (!hosts() || current == null) {
            return true;
        }
        if (current.members().contains(core.self())) {
            return false;
        }
        for (Shard shard : shards) {
            synchronized (shard) {
                if (shard.mine || shard.releasing || shard.acquiring
                        || !shard.buffer.isEmpty() && current.ownerOf(shard.index) != null) {
                    return false;
                }
            }
        }
        return true;
    }

    /** After {@link #leave}: what still waits in buffers is refused. */
    void refuseBuffered() {
        for (Shard shard : shards) {
            List<Pending> waiting;
            synchronized (shard) {
                waiting = new ArrayList<>(shard.buffer);
                shard.buffer.clear();
                shard.mine = false;
            }
            for (Pending item : waiting) {
                Addressed addressed = (Addressed) item.message();
                refuse(addressed.id(), new Pending(addressed.message(), item.reply(), item.deadlineNanos()),
                        new IllegalStateException("Entity " + pathOf(addressed.id()) + " is unreachable: node "
                                + core.self() + " left the cluster before the entity's shard had an owner"));
            }
        }
        LOG.log(System.Logger.Level.DEBUG, "Region " + simpleName + " of " + core.self() + " left");
    }
}
