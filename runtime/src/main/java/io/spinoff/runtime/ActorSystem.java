package io.spinoff.runtime;

import io.spinoff.api.ActorRef;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.ProtocolProxy;
import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.cell.ActorCell;
import io.spinoff.runtime.internal.remote.NodeAddress;
import io.spinoff.runtime.internal.remote.RemoteActorRef;
import io.spinoff.runtime.internal.remote.RemoteConfig;
import io.spinoff.runtime.internal.remote.RemoteTransport;
import io.spinoff.runtime.internal.watch.RemoteWatchable;
import io.spinoff.runtime.remote.CurveSettings;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A home for actors: their shared threads, timers, supervision tree and counters.
 *
 * <pre>{@code
 * try (ActorSystem system = ActorSystem.create("demo")) {
 *     Counter counter = system.spawn(Counter.class, CounterActor::new, "counter");
 *     counter.increment(5);
 *     int n = counter.get().toCompletableFuture().get(1, TimeUnit.SECONDS);
 * }
 * }</pre>
 *
 * <p><b>Threading:</b> every method is thread-safe. Top-level actors are children of the system's
 * user guardian, whose strategy is {@link Builder#guardianStrategy(SupervisorStrategy)}.
 *
 * <p><b>Failure:</b> {@link #spawn} fails at once (with {@link IllegalArgumentException}) for an
 * invalid or taken name, a class that is not an {@code @ActorProtocol} or whose generated code is
 * missing, or a factory that throws or makes an instance not implementing the protocol; and with
 * {@link IllegalStateException} once the system is closing.
 *
 * <p><b>Resources:</b> {@link #close()} stops every actor, children before parents and younger
 * siblings before older, runs every {@code postStop}, and then releases every thread the system
 * started. It blocks until then (at most about twice the stop timeout) and is idempotent.
 */
public final class ActorSystem implements AutoCloseable {

    private final SystemRuntime runtime;

    private ActorSystem(Builder builder) {
        RemoteConfig remote = builder.remoteConfig();
        ManualTime time = builder.manualTime;
        if (builder.simulation != null) {
            if (remote != null) {
                throw new IllegalStateException("A simulated system cannot be a node (bind or client): remoting runs on"
                        + " threads of its own; test nodes with manualTime(...) or the test kit's nodes(n).");
            }
            if (time != null && time != builder.simulation.time()) {
                throw new IllegalStateException("A simulated system runs on its simulation's clock; drop manualTime(...)"
                        + " or pass simulation.time() to it.");
            }
            time = builder.simulation.time();
        }
        this.runtime = new SystemRuntime(new SystemRuntime.Settings(builder.name, builder.parallelism,
                builder.simulation != null ? 1 : builder.throughput, builder.askTimeout, builder.stopTimeout,
                builder.guardianStrategy, remote, builder.sameCarrierHandOff, time == null ? null : time.clock(),
                builder.simulation == null ? null : builder.simulation.claim(builder.name)), this);
        if (builder.jmx) {
            runtime.observation().registerMBean();
        }
    }

    /**
     * @param name the system's name: letters, digits, '-' and '_'
     * @return a system with the default settings
     */
    public static ActorSystem create(String name) {
        return builder(name).build();
    }

    /**
     * @param name the system's name: letters, digits, '-' and '_'
     * @return a builder for a system with custom settings
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the system's name */
    public String name() {
        return runtime.settings().name();
    }

    /**
     * Takes this node off the network while its actors go on, as Erlang's
     * {@code net_kernel:stop()} does: the node's remoting stops (what it had queued for peers is
     * flushed within the linger time, then its sockets close), it sends and answers nothing more,
     * heartbeats included, so its peers declare it down after their {@code downAfter} and their
     * watchers of its actors get {@link Terminated.Reason#NODE_DOWN}. Messages its actors send to
     * other nodes afterwards go to dead letters. For tests of partitions and failure detection,
     * and to drain a node before it closes. Irreversible; does nothing on a node whose remoting has
     * stopped already. Blocks for at most the linger time and a little more. Any thread but the
     * system's own.
     *
     * @throws IllegalStateException when the system is not a node
     */
    public void stopRemoting() {
        RemoteTransport transport = runtime.transport();
        if (transport == null) {
            throw new IllegalStateException("System " + name() + " is not a node: it has no remoting to stop.");
        }
        transport.close();
    }

    /**
     * The address that prefixes the addresses of this system's actors: for a node, its name
     * {@code name@host:port} with the port actually bound (a node bound to port 0 shows the port
     * the system picked); for a {@linkplain Builder#client() client node}
     * {@code name@client-HEX:0}; for a system that is not a node, its {@link #name()} alone. Any
     * thread.
     *
     * @return {@code name@host:port} for a node, else the system's name
     */
    public String address() {
        String prefix = runtime.addressPrefix();
        return prefix.isEmpty() ? name() : prefix;
    }

    /**
     * Starts a top-level actor under {@code /user/NAME}.
     *
     * @param protocol the protocol of the returned proxy
     * @param factory makes the actor's instance (at the start and at each restart)
     * @param name the actor's name, unique among top-level actors
     * @param <P> the protocol type
     * @return a typed proxy of the actor
     */
    public <P> P spawn(Class<P> protocol, Supplier<? extends P> factory, String name) {
        return runtime.guardian().spawnChild(protocol, factory, Objects.requireNonNull(name, "name"), SpawnOptions.DEFAULT);
    }

    /**
     * Starts a top-level actor with a generated name.
     *
     * @param protocol the protocol of the returned proxy
     * @param factory makes the actor's instance
     * @param <P> the protocol type
     * @return a typed proxy of the actor
     */
    public <P> P spawn(Class<P> protocol, Supplier<? extends P> factory) {
        return runtime.guardian().spawnChild(protocol, factory, null, SpawnOptions.DEFAULT);
    }

    /**
     * Starts a top-level actor with options.
     *
     * @param protocol the protocol of the returned proxy
     * @param factory makes the actor's instance
     * @param name the actor's name, or null for a generated one
     * @param options mailbox options
     * @param <P> the protocol type
     * @return a typed proxy of the actor
     */
    public <P> P spawn(Class<P> protocol, Supplier<? extends P> factory, String name, SpawnOptions options) {
        return runtime.guardian().spawnChild(protocol, factory, name, options);
    }

    /**
     * Starts a top-level {@link Process} under {@code /user/NAME}. A process takes messages of any
     * protocol: view its reference through one with {@link #lookup} or
     * {@code XProtocol.INSTANCE.proxy(ref)}.
     *
     * @param factory makes the process (at the start and at each restart)
     * @param name the process's name, unique among top-level actors, or null for a generated one
     * @return the process's reference
     * @throws IllegalArgumentException when the name is taken or invalid
     * @throws IllegalStateException when the system is closed
     */
    public ActorRef<Object> spawnProcess(Supplier<? extends Process> factory, String name) {
        return spawnProcess(factory, name, SpawnOptions.DEFAULT);
    }

    /**
     * Starts a top-level {@link Process} with mailbox options. With a bounded mailbox, a message
     * counts against the capacity from its arrival until the process receives it (or it is
     * dropped), so a process that receives slowly refuses what overflows, counted as mailbox
     * overflows and dead letters, instead of queuing without limit.
     *
     * @param factory makes the process (at the start and at each restart)
     * @param name the process's name, unique among top-level actors, or null for a generated one
     * @param options mailbox options
     * @return the process's reference
     * @throws IllegalArgumentException when the name is taken or invalid
     * @throws IllegalStateException when the system is closed
     */
    public ActorRef<Object> spawnProcess(Supplier<? extends Process> factory, String name, SpawnOptions options) {
        return runtime.guardian().spawnCell(null, factory, name, options).self();
    }

    /** Starts a top-level actor or process of any class; for the node launcher. */
    ActorCell spawnAny(Supplier<?> factory, String name) {
        return runtime.guardian().spawnCell(null, factory, name, SpawnOptions.DEFAULT);
    }

    /**
     * Returns a proxy for the actor at an address. Where no actor lives, the proxy's tells go to
     * dead letters and its asks fail at once with {@link ActorNotFoundException}.
     *
     * @param protocol the protocol of the proxy
     * @param address a local path such as {@code /user/counter}, or a full address
     *     {@code node@host:port/user/counter}
     * @param <P> the protocol type
     * @return the proxy
     * @throws IllegalArgumentException for a malformed address, or the address of another node when
     *     this system is not a node
     */
    public <P> P lookup(Class<P> protocol, String address) {
        ProtocolDefinition<P, ?> definition = ProtocolDefinition.of(protocol);
        if (runtime.transport() != null) {
            runtime.transport().register(definition);
        }
        return definition.proxy(ref(address));
    }

    /**
     * Returns the untyped reference of the actor at an address; see {@link #lookup}.
     *
     * @param address the address
     * @return the reference; for an actor of another node, one whose messages cross the network
     */
    public ActorRef<Object> ref(String address) {
        Objects.requireNonNull(address, "address");
        String prefix = runtime.addressPrefix();
        String path = address;
        if (!address.startsWith("/")) {
            int slash = address.indexOf('/');
            String node = slash < 0 ? address : address.substring(0, slash);
            RemoteTransport transport = runtime.transport();
            if (transport != null && !node.equals(prefix)) {
                NodeAddress.Address remote = NodeAddress.parse(address);
                if (remote == null || !remote.path().startsWith("/user")) {
                    throw new IllegalArgumentException("Address '" + address + "' is malformed; a remote address"
                            + " reads name@host:port/user/NAME, such as beta@127.0.0.1:7200/user/counter.");
                }
                return transport.remoteRef(remote.node(), remote.path());
            }
            if (prefix.isEmpty() || !node.equals(prefix)) {
                throw new IllegalArgumentException("Address '" + address + "' is not a local path such as /user/counter"
                        + (prefix.isEmpty() ? "; this system is not a node, so it reaches only its own actors"
                                + " (make it one with bind(...) or client())."
                                : " nor an address of this node (" + prefix + ")."));
            }
            path = slash < 0 ? "/" : address.substring(slash);
        }
        if (!path.startsWith("/user")) {
            throw new IllegalArgumentException("Path '" + path + "' is not under /user; actors live at /user/NAME.");
        }
        return runtime.resolveLocal(path);
    }

    /**
     * Stops an actor: its children first (youngest first), then its {@code postStop}. Asynchronous.
     *
     * @param proxyOrRef a proxy or reference of an actor of this system
     * @return completes when the actor has terminated
     * @throws IllegalArgumentException if it is not an actor of this system; always for an actor of
     *     another node, which only that node may stop
     */
    public CompletionStage<Void> stop(Object proxyOrRef) {
        ActorCell cell = ActorCell.cellOf(proxyOrRef);
        if (cell == null || cell.system() != this) {
            Object ref = proxyOrRef instanceof ActorRef<?> ? proxyOrRef : ProtocolProxy.actorRefOf(proxyOrRef);
            if (ref instanceof RemoteActorRef remote) {
                throw new IllegalArgumentException(remote.address() + " is an actor of node " + remote.node()
                        + "; a node cannot stop actors of another node. Send the actor a message that makes it"
                        + " stop itself.");
            }
            String prefix = runtime.addressPrefix();
            if (ref instanceof ActorRef<?> unknown && (!unknown.address().contains("@")
                    || !prefix.isEmpty() && unknown.address().startsWith(prefix + "/"))) {
                return CompletableFuture.completedFuture(null);
            }
            throw new IllegalArgumentException(proxyOrRef + " is not an actor of system " + name()
                    + "; stop actors through the system that hosts them.");
        }
        cell.stopFromOutside(null);
        return cell.terminationFuture().thenApply(terminated -> null);
    }

    /**
     * Watches an actor from outside any actor.
     *
     * <p>For an actor of another node the watch crosses the network: the stage completes when
     * that node reports the actor's end (reason STOPPED or FAILED), or with reason NODE_DOWN when
     * the node is found down or restarts as a new incarnation, or when this node closes. The stage
     * is completed on the node's I/O thread; do not block in callbacks attached without an executor.
     *
     * @param proxyOrRef a proxy or reference of an actor of this system, or of another node
     * @return completes with the termination notice when the actor has terminated (at once if it
     *     already has); for a reference to no local actor, at once with reason STOPPED
     */
    public CompletionStage<Terminated> whenTerminated(Object proxyOrRef) {
        ActorCell cell = ActorCell.cellOf(proxyOrRef);
        if (cell == null) {
            Object ref = proxyOrRef instanceof ActorRef<?> ? proxyOrRef : ProtocolProxy.actorRefOf(proxyOrRef);
            if (ref instanceof RemoteWatchable remote) {
                CompletableFuture<Terminated> ended = new CompletableFuture<>();
                // The watcher stays registered until the notice (the transport forgets the watchers
                // of an address once it notified them), and completing twice is harmless.
                remote.watch((watched, terminated) -> ended.complete(terminated));
                return ended;
            }
            if (!(ref instanceof ActorRef<?> unknown)) {
                throw new IllegalArgumentException(proxyOrRef + " is not an actor reference; pass a proxy or ActorRef.");
            }
            return CompletableFuture.completedFuture(new Terminated(unknown, Terminated.Reason.STOPPED, null));
        }
        return cell.terminationFuture();
    }

    /**
     * The system's counters, read live: any thread may call this and the returned object's methods
     * at any time, before and after {@link #close()}.
     *
     * @return the system's counters
     */
    public ActorSystemMetrics metrics() {
        return new Metrics(runtime);
    }

    /**
     * @return the system's JMX view, the one registered as {@code io.spinoff:type=ActorSystem,name=NAME}
     *     (usable also when {@link Builder#jmx(boolean) jmx(false)} kept it unregistered): the
     *     counters with the pending asks, mailbox depths, peers and the actor tree; any thread
     */
    public ActorSystemMXBean mxBean() {
        return new ActorSystemMXBeanView(runtime.observation());
    }

    /** @return the runtime behind this system; for the runtime's own tests, through their access class */
    SystemRuntime runtime() {
        return runtime;
    }

    /** A read-only view of the runtime's counters: the runtime itself stays out of reach. */
    private static final class Metrics implements ActorSystemMetrics {
        private final ActorSystemMetrics counters;

        Metrics(ActorSystemMetrics counters) {
            this.counters = counters;
        }

        @Override
        public long deadLetters() {
            return counters.deadLetters();
        }

        @Override
        public long restarts() {
            return counters.restarts();
        }

        @Override
        public long mailboxOverflows() {
            return counters.mailboxOverflows();
        }

        @Override
        public long droppedFrames() {
            return counters.droppedFrames();
        }

        @Override
        public long liveActors() {
            return counters.liveActors();
        }

        @Override
        public long messagesHandled() {
            return counters.messagesHandled();
        }

        @Override
        public String toString() {
            return "ActorSystemMetrics[deadLetters=" + deadLetters() + ", restarts=" + restarts() + ", mailboxOverflows="
                    + mailboxOverflows() + ", droppedFrames=" + droppedFrames() + ", liveActors=" + liveActors()
                    + ", messagesHandled=" + messagesHandled() + "]";
        }
    }

    /**
     * Registers an observer of every ask's completion (its latency and outcome), for as long as
     * the system runs.
     *
     * @param observer the observer; see {@link AskObserver} for the thread it runs on
     */
    public void addAskObserver(AskObserver observer) {
        runtime.addAskObserver(Objects.requireNonNull(observer, "observer"));
    }

    /**
     * Registers a listener of dead letters. It runs on the thread that found the dead letter and
     * must be quick; an exception from it is logged.
     *
     * @param listener the listener
     */
    public void addDeadLetterListener(Consumer<DeadLetter> listener) {
        runtime.addDeadLetterListener(Objects.requireNonNull(listener, "listener"));
    }

    /** @return the default ask timeout */
    public Duration askTimeout() {
        return runtime.settings().askTimeout();
    }

    /**
     * Stops every actor and releases every thread; see the class comment. Idempotent: a call while
     * another is under way waits for the same end. Called from one of this system's own actors or
     * processes, it only starts the close (waiting would wait for the caller's own turn to end);
     * {@link #whenClosed()} tells when it is done.
     */
    @Override
    public void close() {
        runtime.close();
    }

    /** @return completed once {@link #close()} has stopped every actor and released every thread */
    public CompletionStage<Void> whenClosed() {
        return runtime.closedFuture().minimalCompletionStage();
    }

    /** @return whether {@link #close()} has begun */
    public boolean isClosed() {
        return runtime.isClosing();
    }

    @Override
    public String toString() {
        return "ActorSystem[" + name() + "]";
    }

    /**
     * Builds an {@link ActorSystem}. Not thread-safe; use it from one thread.
     */
    public static final class Builder {
        /** The default most messages an actor handles in one turn before its carrier moves on. */
        private static final int DEFAULT_THROUGHPUT = 64;
        /** The most carriers a fork-join pool can have (its own limit, 0x7fff). */
        private static final int MAX_PARALLELISM = 32767;
        /** The smallest frame limit: a HELLO and a few small messages must fit. */
        private static final int MIN_FRAME_SIZE = 4096;

        private final String name;
        private int parallelism = Runtime.getRuntime().availableProcessors();
        private int throughput = DEFAULT_THROUGHPUT;
        private boolean sameCarrierHandOff = true;
        private Duration askTimeout = Duration.ofSeconds(5);
        private Duration stopTimeout = Duration.ofSeconds(5);
        private SupervisorStrategy guardianStrategy = SupervisorStrategy.DEFAULT;
        private NodeAddress.HostPort bind;
        private boolean client;
        private Duration heartbeatInterval = RemoteConfig.DEFAULT_HEARTBEAT_INTERVAL;
        private Duration downAfter = RemoteConfig.DEFAULT_DOWN_AFTER;
        private int maxFrameSize = RemoteConfig.DEFAULT_MAX_FRAME_SIZE;
        private int outboundQueueSize = RemoteConfig.DEFAULT_OUTBOUND_QUEUE_SIZE;
        private int maxInboundBytes = RemoteConfig.DEFAULT_MAX_INBOUND_BYTES;
        private Duration linger = RemoteConfig.DEFAULT_LINGER;
        private CurveSettings curve;
        private boolean jmx = true;
        private ManualTime manualTime;
        private Simulation simulation;

        private Builder(String name) {
            Objects.requireNonNull(name, "name");
            if (name.isEmpty() || !name.chars().allMatch(c -> c < 128 && (Character.isLetterOrDigit(c) || c == '-' || c == '_'))) {
                throw new IllegalArgumentException("Actor system name '" + name
                        + "' is not valid; use ASCII letters, digits, '-' and '_'.");
            }
            this.name = name;
        }

        /**
         * @param threads the number of carrier threads; positive (default: the number of cores)
         * @return this builder
         */
        public Builder parallelism(int threads) {
            if (threads <= 0 || threads > MAX_PARALLELISM) {
                throw new IllegalArgumentException("parallelism must be between 1 and " + MAX_PARALLELISM + ", not " + threads + ".");
            }
            this.parallelism = threads;
            return this;
        }

        /**
         * @param messages how many messages an actor handles before it yields its thread (default 64)
         * @return this builder
         */
        public Builder throughput(int messages) {
            if (messages <= 0) {
                throw new IllegalArgumentException("throughput must be positive, not " + messages + ".");
            }
            this.throughput = messages;
            return this;
        }

        /**
         * Whether an actor woken by another actor's turn runs right after that turn on the same
         * carrier thread (default on), as Go's scheduler runs a goroutine woken by the running one
         * next on the same processor. In a chain of actors messaging each other this keeps the
         * exchange on one core, with no queue push and no wake-up of another thread: ping-pong
         * runs several times faster. Off, every woken actor goes to the pool's queues like any
         * other.
         *
         * <p>Fairness holds either way: a woken actor waits on the waker's thread only while the
         * waker's turn is about to end (when the turn goes on to another message, or asks, the woken
         * actor goes to the pool, where an idle carrier takes it); a chain of hand-offs is bounded
         * (64 in a row); and every carrier runs work submitted from outside
         * the pool (timer firings, remote deliveries, tells from processes and non-actor threads)
         * at least once every 61 turns, so carriers saturated by conversations that never end
         * still serve it.
         *
         * <p>Turn it off when actors woken by one actor should spread over the cores at once rather
         * than run one after the other on the waker's thread (a fan-out of long handlers).
         *
         * @param enabled whether to hand a woken actor to the waker's thread (default true)
         * @return this builder
         */
        public Builder sameCarrierHandOff(boolean enabled) {
            this.sameCarrierHandOff = enabled;
            return this;
        }

        /**
         * @param timeout the default ask timeout (default 5 s); {@code @AskTimeout} overrides it per method
         * @return this builder
         */
        public Builder askTimeout(Duration timeout) {
            this.askTimeout = positive(timeout, "askTimeout");
            return this;
        }

        /**
         * @param timeout how long a child may take to stop before it is terminated by force (default 5 s)
         * @return this builder
         */
        public Builder stopTimeout(Duration timeout) {
            this.stopTimeout = positive(timeout, "stopTimeout");
            return this;
        }

        /**
         * @param strategy how the user guardian treats failures of top-level actors (default
         *     {@link SupervisorStrategy#DEFAULT}); an escalation to the guardian stops the actor
         * @return this builder
         */
        public Builder guardianStrategy(SupervisorStrategy strategy) {
            this.guardianStrategy = Objects.requireNonNull(strategy, "strategy");
            return this;
        }

        /**
         * Makes the system a node named {@code name@HOST:PORT}, reachable by other nodes at that
         * address over ZeroMQ. {@link #build()} binds the socket and fails with
         * {@link IllegalStateException} when the address is taken.
         *
         * @param endpoint {@code tcp://HOST:PORT} with a concrete host, such as
         *     {@code tcp://127.0.0.1:7100}; port 0 picks a free port (read it from the addresses of
         *     the node's actors)
         * @return this builder
         * @throws IllegalArgumentException when the endpoint is malformed or its host is a wildcard
         */
        public Builder bind(String endpoint) {
            this.bind = RemoteConfig.parseEndpoint(endpoint);
            return this;
        }

        /**
         * Makes the system a <em>client node</em>: it binds no address, yet it tells and asks
         * actors on nodes, gets their replies, receives what they send to references of its own
         * actors (reply-to references, probes) and watches them, all over the connections it
         * opens to those nodes. For programs behind NAT, in containers without an open port, or
         * short-lived command-line tools. Its name is {@code name@client-HEX:0} (see
         * {@link ActorSystem#address()}), different at each start; port 0 tells nodes that it
         * cannot be dialled. A node reaches a client node only while that client's connection to
         * it lasts: what it sends while the client reconnects waits (bounded by
         * {@link #outboundQueueSize}), and once the client has been silent for
         * {@link #downAfter} it is down for that node, as any peer. Two client nodes cannot reach
         * each other. Heartbeats, the failure detector, flow control and {@link #curve CURVE}
         * (as a CURVE client; each node it calls must {@code allowClient} its public key) work
         * as for a bound node.
         *
         * @return this builder
         * @throws IllegalStateException at {@link #build()} when {@link #bind} was called too
         */
        public Builder client() {
            this.client = true;
            return this;
        }

        /**
         * @param interval how often the node sends each peer a heartbeat (default 1 s)
         * @return this builder
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = positive(interval, "heartbeatInterval");
            return this;
        }

        /**
         * Sets the failure detector's threshold: a peer silent for longer is down, its pending asks
         * fail at once with {@link io.spinoff.runtime.remote.NodeUnreachableException} and watchers
         * of its actors get {@link Terminated.Reason#NODE_DOWN}.
         *
         * @param threshold the silence after which a peer is down (default 10 s); longer than the
         *     heartbeat interval
         * @return this builder
         */
        public Builder downAfter(Duration threshold) {
            this.downAfter = positive(threshold, "downAfter");
            return this;
        }

        /**
         * @param bytes the largest network message the node sends or accepts (default 1 MiB); a
         *     larger inbound message (from a peer with a larger limit) is refused, logged and
         *     counted with the peer's name (its asks fail at once, the connection stays), and one
         *     over twice the limit is refused before it is allocated; a larger outbound frame is
         *     dropped and counted (an ask fails at once)
         * @return this builder
         */
        public Builder maxFrameSize(int bytes) {
            if (bytes < MIN_FRAME_SIZE) {
                throw new IllegalArgumentException("maxFrameSize must be at least " + MIN_FRAME_SIZE + " bytes, not " + bytes + ".");
            }
            this.maxFrameSize = bytes;
            return this;
        }

        /**
         * Bounds what waits for one peer: up to this many frames queue for the node's I/O thread,
         * and about as many (at most 64 MiB) in the peer's socket while it is slow or unreachable.
         * Past that, frames are dropped, counted in {@link ActorSystemMetrics#droppedFrames()} and
         * logged, and asks fail at once.
         *
         * @param frames the bound in frames (default 200,000)
         * @return this builder
         */
        public Builder outboundQueueSize(int frames) {
            if (frames <= 0) {
                throw new IllegalArgumentException("outboundQueueSize must be positive, not " + frames + ".");
            }
            this.outboundQueueSize = frames;
            return this;
        }

        /**
         * Bounds what other nodes may queue for one actor of this node, so that a fast sender
         * cannot exhaust this node's heap through a slow actor (mailboxes are unbounded unless
         * {@link SpawnOptions#boundedMailbox(int) bounded}). The bound, the actor's <em>inbound
         * limit</em>, is on what the messages and asks from other nodes in the actor's mailbox that
         * none of its turns has taken yet cost: each costs its payload's size on the wire plus
         * {@value RemoteConfig#INBOUND_MESSAGE_OVERHEAD} bytes. One message always fits when none
         * waits, so the bound is exceeded by one message at most. Local sends are not counted and
         * never refused by it.
         *
         * <p>A message that arrives while its actor is at the limit is <em>dropped</em> by the
         * node's I/O thread before it is decoded: counted in
         * {@link ActorSystemMetrics#droppedFrames()} and in {@link PeerInfo#getInboundDropped()} of
         * the peer that sent it, and logged at warning with the peer and the actor (at most once a
         * second; debug logging shows each). An ask dropped this way fails at once on the asking
         * node with {@link io.spinoff.runtime.remote.RemoteActorException} (FAILURE code 1 on the
         * wire) rather than at its timeout. What is delivered keeps its order: a sender's messages
         * to one actor that are not dropped arrive in the order sent. The sender is not slowed
         * down; a slow network or I/O thread pushes back through TCP to the sender's outbound
         * queue, which drops and counts past {@link #outboundQueueSize}.
         *
         * <p>For a {@link Process}, a message stops counting when its turn hands it to the
         * process's inbox; bound the inbox with a {@link SpawnOptions#boundedMailbox(int) bounded
         * mailbox}.
         *
         * <p>Called on the thread building the system, like every builder method; the bound is
         * read by the node's I/O thread.
         *
         * @param bytes the bound per actor (default 16 MiB: about 100,000 messages of 100 bytes,
         *     which take about 25 MB of heap once decoded)
         * @return this builder
         * @throws IllegalArgumentException when {@code bytes} is not positive
         */
        public Builder maxInboundBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxInboundBytes must be positive, not " + bytes + ".");
            }
            this.maxInboundBytes = bytes;
            return this;
        }

        /**
         * @param time how long {@link ActorSystem#close()} may spend sending frames still queued for
         *     peers, even unreachable ones (default 1 s)
         * @return this builder
         */
        public Builder linger(Duration time) {
            Objects.requireNonNull(time, "linger");
            if (time.isNegative()) {
                throw new IllegalArgumentException("linger must not be negative, not " + time + ".");
            }
            this.linger = time;
            return this;
        }

        /**
         * @param settings CURVE encryption and authentication for the node; without it, traffic is
         *     plain TCP and any peer may connect
         * @return this builder
         */
        public Builder curve(CurveSettings settings) {
            this.curve = Objects.requireNonNull(settings, "settings");
            return this;
        }

        private RemoteConfig remoteConfig() {
            if (client && bind != null) {
                throw new IllegalStateException("The system was made both a client node (client()) and a node bound"
                        + " to " + bind + " (bind(...)); call only one of them: client() binds nothing.");
            }
            if (bind == null && !client) {
                if (curve != null) {
                    throw new IllegalStateException("CURVE settings were given but the system is not a node;"
                            + " call bind(\"tcp://HOST:PORT\") or client() as well.");
                }
                return null;
            }
            return new RemoteConfig(client ? "client" : bind.host(), client ? 0 : bind.port(), client, heartbeatInterval,
                    downAfter, maxFrameSize, outboundQueueSize, maxInboundBytes, linger, curve);
        }

        private static Duration positive(Duration value, String what) {
            Objects.requireNonNull(value, what);
            if (value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, not " + value + ".");
            }
            return value;
        }

        /**
         * Puts the system on a test's clock: its timers, ask timeouts, process timeouts and
         * sleeps, supervision backoff and stop timeouts wait until the test advances the time.
         * See {@link ManualTime}. For tests.
         *
         * @param time the clock; several systems may share one
         * @return this builder
         */
        public Builder manualTime(ManualTime time) {
            this.manualTime = Objects.requireNonNull(time, "time");
            return this;
        }

        /**
         * Runs the system under a deterministic simulation, for tests: on the simulation's manual
         * clock, one message per turn, every step on the thread that drives the simulation, in an
         * order chosen by its seed. See {@link Simulation}. Not with {@link #bind} or {@link #client}.
         *
         * @param simulation a simulation no other system uses
         * @return this builder
         */
        public Builder simulation(Simulation simulation) {
            this.simulation = Objects.requireNonNull(simulation, "simulation");
            return this;
        }

        /**
         * @param enabled whether the system registers its {@link ActorSystemMXBean} with the
         *     platform MBean server (default true); it is unregistered when the system closes
         * @return this builder
         */
        public Builder jmx(boolean enabled) {
            this.jmx = enabled;
            return this;
        }

        /** @return the system, running */
        public ActorSystem build() {
            return new ActorSystem(this);
        }
    }
}
