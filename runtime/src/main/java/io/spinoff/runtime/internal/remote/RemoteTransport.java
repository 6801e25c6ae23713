package io.spinoff.runtime.internal.remote;

import io.spinoff.api.ActorRef;
import io.spinoff.api.CodecException;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.ReferenceCodec;
import io.spinoff.api.support.WireWriter;
import io.spinoff.runtime.PeerInfo;
import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.watch.DeathWatcher;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The remoting of one node: the entry point the system and remote references call, and the owner
 * of its parts. Not API.
 *
 * <h2>Parts</h2>
 * <ul>
 *   <li>{@link IoLoop}: the one I/O thread that owns every socket, and how senders wake it.</li>
 *   <li>{@link Outbox}: the queue of encoded records into the I/O thread and the batches per
 *       peer.</li>
 *   <li>{@link InboundDecoder}: reading and decoding what arrives (untrusted input).</li>
 *   <li>{@link RemoteAsks}: asks sent (pending table, deadlines, replies) and asks served.</li>
 *   <li>{@link RemoteDeathWatch}: remote death watch, watching and hosting side.</li>
 *   <li>{@link Peers}: the peers, their sockets and name lookups, heartbeats and the failure
 *       detector.</li>
 *   <li>{@link CurveAuthenticator}: the ZAP handler of CURVE.</li>
 *   <li>{@link WireFormat}, {@link EnvelopeKind}, {@link RecordKind}, {@link FailureCode},
 *       {@link TerminationReason}: the bytes on the wire.</li>
 * </ul>
 *
 * <h2>Hostile input</h2>
 * Everything read from the ROUTER is untrusted. ZeroMQ refuses messages longer than twice the
 * maximum frame size before allocating them ({@code ZMQ_MAXMSGSIZE}, which drops the connection);
 * a message between the two limits is refused by the decoder, logged and counted with its peer's
 * name, its asks answered with a failure, and the connection kept. Every envelope and every frame is
 * decoded inside its own try block; whatever fails is dropped, counted in
 * {@link SystemRuntime#countDroppedFrame()} and logged, and the I/O thread carries on.
 *
 * <p><b>Threading:</b> the public methods may be called from any thread but the I/O thread (the
 * ones that question the I/O thread's state would wait for themselves), except {@link #close},
 * which the I/O thread may call from a reply callback. The fields set at construction are final;
 * {@link #nodeName} is written by the I/O thread before {@code bound} completes, which
 * {@link #start} joins.
 */
public final class RemoteTransport implements ReferenceCodec {

    static final System.Logger LOG = System.getLogger("io.spinoff.runtime.remote");

    /** The most remote references kept for reuse; see {@link RefCache}. */
    static final int MAX_CACHED_REFS = 4_096;

    final SystemRuntime runtime;
    final RemoteConfig config;
    /** Written by the I/O thread before {@code bound} completes; see {@link #start}. */
    private String nodeName;
    private final long incarnation;
    final ProtocolRegistry protocols;
    /** Pretended local fingerprints, by protocol name; see {@link #overrideFingerprint}. */
    private final ConcurrentHashMap<String, Long> fingerprintOverrides = new ConcurrentHashMap<>();
    /**
     * Whether a test overrode a fingerprint: until then {@link #localFingerprint}, which every
     * send calls, skips the map. Volatile: set after the put, so a reader that sees it sees the entry.
     */
    private volatile boolean fingerprintsOverridden;
    /** Remote references by address, for reuse. */
    final RefCache refs = new RefCache(MAX_CACHED_REFS);
    final DropLog drops;
    /** Rate-limits warnings of peers going down, apart from drops, so neither hides the other. */
    final DropLog peerEvents;
    volatile boolean closing;

    final Outbox outbox;
    final Peers peers;
    final RemoteAsks asks;
    final RemoteDeathWatch watch;
    final InboundDecoder inbound;
    final IoLoop loop;

    private RemoteTransport(SystemRuntime runtime, RemoteConfig config, String systemName) throws IOException {
        this.runtime = runtime;
        this.config = config;
        long id;
        do {
            id = new SecureRandom().nextLong();
        } while (id == 0);
        this.incarnation = id;
        this.protocols = new ProtocolRegistry(Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : RemoteTransport.class.getClassLoader());
        this.drops = new DropLog(runtime);
        this.peerEvents = new DropLog(runtime);
        this.outbox = new Outbox(this);
        this.peers = new Peers(this);
        this.asks = new RemoteAsks(this);
        this.watch = new RemoteDeathWatch(this);
        this.inbound = new InboundDecoder(this);
        this.loop = new IoLoop(this, systemName);
    }

    /**
     * Starts the node's I/O thread, which binds the node's socket and then waits for
     * {@link #open()} before it reads anything.
     *
     * @param runtime the system
     * @param config the remoting settings
     * @param systemName the system's name, the first part of the node's name
     * @return the transport, bound
     * @throws IllegalStateException when the address cannot be bound
     */
    public static RemoteTransport start(SystemRuntime runtime, RemoteConfig config, String systemName) {
        RemoteTransport transport;
        try {
            transport = new RemoteTransport(runtime, config, systemName);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start remoting of " + systemName + ": " + e.getMessage(), e);
        }
        transport.loop.startThread();
        return transport;
    }

    /** Records the node's name once bound. I/O thread, before {@code bound} completes. */
    void named(String name) {
        nodeName = name;
    }

    /** Lets the I/O thread read inbound frames; call once the system can take messages. */
    public void open() {
        loop.opened.complete(null);
    }

    /**
     * Stops the I/O thread after it flushed what was queued, and closes the sockets. Blocks for at
     * most the linger time plus a little. Idempotent; any thread.
     */
    public void close() {
        closing = true;
        loop.close();
    }

    /** @return this node's name {@code name@host:port} */
    public String nodeName() {
        return nodeName;
    }

    /** @return this node's incarnation: a random id that differs at each start */
    public long incarnation() {
        return incarnation;
    }

    /**
     * @return what this node knows of each peer, as its I/O thread sees it; empty when that thread
     *     does not answer within 5 s (it has stopped). Any thread but the I/O thread.
     */
    public List<PeerInfo> peerStates() {
        return onIoThread(peers::states, List.of());
    }

    /**
     * @param node a peer's name
     * @return the incarnation of that peer this node last heard from, or 0 when it knows none
     */
    public long peerIncarnation(String node) {
        return onIoThread(() -> {
            Peer peer = peers.get(node);
            return peer == null ? 0L : peer.incarnation;
        }, 0L);
    }

    /**
     * Asks the I/O thread a question about its state. Any thread but the I/O thread.
     *
     * @param question what to compute there
     * @param otherwise the answer when that thread does not answer within 5 s (it has stopped)
     * @return the answer
     */
    <T> T onIoThread(java.util.function.Supplier<T> question, T otherwise) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        outbox.enqueueTask(() -> answer.complete(question.get()));
        return answer.completeOnTimeout(otherwise, 5, TimeUnit.SECONDS).join();
    }

    /**
     * Makes this node pretend that its definition of a protocol has another fingerprint, as a node
     * built from a changed protocol would. For tests of the mismatch error only.
     *
     * @param protocolName the protocol's name
     * @param fingerprint the fingerprint to report
     */
    public void overrideFingerprint(String protocolName, long fingerprint) {
        fingerprintOverrides.put(protocolName, fingerprint);
        fingerprintsOverridden = true;
    }

    // ------------------------------------------------------------------ references (any thread)

    /**
     * The cluster removed a member: the node treats it as down (see {@link Peers#memberRemoved}).
     * Any thread; the work runs on the I/O thread.
     *
     * @param node the member's node name
     * @param incarnation the member's incarnation as the cluster knew it, or 0
     * @param why the reason, for the log
     */
    public void memberRemoved(String node, long incarnation, String why) {
        loop.execute(() -> peers.memberRemoved(node, incarnation, why));
    }

    /**
     * @param node a node name other than this node's
     * @param path the actor's path
     * @return a reference to the actor there
     */
    public RemoteActorRef remoteRef(String node, String path) {
        return refs.intern(node + path, address -> new RemoteActorRef(this, node, path));
    }

    /** @param definition a protocol whose messages may be sent through remote references */
    public void register(ProtocolDefinition<?, ?> definition) {
        protocols.register(definition);
    }

    @Override
    public String addressOf(Object reference) {
        throw new CodecException("Cannot send " + reference.getClass().getName() + " as an actor reference;"
                + " pass the proxy returned by spawn, lookup or self(...).");
    }

    @Override
    public <P> P resolve(Class<P> protocol, String address) {
        ProtocolDefinition<P, ?> definition = ProtocolDefinition.of(protocol);
        protocols.register(definition);
        return definition.proxy(resolveRef(address));
    }

    @Override
    public ActorRef<Object> resolveRef(String address) {
        RemoteActorRef known = refs.get(address);
        if (known != null) {
            return known;
        }
        NodeAddress.Address parsed = NodeAddress.parse(address);
        if (parsed == null) {
            throw new CodecException("Malformed actor address '" + abbreviate(address) + "'");
        }
        if (parsed.node().equals(nodeName)) {
            return runtime.resolveLocal(parsed.path());
        }
        return refs.intern(address, key -> new RemoteActorRef(this, parsed.node(), parsed.path()));
    }

    // ------------------------------------------------------------------ sending (any thread)

    void tell(RemoteActorRef target, Object message) {
        ProtocolDefinition<Object, Object> definition = definitionOf(target, message);
        Route route = routeFor(target, definition);
        WireWriter out = new WireWriter(128, this);
        definition.encode(message, out);
        outbox.enqueue(new Outbound.Tell(target.node(), route, out.toByteArray()), target, message);
    }

    <R> CompletableFuture<R> ask(RemoteActorRef target, Object message, Duration timeout) {
        return asks.ask(target, message, timeout);
    }

    void watch(RemoteActorRef target, DeathWatcher watcher) {
        watch.watch(target, watcher);
    }

    void unwatch(RemoteActorRef target, DeathWatcher watcher) {
        watch.unwatch(target, watcher);
    }

    /**
     * @return the route of the protocol to the actor: the one cached on the reference when it fits,
     *     else a new one (cached in its place). Any thread.
     */
    Route routeFor(RemoteActorRef target, ProtocolDefinition<Object, Object> definition) {
        long fingerprint = localFingerprint(definition);
        Route route = target.cachedRoute();
        if (route != null && route.definition == definition && route.fingerprint == fingerprint) {
            return route;
        }
        WireWriter out = new WireWriter(64 + target.path().length() + definition.name().length(), null);
        out.writeByte(RecordKind.TARGET.code());
        out.writeString(target.path());
        out.writeString(definition.name());
        out.writeLong(fingerprint);
        route = new Route(target, definition, fingerprint, out.toByteArray());
        target.cacheRoute(route);
        return route;
    }

    @SuppressWarnings("unchecked")
    ProtocolDefinition<Object, Object> definitionOf(RemoteActorRef target, Object message) {
        ProtocolDefinition<Object, Object> definition = (ProtocolDefinition<Object, Object>) protocols.forMessage(message);
        if (definition == null) {
            throw new IllegalArgumentException(message.getClass().getName() + " is not a message of an"
                    + " @ActorProtocol, so it cannot be sent to " + target.address()
                    + "; send through the proxy of the actor's protocol.");
        }
        if (definition.local()) {
            throw new IllegalArgumentException("Protocol " + definition.name() + " is @ActorProtocol(local = true)"
                    + " and cannot reach " + target.address() + " on another node; drop local = true so that"
                    + " its messages get a codec.");
        }
        return definition;
    }

    // ------------------------------------------------------------------ shared helpers

    /** Writes the envelope header of this node. I/O thread, once bound. */
    void writeHeader(WireWriter out, EnvelopeKind kind) {
        out.reset();
        out.writeByte(WireFormat.MAGIC_0);
        out.writeByte(WireFormat.MAGIC_1);
        out.writeByte(WireFormat.VERSION);
        out.writeByte(kind.code());
        out.writeString(nodeName);
        out.writeLong(incarnation);
    }

    long localFingerprint(ProtocolDefinition<?, ?> definition) {
        return fingerprintsOverridden ? fingerprintOverrides.getOrDefault(definition.name(), definition.fingerprint())
                : definition.fingerprint();
    }

    String mismatch(String protocol, String caller, long callerFingerprint, long localFingerprint) {
        return "Protocol " + protocol + " differs between node " + caller + " (fingerprint "
                + Long.toHexString(callerFingerprint) + ") and node " + nodeName + " (fingerprint "
                + Long.toHexString(localFingerprint) + "); rebuild both nodes from the same protocol source.";
    }

    static String describe(Object message) {
        return abbreviate(String.valueOf(message));
    }

    static String abbreviate(String text) {
        return text == null ? "null" : text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }
}
