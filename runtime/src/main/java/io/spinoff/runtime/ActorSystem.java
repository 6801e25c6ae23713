package io.spinoff.runtime;

import io.spinoff.api.ActorRef;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.ProtocolProxy;
import io.spinoff.runtime.internal.EntitySink;
import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.cell.ActorCell;
import io.spinoff.runtime.internal.remote.NodeAddress;
import io.spinoff.runtime.internal.remote.RemoteActorRef;
import io.spinoff.runtime.internal.remote.RemoteConfig;
import io.spinoff.runtime.internal.remote.RemoteTransport;
import io.spinoff.runtime.internal.watch.RemoteWatchable;
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
 * user guardian, whose strategy is {@link ActorSystemBuilder#guardianStrategy(SupervisorStrategy)}.
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

    static {
        SystemRuntime.access(system -> system.runtime);
    }

    private final SystemRuntime runtime;

    ActorSystem(ActorSystemBuilder builder) {
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
    public static ActorSystemBuilder builder(String name) {
        return new ActorSystemBuilder(name);
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
     * the system picked); for a {@linkplain ActorSystemBuilder#client() client node}
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
                if (remote == null) {
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
        if (!path.startsWith("/user") && !path.startsWith("/cluster/")) {
            throw new IllegalArgumentException("Path '" + path + "' is not under /user; actors live at /user/NAME"
                    + " (and a cluster's entities at /cluster/PROTOCOL/ID).");
        }
        return runtime.resolveLocal(path);
    }

    /**
     * Stops an actor: its children first (youngest first), then its {@code postStop}. Asynchronous.
     *
     * @param proxyOrRef a proxy or reference of an actor of this system
     * @return completes when the actor has terminated
     * @throws IllegalArgumentException if it is not an actor of this system; always for an actor of
     *     another node, which only that node may stop, and for an entity of a cluster, which only
     *     the cluster stops
     */
    public CompletionStage<Void> stop(Object proxyOrRef) {
        ActorCell cell = ActorCell.cellOf(proxyOrRef);
        if (cell == null || cell.system() != this) {
            Object ref = proxyOrRef instanceof ActorRef<?> ? proxyOrRef : ProtocolProxy.actorRefOf(proxyOrRef);
            if (ref instanceof EntitySink entity) {
                throw EntitySink.notStoppable(entity);
            }
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
     * @throws IllegalArgumentException for an entity of a cluster, which has no lifetime to watch
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
            if (ref instanceof EntitySink entity) {
                throw EntitySink.notWatchable(entity);
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
     *     (usable also when {@link ActorSystemBuilder#jmx(boolean) jmx(false)} kept it unregistered): the
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
}
