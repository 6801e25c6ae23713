package io.spinoff.runtime.internal.remote;

import io.spinoff.api.ActorRef;
import io.spinoff.api.Ask;
import io.spinoff.api.AskTimeoutException;
import io.spinoff.api.CodecException;
import io.spinoff.api.support.MethodDescriptor;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.ReferenceCodec;
import io.spinoff.api.support.WireReader;
import io.spinoff.api.support.WireWriter;
import io.spinoff.runtime.ActorNotFoundException;
import io.spinoff.runtime.ActorStoppedException;
import io.spinoff.runtime.Terminated;
import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.cell.ActorCell;
import io.spinoff.runtime.internal.observe.FlightEvents;
import io.spinoff.runtime.internal.watch.DeathWatcher;
import io.spinoff.runtime.remote.CurveSettings;
import io.spinoff.runtime.remote.NodeUnreachableException;
import io.spinoff.runtime.remote.ProtocolMismatchException;
import io.spinoff.runtime.remote.RemoteActorException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The remoting of one node: its ZeroMQ sockets, the I/O thread that owns them, the peers it talks
 * to, its pending remote asks and its remote death watch. Not API.
 *
 * <h2>Sockets and threads</h2>
 * One ROUTER socket, bound at the node's address, receives everything; one DEALER socket per peer,
 * connected to the peer's ROUTER, sends everything to it. So each direction of each pair of nodes
 * is one TCP connection, which keeps frames in order per pair. All sockets (and the ZAP handler of
 * CURVE) belong to the single I/O thread, because ZeroMQ sockets are not thread-safe.
 *
 * <p>Any thread sends by encoding the message itself (the generated codec runs on the caller, so
 * the I/O thread only copies bytes), then offering it to one lock-free queue ({@link #outbound}).
 * The I/O thread drains that queue in batches and packs the frames for each peer into as few
 * ZeroMQ messages as the batch size allows. Within a batch, the target of a tell or an ask (path,
 * protocol name, fingerprint) is written once, as a TARGET frame encoded once per reference and
 * protocol ({@link Route}); each message then carries only the target's index (see
 * {@link FrameKind}). A socket whose queue is full does not lose the batch: it waits, in order, and
 * is offered again on the next turns, up to the outbound queue size in frames.
 *
 * <p>Inbound envelopes are decoded on the I/O thread, frame by frame in place; each TARGET is
 * resolved once per envelope to the local actor and to the protocol definition it implements
 * ({@link ActorCell#hostedDefinition}): a frame naming a protocol its target does not implement is
 * dropped and counted (an ask gets a failure), so nothing is decoded with a protocol the target
 * did not declare. Decoded messages go straight into the target actors' mailboxes (a lock-free
 * offer), from the I/O thread.
 *
 * <h2>Waking the I/O thread</h2>
 * The I/O thread sleeps in a ZeroMQ poll that also watches a {@link Pipe}. A sender offers its frame
 * to the queue and then, only if {@link #wakeupPending} is false and it wins the CAS to true, writes
 * one byte into the pipe. After each poll the I/O thread empties the pipe, sets the flag back to
 * false, and only then drains the queue. All these operations are sequentially consistent, so for
 * a sender whose CAS fails (it read true) the total order is: its offer, its read of true, the I/O
 * thread's write of false, the I/O thread's drain; that drain sees the frame. A sender whose CAS
 * succeeds writes a byte, so the next poll returns at once. No frame is left behind and a busy
 * sender does not pay a system call per frame.
 *
 * <h2>Peers</h2>
 * A peer is created when this node first sends to it or first hears from it (at most
 * {@link #MAX_PEERS}). Its first frame is a HELLO with this node's name and incarnation; every
 * envelope carries the sender's name and incarnation, so a restarted node is seen as a new
 * incarnation at its first frame. Each peer gets a heartbeat every heartbeat interval; a peer not
 * heard from for the threshold is down: its pending asks fail at once, watchers of its actors get
 * {@link Terminated.Reason#NODE_DOWN}, and its socket is closed (it is made afresh on the next send).
 * The HELLO also lists the fingerprints of the protocols the sender knows; the receiver warns of
 * each that differs from its own, and every call is checked again by the fingerprint in its frame.
 * A peer named by host name is connected once the name is resolved on another thread, so a slow or
 * hostile name lookup never stalls the I/O thread.
 *
 * <h2>Replies</h2>
 * The future of a remote ask is completed on the I/O thread (by the reply, a failure, the timeout
 * checked every turn, or the peer going down), so callbacks attached to it without an executor run
 * there and must not block; an actor or process awaiting the future is not affected.
 *
 * <h2>Hostile input</h2>
 * Everything read from the ROUTER is untrusted. ZeroMQ refuses messages longer than the maximum
 * frame size before allocating them ({@code ZMQ_MAXMSGSIZE}). Every envelope and every frame is
 * decoded inside its own try block; whatever fails is dropped, counted in
 * {@link SystemRuntime#countDroppedFrame()} and logged, and the I/O thread carries on.
 */
public final class RemoteTransport implements ReferenceCodec {

    static final System.Logger LOG = System.getLogger("io.spinoff.runtime.remote");

    /** The most peers a node keeps at once; envelopes from further unknown senders are dropped. */
    static final int MAX_PEERS = 256;
    /** Room kept in each ZeroMQ message for the envelope header. */
    static final int ENVELOPE_ROOM = 512;
    private static final int MAX_DRAIN = 16_384;
    /**
     * A batch is closed at this size (or the frame size limit, if smaller); a single larger frame
     * travels alone. Small batches bound what an unreachable peer's socket can hold.
     */
    static final int BATCH_BYTES = 64 * 1024;
    private static final int MAX_RECEIVE = 4_096;
    private static final int INBOUND_QUEUE_MESSAGES = 128;
    private static final long POLL_MILLIS = 20;
    private static final int HANDSHAKE_MILLIS = 500;
    private static final int MAX_RESOLVING = 16;
    /** The most protocol fingerprints a HELLO announces or is read for. */
    private static final int MAX_HELLO_PROTOCOLS = 64;
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");
    private static final long MAX_ASK_TIMEOUT_MILLIS = TimeUnit.HOURS.toMillis(1);
    private static final String ZAP_ENDPOINT = "inproc://zeromq.zap.01";
    /** The most remote references kept for reuse; see {@link #internRef}. */
    static final int MAX_CACHED_REFS = 4_096;
    /** How long the I/O thread waits while a peer's socket is full, before it tries again. */
    private static final long BLOCKED_POLL_MILLIS = 1;

    private final SystemRuntime runtime;
    private final RemoteConfig config;
    /** Written by the I/O thread before {@link #bound} completes; see {@link #start}. */
    private String nodeName;
    private final CompletableFuture<Void> bound = new CompletableFuture<>();
    private final long incarnation;
    private final ProtocolRegistry protocols;
    private final ConcurrentLinkedQueue<Outbound> outbound = new ConcurrentLinkedQueue<>();
    private final ConcurrentHashMap<String, AtomicInteger> queuedPerNode = new ConcurrentHashMap<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final Pipe wakeup;
    private final AtomicLong nextCorrelation = new AtomicLong();
    /** Watching side: remote actor address to the local watchers of it. */
    private final ConcurrentHashMap<String, Set<DeathWatcher>> remoteWatchers = new ConcurrentHashMap<>();
    /** Pretended local fingerprints, by protocol name; see {@link #overrideFingerprint}. */
    private final ConcurrentHashMap<String, Long> fingerprintOverrides = new ConcurrentHashMap<>();
    /** Remote references by address, for reuse; see {@link #internRef}. */
    private final ConcurrentHashMap<String, RemoteActorRef> refs = new ConcurrentHashMap<>();
    private final DropLog drops;
    /** Rate-limits warnings of peers going down, apart from drops, so neither hides the other. */
    private final DropLog peerEvents;
    private final Thread ioThread;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private volatile boolean closing;
    /** Set by the I/O thread after its last drain of {@link #outbound}; see {@link #failLeftovers}. */
    private volatile boolean ioFinished;

    // I/O thread only.
    private ZContext context;
    private ZMQ.Socket router;
    private ZMQ.Socket zap;
    private final HashMap<String, Peer> peers = new HashMap<>();
    private final HashMap<Long, PendingAsk> pending = new HashMap<>();
    private final PriorityQueue<PendingAsk> deadlines =
            new PriorityQueue<>((a, b) -> Long.compare(a.deadlineNanos, b.deadlineNanos));
    /** Hosting side: peer node to watched path to the stub that tells the peer. */
    private final HashMap<String, HashMap<String, WatchStub>> hostedWatches = new HashMap<>();
    private long nextHeartbeatNanos;
    private int resolving;
    /** The envelope header of a BATCH from this node; made once bound. */
    private byte[] batchHeader;
    private long nextBatchId;
    /** Peers whose socket refused a batch, which waits in {@link Peer#blocked}. */
    private final List<Peer> blockedPeers = new ArrayList<>();
    /** The targets named so far in the envelope being read; see {@link FrameKind#TARGET}. */
    private final ArrayList<InboundTarget> inboundTargets = new ArrayList<>();

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
        this.wakeup = Pipe.open();
        wakeup.source().configureBlocking(false);
        this.ioThread = Thread.ofPlatform().name("spinoff-" + systemName + "-remote-io").daemon(true)
                .unstarted(() -> runIoThread(systemName));
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
        transport.ioThread.start();
        try {
            // The I/O thread sets nodeName before it completes this future, and join() makes that
            // write visible here; every later reader gets the transport through this thread.
            transport.bound.join();
        } catch (java.util.concurrent.CompletionException e) {
            transport.closePipe();
            throw e.getCause() instanceof RuntimeException runtimeException ? runtimeException : e;
        }
        return transport;
    }

    /** Makes the sockets and binds; I/O thread. Completes {@link #bound} either way. */
    private boolean bind(String systemName) {
        context = new ZContext(1);
        context.setLinger((int) config.linger().toMillis());
        try {
            router = context.createSocket(SocketType.ROUTER);
            router.setLinger(config.linger().toMillis());
            router.setMaxMsgSize(config.maxFrameSize());
            // Past this many unread messages per connection ZeroMQ stops reading that connection
            // (TCP pushes back on the sender); nothing is lost, and a flood cannot fill the heap.
            router.setRcvHWM(INBOUND_QUEUE_MESSAGES);
            CurveSettings curve = config.curve();
            if (curve != null) {
                zap = context.createSocket(SocketType.REP);
                zap.setLinger(0);
                if (!zap.bind(ZAP_ENDPOINT)) {
                    throw new IllegalStateException("Cannot start the CURVE authentication handler of " + systemName + ".");
                }
                router.setZAPDomain("spinoff");
                router.setCurveServer(true);
                router.setCurvePublicKey(ZMQ.Curve.z85Decode(curve.keys().publicKey()));
                router.setCurveSecretKey(ZMQ.Curve.z85Decode(curve.keys().secretKey()));
            }
            String endpoint = "tcp://" + config.host() + ":" + (config.port() == 0 ? "*" : String.valueOf(config.port()));
            boolean done;
            try {
                done = router.bind(endpoint);
            } catch (RuntimeException e) {
                throw BindFailure.of(systemName, config.host(), config.port(), e);
            }
            if (!done) {
                throw BindFailure.of(systemName, config.host(), config.port(), null);
            }
            String last = router.getLastEndpoint();
            nodeName = systemName + "@" + config.host() + ":" + last.substring(last.lastIndexOf(':') + 1);
            bound.complete(null);
            return true;
        } catch (RuntimeException e) {
            context.close();
            bound.completeExceptionally(e);
            return false;
        }
    }

    /** Lets the I/O thread read inbound frames; call once the system can take messages. */
    public void open() {
        opened.complete(null);
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
    public java.util.List<io.spinoff.runtime.PeerInfo> peerStates() {
        CompletableFuture<java.util.List<io.spinoff.runtime.PeerInfo>> answer = new CompletableFuture<>();
        enqueueTask(() -> {
            long now = System.nanoTime();
            java.util.List<io.spinoff.runtime.PeerInfo> states = new ArrayList<>();
            for (Peer peer : peers.values()) {
                states.add(new io.spinoff.runtime.PeerInfo(peer.node, peer.incarnation,
                        TimeUnit.NANOSECONDS.toMillis(now - peer.lastHeardNanos),
                        peer.blockedFrames + (peer.waiting == null ? 0 : peer.waiting.size())));
            }
            answer.complete(states);
        });
        return answer.completeOnTimeout(java.util.List.of(), 5, TimeUnit.SECONDS).join();
    }

    /**
     * @param node a peer's name
     * @return the incarnation of that peer this node last heard from, or 0 when it knows none
     */
    public long peerIncarnation(String node) {
        CompletableFuture<Long> answer = new CompletableFuture<>();
        enqueueTask(() -> {
            Peer peer = peers.get(node);
            answer.complete(peer == null ? 0L : peer.incarnation);
        });
        return answer.completeOnTimeout(0L, 5, TimeUnit.SECONDS).join();
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
    }

    // ------------------------------------------------------------------ references (any thread)

    /**
     * @param node a node name other than this node's
     * @param path the actor's path
     * @return a reference to the actor there
     */
    public RemoteActorRef remoteRef(String node, String path) {
        RemoteActorRef known = refs.get(node + path);
        return known != null ? known : internRef(new RemoteActorRef(this, node, path));
    }

    /**
     * Keeps references to remote actors so that a reference decoded from every message (a reply-to)
     * is the same object each time and keeps its cached {@link Route}. Bounded: past
     * {@link #MAX_CACHED_REFS} addresses (hostile traffic may name many) new ones are not kept.
     */
    private RemoteActorRef internRef(RemoteActorRef ref) {
        if (refs.size() >= MAX_CACHED_REFS) {
            return ref;
        }
        RemoteActorRef raced = refs.putIfAbsent(ref.address(), ref);
        return raced != null ? raced : ref;
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
        return internRef(new RemoteActorRef(this, parsed.node(), parsed.path()));
    }

    // ------------------------------------------------------------------ sending (any thread)

    void tell(RemoteActorRef target, Object message) {
        ProtocolDefinition<Object, Object> definition = definitionOf(target, message);
        Route route = routeFor(target, definition);
        WireWriter out = new WireWriter(128, this);
        definition.encode(message, out);
        enqueue(new Outbound(target.node(), FrameKind.TELL, route, out.toByteArray(), null, null), target, message);
    }

    /**
     * @return the route of the protocol to the actor: the one cached on the reference when it fits,
     *     else a new one (cached in its place). Any thread.
     */
    private Route routeFor(RemoteActorRef target, ProtocolDefinition<Object, Object> definition) {
        long fingerprint = localFingerprint(definition);
        Route route = target.cachedRoute();
        if (route != null && route.definition == definition && route.fingerprint == fingerprint) {
            return route;
        }
        WireWriter out = new WireWriter(64 + target.path().length() + definition.name().length(), null);
        out.writeByte(FrameKind.TARGET);
        out.writeString(target.path());
        out.writeString(definition.name());
        out.writeLong(fingerprint);
        route = new Route(target, definition, fingerprint, out.toByteArray());
        target.cacheRoute(route);
        return route;
    }

    @SuppressWarnings("unchecked")
    <R> CompletableFuture<R> ask(RemoteActorRef target, Object message, Duration timeout) {
        CompletableFuture<Object> promise = new CompletableFuture<>();
        ProtocolDefinition<Object, Object> definition;
        byte[] frame;
        long correlation = nextCorrelation.incrementAndGet();
        long timeoutMillis = timeout == null ? runtime.settings().askTimeout().toMillis() : timeout.toMillis();
        MethodDescriptor method;
        Route route;
        try {
            definition = definitionOf(target, message);
            method = definition.method(message);
            route = routeFor(target, definition);
            WireWriter out = new WireWriter(128, this);
            out.writeLong(correlation);
            out.writeVarlong(timeoutMillis);
            definition.encode(message, out);
            frame = out.toByteArray();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        PendingAsk ask = new PendingAsk(correlation, target, message, definition, method.index(), promise,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis), timeoutMillis);
        runtime.observeAsk(promise, target.address(), message);
        enqueue(new Outbound(target.node(), FrameKind.ASK, route, frame, ask, null), target, message);
        return (CompletableFuture<R>) (CompletableFuture<?>) promise;
    }

    @SuppressWarnings("unchecked")
    private ProtocolDefinition<Object, Object> definitionOf(RemoteActorRef target, Object message) {
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

    void watch(RemoteActorRef target, DeathWatcher watcher) {
        boolean[] first = new boolean[1];
        Set<DeathWatcher> watchers = remoteWatchers.computeIfAbsent(target.address(), address -> {
            first[0] = true;
            return ConcurrentHashMap.newKeySet();
        });
        watchers.add(watcher);
        if (first[0]) {
            enqueue(new Outbound(target.node(), pathFrame(FrameKind.WATCH, target.path())), target, null);
        }
    }

    void unwatch(RemoteActorRef target, DeathWatcher watcher) {
        Set<DeathWatcher> watchers = remoteWatchers.get(target.address());
        if (watchers != null && watchers.remove(watcher) && watchers.isEmpty()
                && remoteWatchers.remove(target.address(), watchers)) {
            enqueue(new Outbound(target.node(), pathFrame(FrameKind.UNWATCH, target.path())), target, null);
        }
    }

    private static byte[] pathFrame(byte kind, String path) {
        WireWriter out = new WireWriter(64, null);
        out.writeByte(kind);
        out.writeString(path);
        return out.toByteArray();
    }

    /**
     * Hands a frame to the I/O thread, or drops it (counted, logged, an ask failed) when the frame
     * is too large, the node is closing or the peer's queue is full. Any thread.
     */
    private boolean enqueue(Outbound item, Object target, Object message) {
        String refusal = null;
        boolean tooLarge = false;
        if (closing) {
            refusal = "node " + nodeName + " is closing";
        } else if (item.frame.length > config.maxFrameSize() - ENVELOPE_ROOM) {
            tooLarge = true;
            refusal = "the frame of " + item.frame.length + " bytes exceeds the maximum frame size of "
                    + config.maxFrameSize() + " bytes; send less data per message, or raise maxFrameSize on both nodes";
        } else {
            AtomicInteger queued = queuedPerNode.computeIfAbsent(item.node, node -> new AtomicInteger());
            if (queued.incrementAndGet() > config.outboundQueueSize()) {
                queued.decrementAndGet();
                refusal = "the outbound queue to " + item.node + " is full (" + config.outboundQueueSize()
                        + " frames); the peer is slow or unreachable";
            }
        }
        if (refusal != null) {
            drops.drop("Frame to " + target + (message == null ? "" : " (" + describe(message) + ")") + " dropped: " + refusal);
            if (item.ask != null) {
                String text = "Ask " + describe(message) + " to " + target + " failed: " + refusal + ".";
                item.ask.promise.completeExceptionally(tooLarge ? new IllegalArgumentException(text)
                        : new NodeUnreachableException(text));
            }
            return false;
        }
        outbound.offer(item);
        wake();
        if (ioFinished) {
            failLeftovers();
        }
        return true;
    }

    /**
     * Fails the asks of frames left in the queue once the I/O thread has finished. A sender that
     * offered after the I/O thread's last drain sees {@link #ioFinished} (both are sequentially
     * consistent: either the drain saw the frame or the sender sees the flag), so no ask is left
     * waiting for a thread that is gone. Any thread.
     */
    private void failLeftovers() {
        Outbound item;
        while ((item = outbound.poll()) != null) {
            if (item.ask != null) {
                item.ask.promise.completeExceptionally(new NodeUnreachableException("Ask " + describe(item.ask.message)
                        + " to " + item.ask.target.address() + " failed: node " + nodeName + " has closed."));
            }
        }
    }

    private void enqueueTask(Runnable task) {
        outbound.offer(new Outbound(null, (byte) 0, null, null, null, task));
        wake();
    }

    private void wake() {
        if (!wakeupPending.get() && wakeupPending.compareAndSet(false, true)) {
            try {
                wakeup.sink().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException e) {
                // The pipe is closed: the node has closed, nothing waits for this frame.
            }
        }
    }

    // ------------------------------------------------------------------ the I/O thread

    private void runIoThread(String systemName) {
        if (!bind(systemName)) {
            return;
        }
        opened.join();
        ZMQ.Poller poller = context.createPoller(3);
        poller.register(router, ZMQ.Poller.POLLIN);
        int wakeIndex = poller.register(wakeup.source(), ZMQ.Poller.POLLIN);
        int zapIndex = zap == null ? -1 : poller.register(zap, ZMQ.Poller.POLLIN);
        ByteBuffer drain = ByteBuffer.allocate(256);
        nextHeartbeatNanos = System.nanoTime();
        WireWriter header = new WireWriter(64, null);
        writeHeader(header, FrameKind.BATCH);
        batchHeader = header.toByteArray();
        boolean moreInbound = false;
        try {
            while (!closing) {
                try {
                    // Never wait while work is known (frames queued, inbound left unread); with a
                    // full socket, look again soon. Otherwise the poll returns as soon as a frame
                    // arrives or a sender writes to the wake-up pipe, so the timeout only paces
                    // heartbeats and ask deadlines. (Polling without waiting after each turn, to
                    // catch a reply sooner, was measured: on two shared cores the burnt cycles
                    // slowed the actors down more than the wake-ups it saved.)
                    long wait = !outbound.isEmpty() || moreInbound ? 0
                            : !blockedPeers.isEmpty() ? BLOCKED_POLL_MILLIS : POLL_MILLIS;
                    poller.poll(wait);
                    if (poller.pollin(wakeIndex)) {
                        while (wakeup.source().read(drain.clear()) > 0) {
                            // emptied
                        }
                    }
                    wakeupPending.set(false);
                    // ZeroMQ signals readiness by edges: a poll may miss messages that came while
                    // the thread was busy, so both sockets are read (without blocking) every turn.
                    if (zapIndex >= 0) {
                        handleZap();
                    }
                    int received = receive();
                    moreInbound = received == MAX_RECEIVE;
                    retryBlocked();
                    send(MAX_DRAIN);
                    tick();
                } catch (Throwable failure) {
                    if (failure instanceof VirtualMachineError error && !(failure instanceof StackOverflowError)) {
                        throw error;
                    }
                    LOG.log(System.Logger.Level.ERROR, "Remoting of " + nodeName + " hit a failure; it carries on", failure);
                }
            }
        } finally {
            shutDown(poller);
        }
    }

    /** Empties the outbound queue on close, fails what waits, and closes every socket. I/O thread. */
    private void shutDown(ZMQ.Poller poller) {
        try {
            retryBlocked();
            send(Integer.MAX_VALUE);
            retryBlocked();
            for (Peer peer : blockedPeers) {
                dropBlocked(peer, "node " + nodeName + " closed while its socket was full");
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "Flushing frames of " + nodeName + " on close failed", e);
        }
        NodeUnreachableException closed = new NodeUnreachableException("Node " + nodeName
                + " closed before the reply came.");
        for (PendingAsk ask : pending.values()) {
            ask.promise.completeExceptionally(closed);
        }
        pending.clear();
        for (Peer peer : peers.values()) {
            if (peer.waiting != null) {
                for (Outbound item : peer.waiting) {
                    refuse(item, "node " + nodeName + " closed");
                }
            }
        }
        failLeftovers();
        ioFinished = true;
        failLeftovers();
        for (String address : List.copyOf(remoteWatchers.keySet())) {
            notifyWatchers(address, Terminated.Reason.NODE_DOWN);
        }
        poller.close();
        // Each socket lingers at most config.linger() for frames not yet written, so close()
        // returns within that time even when a peer is unreachable.
        context.close();
        closePipe();
    }

    private void closePipe() {
        try {
            wakeup.source().close();
            wakeup.sink().close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /**
     * Stops the I/O thread after it flushed what was queued, and closes the sockets. Blocks for at
     * most the linger time plus a little. Idempotent; any thread but the I/O thread.
     */
    public void close() {
        closing = true;
        opened.complete(null);
        wake();
        if (Thread.currentThread() == ioThread) {
            return; // called back from a reply: the loop sees closing and shuts down after this turn
        }
        try {
            ioThread.join(config.linger().toMillis() + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (ioThread.isAlive()) {
            LOG.log(System.Logger.Level.WARNING, "The I/O thread of " + nodeName + " did not stop in time");
        }
    }

    /**
     * Reads what the ROUTER holds, up to {@link #MAX_RECEIVE} messages; I/O thread.
     *
     * @return how many were read ({@link #MAX_RECEIVE} means more may wait)
     */
    private int receive() {
        for (int i = 0; i < MAX_RECEIVE; i++) {
            byte[] identity = router.recv(ZMQ.DONTWAIT);
            if (identity == null) {
                return i;
            }
            byte[] data = router.hasReceiveMore() ? router.recv(0) : null;
            boolean extra = false;
            while (router.hasReceiveMore()) {
                router.recv(0);
                extra = true;
            }
            if (data == null || extra) {
                drops.drop("Dropped a message of unexpected shape from a client of " + nodeName);
                continue;
            }
            handleEnvelope(data);
        }
        return MAX_RECEIVE;
    }

    private void handleEnvelope(byte[] data) {
        Peer peer;
        WireReader in;
        byte kind;
        try {
            in = new WireReader(data, 0, data.length, this, WireWriter.DEFAULT_MAX_DEPTH);
            if (in.readByte() != FrameKind.MAGIC_0 || in.readByte() != FrameKind.MAGIC_1) {
                drops.drop("Dropped a message that is not a Spinoff envelope (" + data.length + " bytes)");
                return;
            }
            byte version = in.readByte();
            if (version != FrameKind.VERSION) {
                drops.drop("Dropped an envelope of wire version " + version + "; this node speaks version "
                        + FrameKind.VERSION);
                return;
            }
            kind = in.readByte();
            String sender = in.readString();
            long senderIncarnation = in.readLong();
            if (sender.equals(nodeName) || NodeAddress.hostPortOfNode(sender) == null || senderIncarnation == 0
                    || kind < FrameKind.HELLO || kind > FrameKind.BATCH) {
                drops.drop("Dropped an envelope with a bad header from '" + abbreviate(sender) + "'");
                return;
            }
            peer = peerFor(sender);
            if (peer == null) {
                drops.drop("Dropped an envelope from " + abbreviate(sender) + ": too many peers (" + MAX_PEERS + ")");
                return;
            }
            if (peer.incarnation != 0 && peer.incarnation != senderIncarnation) {
                nodeDown(peer, "it restarted as a new incarnation");
                peer = peerFor(sender);
            }
            if (peer.incarnation != senderIncarnation) {
                FlightEvents.nodeUp(nodeName, sender, senderIncarnation);
            }
            peer.incarnation = senderIncarnation;
            peer.lastHeardNanos = System.nanoTime();
            if (kind == FrameKind.HELLO) {
                String expected = in.readString();
                if (!expected.equals(nodeName)) {
                    peerEvents.warn("Node " + sender + " believes it talks to " + abbreviate(expected)
                            + " but reached " + nodeName + "; check the node name in its addresses.");
                }
                checkFingerprints(sender, in);
                return;
            }
        } catch (RuntimeException e) {
            drops.drop("Dropped a malformed envelope (" + data.length + " bytes): " + e.getMessage());
            return;
        }
        if (kind != FrameKind.BATCH) {
            return;
        }
        // Frames are read in place: each is a length-prefixed slice of the envelope, decoded by a
        // reader bounded to the slice, so a malformed frame cannot reach into the next one.
        int position = data.length - in.remaining();
        inboundTargets.clear();
        try {
            while (position < data.length) {
                int length;
                int start;
                try {
                    long header = readVarint(data, position);
                    length = (int) header;
                    start = (int) (header >>> 32);
                    if (length > data.length - start) {
                        throw new CodecException("a frame declares " + length + " bytes but " + (data.length - start)
                                + " remain");
                    }
                } catch (RuntimeException e) {
                    drops.drop("Dropped the rest of a malformed batch from " + peer.node + ": " + e.getMessage());
                    return;
                }
                position = start + length;
                try {
                    handleFrame(peer, new WireReader(data, start, length, this, WireWriter.DEFAULT_MAX_DEPTH));
                } catch (RuntimeException e) {
                    drops.drop("Dropped a malformed frame from " + peer.node + ": " + e.getMessage());
                }
            }
        } finally {
            inboundTargets.clear();
        }
    }

    /**
     * Reads an unsigned varint of at most 5 bytes that fits an int.
     *
     * @return the value in the low 32 bits, the position after it in the high 32 bits
     */
    private static long readVarint(byte[] data, int position) {
        int result = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            if (position >= data.length) {
                throw new CodecException("a frame length is truncated");
            }
            int b = data[position++];
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (result < 0) {
                    throw new CodecException("a frame length is negative");
                }
                return (long) position << 32 | result;
            }
        }
        throw new CodecException("a frame length is longer than 5 bytes");
    }

    private void handleFrame(Peer peer, WireReader in) {
        byte kind = in.readByte();
        switch (kind) {
            case FrameKind.TARGET -> {
                if (inboundTargets.size() >= FrameKind.MAX_TARGETS) {
                    throw new CodecException("an envelope names more than " + FrameKind.MAX_TARGETS + " targets");
                }
                inboundTargets.add(resolveTarget(peer, in));
            }
            case FrameKind.TELL -> {
                InboundTarget target = inboundTarget(in.readVarint());
                if (target.refusal != null) {
                    if (target.refusalCode == FrameKind.NOT_FOUND && target.ref != null) {
                        // No actor to decode for: the message is a dead letter, described by its protocol.
                        runtime.deadLetter(target.ref.address(), "a message of " + target.protocol + " from "
                                + peer.node, "no actor at this address");
                    } else {
                        drops.drop("Dropped a message from " + peer.node + ": " + target.refusal);
                    }
                    return;
                }
                Object message = target.definition.decode(in);
                in.expectEnd();
                target.ref.tell(message);
            }
            case FrameKind.ASK -> handleAsk(peer, in);
            case FrameKind.REPLY, FrameKind.FAILURE -> handleReply(peer, in, kind);
            case FrameKind.WATCH -> hostWatch(peer, in.readString());
            case FrameKind.UNWATCH -> hostUnwatch(peer.node, in.readString());
            case FrameKind.TERMINATED -> {
                String path = in.readString();
                byte reason = in.readByte();
                in.expectEnd();
                notifyWatchers(peer.node + path, reason == 2 ? Terminated.Reason.FAILED : Terminated.Reason.STOPPED);
            }
            default -> drops.drop("Dropped a frame of unknown kind " + kind + " from " + peer.node);
        }
    }

    private InboundTarget inboundTarget(int index) {
        if (index < 0 || index >= inboundTargets.size()) {
            throw new CodecException("a frame refers to target " + index + " but its envelope named "
                    + inboundTargets.size());
        }
        return inboundTargets.get(index);
    }

    /**
     * A target named by a TARGET frame, resolved once for the rest of its envelope: the local actor
     * and the definition its frames are decoded with, or why its frames are refused.
     */
    private record InboundTarget(String protocol, ActorRef<Object> ref, ProtocolDefinition<Object, Object> definition,
            String refusal, byte refusalCode) {
        static InboundTarget refused(String protocol, ActorRef<Object> ref, String refusal, byte code) {
            return new InboundTarget(protocol, ref, null, refusal, code);
        }
    }

    /**
     * Resolves a TARGET frame: the actor at the path, and the definition of the named protocol
     * among those the actor implements ({@link ActorCell#hostedDefinition}); a frame is never
     * decoded with a protocol its target does not implement, and no class is loaded by a name from
     * the wire, except for a {@link io.spinoff.runtime.Process}, which takes every protocol (see
     * {@link ActorCell#acceptsAnyProtocol()}): for it the registry finds the protocol by name,
     * accepting only {@code @ActorProtocol} interfaces with generated code. I/O thread.
     *
     * @return the target; a refused one when its frames must be dropped (or its asks answered
     *     with a failure)
     */
    @SuppressWarnings("unchecked")
    private InboundTarget resolveTarget(Peer peer, WireReader in) {
        String path;
        String protocol;
        long fingerprint;
        try {
            path = in.readString();
            protocol = in.readString();
            fingerprint = in.readLong();
            in.expectEnd();
        } catch (RuntimeException e) {
            // Keeps the indexes of later targets in place; the frames of this one are refused.
            return InboundTarget.refused("?", null, "its target frame is malformed: " + e.getMessage(),
                    FrameKind.UNDECODABLE);
        }
        if (!NodeAddress.validPath(path)) {
            return InboundTarget.refused(abbreviate(protocol), null, "the target path '" + abbreviate(path)
                    + "' is not under /user", FrameKind.NOT_FOUND);
        }
        ActorRef<Object> ref = runtime.resolveLocal(path);
        ActorCell cell = ActorCell.cellOf(ref);
        if (cell == null) {
            return InboundTarget.refused(abbreviate(protocol), ref,
                    "no actor lives at this address; check the path, or spawn the actor first.", FrameKind.NOT_FOUND);
        }
        ProtocolDefinition<Object, Object> definition = (ProtocolDefinition<Object, Object>) cell.hostedDefinition(protocol);
        if (definition == null && cell.acceptsAnyProtocol()) {
            definition = (ProtocolDefinition<Object, Object>) protocols.forName(protocol);
        }
        if (definition == null) {
            return InboundTarget.refused(abbreviate(protocol), ref, "actor " + ref.address() + " does not implement"
                    + " protocol " + abbreviate(protocol) + "; look it up with a protocol it implements.",
                    FrameKind.NOT_IMPLEMENTED);
        }
        long local = localFingerprint(definition);
        if (local != fingerprint) {
            FlightEvents.handshakeFailed(nodeName, peer.node,
                    FlightEvents.HandshakeFailure.FINGERPRINT_MISMATCH, definition.name());
            return InboundTarget.refused(protocol, ref, mismatch(definition.name(), peer.node, fingerprint, local),
                    FrameKind.PROTOCOL_MISMATCH);
        }
        protocols.register(definition);
        return new InboundTarget(protocol, ref, definition, null, (byte) 0);
    }

    private String mismatch(String protocol, String caller, long callerFingerprint, long localFingerprint) {
        return "Protocol " + protocol + " differs between node " + caller + " (fingerprint "
                + Long.toHexString(callerFingerprint) + ") and node " + nodeName + " (fingerprint "
                + Long.toHexString(localFingerprint) + "); rebuild both nodes from the same protocol source.";
    }

    private void handleAsk(Peer peer, WireReader in) {
        InboundTarget target = inboundTarget(in.readVarint());
        long correlation = in.readLong();
        long timeoutMillis = Math.max(1, Math.min(in.readVarlong(), MAX_ASK_TIMEOUT_MILLIS));
        String caller = peer.node;
        if (target.refusal != null) {
            if (target.refusalCode == FrameKind.NOT_FOUND && target.ref != null) {
                runtime.deadLetter(target.ref.address(), "an ask of " + target.protocol + " from " + caller,
                        "no actor at this address");
            } else {
                drops.drop("Refused an ask from " + caller + ": " + target.refusal);
            }
            sendFailure(caller, correlation, target.refusalCode, target.refusal);
            return;
        }
        ProtocolDefinition<Object, Object> definition = target.definition;
        Object message;
        try {
            message = definition.decode(in);
            in.expectEnd();
        } catch (CodecException e) {
            drops.drop("Dropped an undecodable ask from " + caller + ": " + e.getMessage());
            sendFailure(caller, correlation, FrameKind.UNDECODABLE, "Node " + nodeName + " could not decode the ask: "
                    + e.getMessage());
            return;
        }
        if (!(message instanceof Ask<?> ask)) {
            drops.drop("Refused an ask from " + caller + ": " + describe(message) + " is a tell");
            sendFailure(caller, correlation, FrameKind.UNDECODABLE, "Node " + nodeName + " refused the ask: "
                    + describe(message) + " is the message of a tell, which has no reply; send it as a tell.");
            return;
        }
        int methodIndex = definition.method(message).index();
        target.ref.ask(ask, Duration.ofMillis(timeoutMillis)).whenComplete((value, failure) -> {
            if (failure == null) {
                byte[] reply;
                try {
                    WireWriter out = new WireWriter(64, this);
                    out.writeByte(FrameKind.REPLY);
                    out.writeLong(correlation);
                    definition.encodeReply(methodIndex, value, out);
                    reply = out.toByteArray();
                } catch (RuntimeException e) {
                    sendFailure(caller, correlation, FrameKind.FAILED_IN_ACTOR, "The reply of " + describe(message) + " on node "
                            + nodeName + " could not be encoded: " + e.getMessage());
                    return;
                }
                if (reply.length > config.maxFrameSize() - ENVELOPE_ROOM) {
                    sendFailure(caller, correlation, FrameKind.FAILED_IN_ACTOR, "The reply of " + describe(message) + " on node "
                            + nodeName + " takes " + reply.length + " bytes, more than the maximum frame size of "
                            + config.maxFrameSize() + " bytes; reply with less data, or raise maxFrameSize on both nodes.");
                    return;
                }
                enqueue(new Outbound(caller, reply), caller, null);
            } else {
                Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                byte code = cause instanceof ActorNotFoundException ? FrameKind.NOT_FOUND
                        : cause instanceof ActorStoppedException ? FrameKind.STOPPED
                        : cause instanceof AskTimeoutException ? FrameKind.TIMED_OUT
                        : FrameKind.FAILED_IN_ACTOR;
                sendFailure(caller, correlation, code, String.valueOf(cause.getMessage()));
            }
        });
    }

    private void sendFailure(String node, long correlation, byte code, String text) {
        WireWriter out = new WireWriter(64, null);
        out.writeByte(FrameKind.FAILURE);
        out.writeLong(correlation);
        out.writeByte(code);
        out.writeString(text.length() > 4_000 ? text.substring(0, 4_000) : text);
        enqueue(new Outbound(node, out.toByteArray()), node, null);
    }

    private void handleReply(Peer peer, WireReader in, byte kind) {
        long correlation = in.readLong();
        PendingAsk ask = pending.get(correlation);
        if (ask == null || !ask.target.node().equals(peer.node)) {
            drops.drop("Dropped a reply from " + peer.node + " to no pending ask (it timed out, or was never sent)");
            return;
        }
        pending.remove(correlation);
        if (kind == FrameKind.REPLY) {
            Object value;
            try {
                value = ask.definition.decodeReply(ask.methodIndex, in);
                in.expectEnd();
            } catch (RuntimeException e) {
                ask.promise.completeExceptionally(new RemoteActorException("The reply to " + describe(ask.message) + " from "
                        + ask.target.address() + " could not be decoded: " + e.getMessage()));
                throw e;
            }
            ask.promise.complete(value);
            return;
        }
        byte code;
        String text;
        try {
            code = in.readByte();
            text = in.readString();
            in.expectEnd();
        } catch (RuntimeException e) {
            ask.promise.completeExceptionally(new RemoteActorException("The failure of " + describe(ask.message)
                    + " reported by " + ask.target.address() + " could not be decoded: " + e.getMessage()));
            throw e;
        }
        String prefix = "Ask " + describe(ask.message) + " to " + ask.target.address() + " failed: ";
        ask.promise.completeExceptionally(switch (code) {
            case FrameKind.NOT_FOUND -> new ActorNotFoundException(prefix + text);
            case FrameKind.STOPPED -> new ActorStoppedException(prefix + text);
            case FrameKind.TIMED_OUT -> new AskTimeoutException(prefix + text);
            case FrameKind.PROTOCOL_MISMATCH -> new ProtocolMismatchException(prefix + text);
            default -> new RemoteActorException(prefix + text);
        });
    }

    private void hostWatch(Peer peer, String path) {
        if (!NodeAddress.validPath(path)) {
            throw new CodecException("watched path '" + abbreviate(path) + "' is not under /user");
        }
        HashMap<String, WatchStub> byPath = hostedWatches.computeIfAbsent(peer.node, node -> new HashMap<>());
        WatchStub existing = byPath.get(path);
        if (existing != null && !existing.fired) {
            return;
        }
        ActorCell cell = ActorCell.cellOf(runtime.resolveLocal(path));
        WatchStub stub = new WatchStub(peer.node, path, cell);
        if (cell == null) {
            // No actor there: it counts as stopped at once, and nothing is kept for the watch.
            byPath.remove(path);
            stub.deathNotice(null, null);
        } else {
            byPath.put(path, stub);
            cell.addWatcher(stub);
        }
    }

    private void hostUnwatch(String node, String path) {
        HashMap<String, WatchStub> byPath = hostedWatches.get(node);
        WatchStub stub = byPath == null ? null : byPath.remove(path);
        if (stub != null && stub.cell != null) {
            stub.cell.removeWatcher(stub);
        }
    }

    /** Tells every local watcher of a remote actor that it is gone. Any thread. */
    private void notifyWatchers(String address, Terminated.Reason reason) {
        Set<DeathWatcher> watchers = remoteWatchers.remove(address);
        if (watchers == null) {
            return;
        }
        NodeAddress.Address parsed = NodeAddress.parse(address);
        RemoteActorRef ref = new RemoteActorRef(this, parsed.node(), parsed.path());
        Terminated notice = new Terminated(ref, reason, null);
        for (DeathWatcher watcher : watchers) {
            try {
                watcher.deathNotice(ref, notice);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "A watcher of " + address + " failed on its notice", e);
            }
        }
    }

    /**
     * Drains the outbound queue into per-peer batches and sends them. I/O thread.
     *
     * @return how many items were taken from the queue
     */
    private int send(int max) {
        List<Peer> touched = new ArrayList<>();
        Outbound item;
        int n = 0;
        while (n < max && (item = outbound.poll()) != null) {
            n++;
            if (item.task != null) {
                item.task.run();
                continue;
            }
            AtomicInteger queued = queuedPerNode.get(item.node);
            if (queued != null) {
                queued.decrementAndGet();
            }
            route(item, touched);
        }
        flushAll(touched);
        return n;
    }

    private void flushAll(List<Peer> touched) {
        for (Peer peer : touched) {
            if (peer.batchFrames > 0) {
                flush(peer);
            }
        }
    }

    /** Adds a frame to its peer's batch (flushing a full batch), or drops it. I/O thread. */
    private void route(Outbound item, List<Peer> touched) {
        Peer peer = peerFor(item.node);
        if (peer != null && peer.waiting != null) {
            if (peer.waiting.size() < config.outboundQueueSize()) {
                peer.waiting.add(item);
            } else {
                refuse(item, "the queue to " + item.node + " is full while its host name is being resolved");
            }
            return;
        }
        if (peer == null || peer.dealer == null) {
            refuse(item, peer == null ? "too many peers (" + MAX_PEERS + ")" : peer.problem);
            return;
        }
        if (item.ask != null) {
            if (item.ask.promise.isDone()) {
                return;
            }
            pending.put(item.ask.correlation, item.ask);
            deadlines.add(item.ask);
        }
        Route route = item.route;
        int batchLimit = Math.min(BATCH_BYTES, config.maxFrameSize() - ENVELOPE_ROOM);
        int needed = item.frame.length + 16 + (route == null ? 0 : route.targetFrame.length + 8);
        if (peer.batchFrames > 0 && (peer.batch.size() + needed > batchLimit
                || route != null && route.batch != peer.batchId && peer.batchTargets >= FrameKind.MAX_TARGETS)) {
            flush(peer);
        }
        if (peer.batchFrames == 0) {
            peer.batch.reset();
            peer.batch.write(batchHeader);
            peer.batchId = ++nextBatchId;
            peer.batchTargets = 0;
            touched.add(peer);
        }
        if (route == null) {
            peer.batch.writeVarint(item.frame.length);
            peer.batch.write(item.frame);
        } else {
            if (route.batch != peer.batchId) {
                // First message to this target in this batch: name it; later ones use its index.
                peer.batch.writeVarint(route.targetFrame.length);
                peer.batch.write(route.targetFrame);
                route.batch = peer.batchId;
                route.index = peer.batchTargets++;
            }
            peer.batch.writeVarint(1 + FrameBuffer.varintSize(route.index) + item.frame.length);
            peer.batch.writeByte(item.kind);
            peer.batch.writeVarint(route.index);
            peer.batch.write(item.frame);
        }
        peer.batchFrames++;
    }

    private void refuse(Outbound item, String why) {
        drops.drop("Frame to " + item.node + " dropped: " + why);
        if (item.ask != null) {
            item.ask.promise.completeExceptionally(new NodeUnreachableException("Ask " + describe(item.ask.message)
                    + " to " + item.ask.target.address() + " failed: " + why));
        }
    }

    private void writeHeader(WireWriter out, byte kind) {
        out.reset();
        out.writeByte(FrameKind.MAGIC_0);
        out.writeByte(FrameKind.MAGIC_1);
        out.writeByte(FrameKind.VERSION);
        out.writeByte(kind);
        out.writeString(nodeName);
        out.writeLong(incarnation);
    }

    /**
     * Hands the peer's batch to its socket. When the socket's queue is full (the peer reads slower
     * than this node writes) the batch waits in {@link Peer#blocked}, in order, and later batches
     * queue behind it, up to the outbound queue size in frames; only past that are frames dropped
     * (counted). I/O thread.
     */
    private void flush(Peer peer) {
        int frames = peer.batchFrames;
        peer.batchFrames = 0;
        peer.batchTargets = 0;
        if (peer.dealer == null) {
            drops.drop(frames, "Dropped " + frames + " frames to " + peer.node + ": it has no connection");
        } else if (peer.blocked.isEmpty() && peer.dealer.send(peer.batch.array(), 0, peer.batch.size(), ZMQ.DONTWAIT)) {
            peer.batch.reset();
            return;
        } else if (peer.blockedFrames + frames > config.outboundQueueSize()) {
            drops.drop(frames, "Dropped " + frames + " frames to " + peer.node + ": its socket queue is full"
                    + " (the peer is slow or unreachable)");
        } else {
            if (peer.blocked.isEmpty()) {
                blockedPeers.add(peer);
            }
            peer.blocked.add(new BlockedBatch(java.util.Arrays.copyOf(peer.batch.array(), peer.batch.size()), frames));
            peer.blockedFrames += frames;
        }
        peer.batch.reset();
    }

    /** Offers the batches that wait for full sockets again, oldest first. I/O thread. */
    private void retryBlocked() {
        for (Iterator<Peer> it = blockedPeers.iterator(); it.hasNext(); ) {
            Peer peer = it.next();
            BlockedBatch batch;
            while ((batch = peer.blocked.peek()) != null && peer.dealer != null
                    && peer.dealer.send(batch.bytes, 0, batch.bytes.length, ZMQ.DONTWAIT)) {
                peer.blocked.poll();
                peer.blockedFrames -= batch.frames;
            }
            if (peer.blocked.isEmpty() || peer.dealer == null) {
                dropBlocked(peer, "it has no connection");
                it.remove();
            }
        }
    }

    /** Drops (counted) what waits for the peer's full socket. I/O thread. */
    private void dropBlocked(Peer peer, String why) {
        if (peer.blockedFrames > 0) {
            drops.drop(peer.blockedFrames, "Dropped " + peer.blockedFrames + " frames to " + peer.node + ": " + why);
        }
        peer.blocked.clear();
        peer.blockedFrames = 0;
    }

    /** Heartbeats, the failure detector and ask timeouts. I/O thread. */
    private void tick() {
        long now = System.nanoTime();
        if (now - nextHeartbeatNanos >= 0) {
            nextHeartbeatNanos = now + config.heartbeatInterval().toNanos();
            WireWriter beat = new WireWriter(64, null);
            writeHeader(beat, FrameKind.HEARTBEAT);
            for (Peer peer : peers.values()) {
                if (peer.dealer != null) {
                    peer.dealer.send(beat.buffer(), 0, beat.size(), ZMQ.DONTWAIT);
                }
            }
        }
        long threshold = config.downAfter().toNanos();
        List<Peer> down = null;
        for (Peer peer : peers.values()) {
            if (now - peer.lastHeardNanos > threshold) {
                (down == null ? down = new ArrayList<>() : down).add(peer);
            }
        }
        if (down != null) {
            for (Peer peer : down) {
                nodeDown(peer, "nothing was heard from it for " + config.downAfter().toMillis() + " ms");
            }
        }
        PendingAsk ask;
        while ((ask = deadlines.peek()) != null && ask.deadlineNanos - now <= 0) {
            deadlines.poll();
            if (pending.remove(ask.correlation) != null) {
                FlightEvents.askTimedOut(ask.target.address(), ask.message, ask.timeoutMillis);
                ask.promise.completeExceptionally(new AskTimeoutException("Ask " + describe(ask.message) + " to "
                        + ask.target.address() + " got no reply within " + ask.timeoutMillis + " ms"));
            }
        }
        if (deadlines.size() > 4 * pending.size() + 1024) {
            deadlines.removeIf(a -> !pending.containsKey(a.correlation));
        }
    }

    /** Declares a peer down: fails its asks, tells its watchers, forgets it. I/O thread. */
    private void nodeDown(Peer peer, String why) {
        FlightEvents.nodeDown(nodeName, peer.node, peer.incarnation, why);
        peerEvents.warn("Node " + peer.node + " is down: " + why);
        peers.remove(peer.node);
        if (peer.waiting != null) {
            for (Outbound item : peer.waiting) {
                refuse(item, "node " + peer.node + " is down");
            }
            // The lookup still runs; resolved() sees the peer is gone and counts it finished.
            peer.waiting = new ArrayList<>();
        }
        dropBlocked(peer, "node " + peer.node + " is down");
        blockedPeers.remove(peer);
        if (peer.dealer != null) {
            peer.dealer.setLinger(0);
            peer.dealer.close();
        }
        NodeUnreachableException failure = new NodeUnreachableException("Node " + peer.node + " is down: " + why
                + "; the reply will not come.");
        for (Iterator<PendingAsk> it = pending.values().iterator(); it.hasNext(); ) {
            PendingAsk ask = it.next();
            if (ask.target.node().equals(peer.node)) {
                it.remove();
                ask.promise.completeExceptionally(failure);
            }
        }
        String prefix = peer.node + "/";
        for (String address : List.copyOf(remoteWatchers.keySet())) {
            if (address.startsWith(prefix)) {
                notifyWatchers(address, Terminated.Reason.NODE_DOWN);
            }
        }
        HashMap<String, WatchStub> hosted = hostedWatches.remove(peer.node);
        if (hosted != null) {
            for (WatchStub stub : hosted.values()) {
                if (stub.cell != null) {
                    stub.cell.removeWatcher(stub);
                }
            }
        }
    }

    /** @return the peer of that name, made (and greeted) if new; null past {@link #MAX_PEERS}. I/O thread. */
    private Peer peerFor(String node) {
        Peer peer = peers.get(node);
        if (peer != null) {
            return peer;
        }
        NodeAddress.HostPort hostPort = NodeAddress.hostPortOfNode(node);
        if (hostPort == null || peers.size() >= MAX_PEERS) {
            return null;
        }
        peer = new Peer(node);
        peers.put(node, peer);
        CurveSettings curve = config.curve();
        String serverKey = curve == null ? null : curve.peerServerKeys().get(hostPort.toString());
        if (curve != null && serverKey == null) {
            peer.problem = "this node uses CURVE but has no server key for " + hostPort
                    + "; add it with CurveSettings.allowPeer(\"" + hostPort + "\", key)";
            return peer;
        }
        if (IPV4.matcher(hostPort.host()).matches()) {
            connect(peer, hostPort.toString(), serverKey);
        } else if (resolving >= MAX_RESOLVING) {
            peer.problem = "more than " + MAX_RESOLVING + " host names are being resolved at once";
        } else {
            // A name lookup may take seconds: it runs on its own thread, and the peer's frames wait
            // until the I/O thread connects to the address found (or drops them).
            resolving++;
            peer.waiting = new ArrayList<>();
            Peer resolvingPeer = peer;
            String key = serverKey;
            Thread.ofVirtual().name("spinoff-resolve-" + hostPort.host()).start(() -> {
                String endpoint;
                String problem = null;
                try {
                    InetAddress address = InetAddress.getByName(hostPort.host());
                    endpoint = (address instanceof Inet6Address ? "[" + address.getHostAddress() + "]"
                            : address.getHostAddress()) + ":" + hostPort.port();
                } catch (IOException | RuntimeException e) {
                    endpoint = null;
                    problem = "its host " + hostPort.host() + " cannot be resolved (" + e.getMessage() + ")";
                }
                String found = endpoint;
                String failure = problem;
                enqueueTask(() -> resolved(resolvingPeer, found, failure, key));
            });
        }
        return peer;
    }

    /** Finishes a name lookup: connects and sends what waited, or drops it. I/O thread. */
    private void resolved(Peer peer, String endpoint, String problem, String serverKey) {
        resolving--;
        List<Outbound> waiting = peer.waiting;
        peer.waiting = null;
        if (peers.get(peer.node) != peer) {
            for (Outbound item : waiting) {
                refuse(item, "node " + peer.node + " went down before its host name was resolved");
            }
            return;
        }
        if (endpoint != null) {
            connect(peer, endpoint, serverKey);
        } else {
            peer.problem = problem;
        }
        List<Peer> touched = new ArrayList<>();
        for (Outbound item : waiting) {
            route(item, touched);
        }
        flushAll(touched);
    }

    /** Makes the peer's socket, connects it and greets the peer. I/O thread. */
    private void connect(Peer peer, String endpoint, String serverKey) {
        CurveSettings curve = config.curve();
        ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
        dealer.setLinger(config.linger().toMillis());
        dealer.setSndHWM(socketQueueBatches(config));
        dealer.setMaxMsgSize(config.maxFrameSize());
        dealer.setReconnectIVL(100);
        dealer.setReconnectIVLMax(1_000);
        // A fresh outbound connection of JeroMQ 0.6.0 now and then completes its TCP connect but
        // never its ZeroMQ handshake (a registration race in its I/O thread's selector), and sits
        // idle until the handshake interval tears it down (30 s by default). A short interval turns
        // that stall into a quick reconnect; frames wait in the socket's queue meanwhile.
        dealer.setHandshakeIvl(HANDSHAKE_MILLIS);
        if (curve != null) {
            dealer.setCurvePublicKey(ZMQ.Curve.z85Decode(curve.keys().publicKey()));
            dealer.setCurveSecretKey(ZMQ.Curve.z85Decode(curve.keys().secretKey()));
            dealer.setCurveServerKey(ZMQ.Curve.z85Decode(serverKey));
        }
        try {
            dealer.connect("tcp://" + endpoint);
        } catch (RuntimeException e) {
            dealer.setLinger(0);
            dealer.close();
            peer.problem = "cannot connect to tcp://" + endpoint + " (" + e.getMessage() + ")";
            return;
        }
        peer.dealer = dealer;
        WireWriter hello = new WireWriter(128, null);
        writeHeader(hello, FrameKind.HELLO);
        hello.writeString(peer.node);
        List<ProtocolDefinition<?, ?>> known = protocols.registered(MAX_HELLO_PROTOCOLS);
        hello.writeSize(known.size());
        for (ProtocolDefinition<?, ?> definition : known) {
            hello.writeString(definition.name());
            hello.writeLong(localFingerprint(definition));
        }
        dealer.send(hello.buffer(), 0, hello.size(), ZMQ.DONTWAIT);
    }

    /**
     * Compares the fingerprints a peer announced in its HELLO with this node's, and warns of every
     * protocol that differs (calls on it will fail with {@link ProtocolMismatchException}).
     */
    private void checkFingerprints(String sender, WireReader in) {
        int count = in.readSize(9);
        for (int i = 0; i < Math.min(count, MAX_HELLO_PROTOCOLS); i++) {
            String name = in.readString();
            long theirs = in.readLong();
            // Only protocols this node already uses are compared: no class is loaded by a name from the wire.
            ProtocolDefinition<?, ?> definition = protocols.known(name);
            if (definition != null && localFingerprint(definition) != theirs) {
                peerEvents.warn(mismatch(definition.name(), sender, theirs, localFingerprint(definition)));
                FlightEvents.handshakeFailed(nodeName, sender, FlightEvents.HandshakeFailure.FINGERPRINT_MISMATCH, definition.name());
            }
        }
    }

    private long localFingerprint(ProtocolDefinition<?, ?> definition) {
        return fingerprintOverrides.getOrDefault(definition.name(), definition.fingerprint());
    }

    /**
     * The high-water mark of a peer's socket, in batches: about the outbound queue size in frames
     * of 64 bytes, between 16 and 1024 batches, so an unreachable peer holds at most 64 MiB here
     * (more than that is dropped and counted) until the failure detector closes its socket.
     */
    static int socketQueueBatches(RemoteConfig config) {
        return Math.max(16, Math.min(1024, config.outboundQueueSize() / 64));
    }

    /** Answers ZeroMQ's authentication requests: only allowed CURVE client keys pass. I/O thread. */
    private void handleZap() {
        while (true) {
            byte[] first = zap.recv(ZMQ.DONTWAIT);
            if (first == null) {
                return;
            }
            List<byte[]> parts = new ArrayList<>();
            parts.add(first);
            while (zap.hasReceiveMore()) {
                parts.add(zap.recv(0));
            }
            boolean allowed = parts.size() >= 7
                    && "CURVE".equals(new String(parts.get(5), StandardCharsets.US_ASCII))
                    && parts.get(6).length == ZMQ.Curve.KEY_SIZE
                    && config.curve().allowedClients().contains(ZMQ.Curve.z85Encode(parts.get(6)));
            if (!allowed) {
                FlightEvents.handshakeFailed(nodeName, "", FlightEvents.HandshakeFailure.CURVE_REFUSED, "client key not allowed");
                drops.drop("Refused a connection to " + nodeName + ": its CURVE client key is not allowed;"
                        + " allow it with CurveSettings.allowClient or allowPeer");
            }
            zap.sendMore("1.0");
            zap.sendMore(parts.size() > 1 ? parts.get(1) : new byte[0]);
            zap.sendMore(allowed ? "200" : "400");
            zap.sendMore(allowed ? "OK" : "client key not allowed");
            zap.sendMore("");
            zap.send("");
        }
    }

    private static String describe(Object message) {
        return abbreviate(String.valueOf(message));
    }

    private static String abbreviate(String text) {
        return text == null ? "null" : text.length() <= 120 ? text : text.substring(0, 120) + "...";
    }

    // ------------------------------------------------------------------ state records

    /**
     * A frame for a peer, or a task for the I/O thread. A TELL or ASK has a route, and its frame
     * holds what follows the target index (the I/O thread writes kind and index); any other frame
     * is complete, kind byte first.
     */
    private record Outbound(String node, byte kind, Route route, byte[] frame, PendingAsk ask, Runnable task) {
        Outbound(String node, byte[] frame) {
            this(node, (byte) 0, null, frame, null, null);
        }
    }

    /** An ask sent to a peer; the promise is completed at most once, whoever comes first. */
    private record PendingAsk(long correlation, RemoteActorRef target, Object message,
            ProtocolDefinition<Object, Object> definition, int methodIndex, CompletableFuture<Object> promise,
            long deadlineNanos, long timeoutMillis) {}

    /** A batch its peer's socket refused for now. */
    private record BlockedBatch(byte[] bytes, int frames) {}

    /** What this node knows of another. I/O thread only. */
    private static final class Peer {
        final String node;
        final FrameBuffer batch = new FrameBuffer(4096);
        /** Batches the socket refused (its queue was full), oldest first; see {@link #flush}. */
        final java.util.ArrayDeque<BlockedBatch> blocked = new java.util.ArrayDeque<>();
        int blockedFrames;
        long batchId;
        int batchTargets;
        ZMQ.Socket dealer;
        /** Frames that wait while the peer's host name is resolved; null otherwise. */
        List<Outbound> waiting;
        String problem;
        long incarnation;
        long lastHeardNanos = System.nanoTime();
        int batchFrames;

        Peer(String node) {
            this.node = node;
        }
    }

    /** Tells a remote watcher that a local actor terminated. Called by the actor's cell, any thread. */
    private final class WatchStub implements DeathWatcher {
        final String node;
        final String path;
        final ActorCell cell;
        /** Written once by the notifying thread, read by the I/O thread on a later WATCH. */
        volatile boolean fired;

        WatchStub(String node, String path, ActorCell cell) {
            this.node = node;
            this.path = path;
            this.cell = cell;
        }

        @Override
        public void deathNotice(Object watched, Terminated terminated) {
            fired = true;
            WireWriter out = new WireWriter(64, null);
            out.writeByte(FrameKind.TERMINATED);
            out.writeString(path);
            out.writeByte((byte) (terminated != null && terminated.reason() == Terminated.Reason.FAILED ? 2 : 1));
            enqueue(new Outbound(node, out.toByteArray()), node + path, null);
        }
    }

    /**
     * Counts every dropped frame and logs it: at debug each, at warning at most once a second (with
     * the number of drops in between), so that hostile traffic cannot flood the log.
     */
    private static final class DropLog {
        private final SystemRuntime runtime;
        private final AtomicLong lastWarningNanos = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(2));
        private final AtomicLong sinceWarning = new AtomicLong();

        DropLog(SystemRuntime runtime) {
            this.runtime = runtime;
        }

        void drop(String what) {
            drop(1, what);
        }

        void drop(int frames, String what) {
            for (int i = 0; i < frames; i++) {
                runtime.countDroppedFrame();
            }
            FlightEvents.frameDropped(runtime.addressPrefix(), frames, what);
            log(frames, what);
        }

        /** Logs an event that drops no frame (a peer going down), with the same rate limit. */
        void warn(String what) {
            log(0, what);
        }

        private void log(int frames, String what) {
            long suppressed = sinceWarning.addAndGet(frames);
            long now = System.nanoTime();
            long last = lastWarningNanos.get();
            if (now - last >= TimeUnit.SECONDS.toNanos(1) && lastWarningNanos.compareAndSet(last, now)) {
                sinceWarning.addAndGet(-suppressed);
                LOG.log(System.Logger.Level.WARNING, what + (suppressed > frames
                        ? " (" + (suppressed - frames) + " more dropped frames in the last second; debug logging shows each)" : ""));
            } else if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
                LOG.log(System.Logger.Level.DEBUG, what);
            }
        }
    }
}
