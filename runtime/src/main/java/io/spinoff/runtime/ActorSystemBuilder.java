package io.spinoff.runtime;

import io.spinoff.runtime.internal.remote.NodeAddress;
import io.spinoff.runtime.internal.remote.RemoteConfig;
import io.spinoff.runtime.remote.CurveSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds an {@link ActorSystem}: {@code ActorSystem.builder("name")...build()}. Each setter checks
 * its value at once and throws {@link IllegalArgumentException} naming the bad value and the
 * allowed range; {@link #build()} throws {@link IllegalStateException} for settings that do not go
 * together (a client node that also binds, CURVE without remoting, a simulated node), saying which
 * call to drop.
 *
 * <p><b>Threading:</b> not thread-safe; use a builder from one thread. The system it builds
 * follows {@link ActorSystem}'s contract.
 */
public final class ActorSystemBuilder {
    /** The default most messages an actor handles in one turn before its carrier moves on. */
    private static final int DEFAULT_THROUGHPUT = 64;
    /** The most carriers a fork-join pool can have (its own limit, 0x7fff). */
    private static final int MAX_PARALLELISM = 32767;
    /** The smallest frame limit: a HELLO and a few small messages must fit. */
    private static final int MIN_FRAME_SIZE = 4096;

    final String name;
    int parallelism = Runtime.getRuntime().availableProcessors();
    int throughput = DEFAULT_THROUGHPUT;
    boolean sameCarrierHandOff = true;
    Duration askTimeout = Duration.ofSeconds(5);
    Duration stopTimeout = Duration.ofSeconds(5);
    SupervisorStrategy guardianStrategy = SupervisorStrategy.DEFAULT;
    NodeAddress.HostPort bind;
    boolean client;
    Duration heartbeatInterval = RemoteConfig.DEFAULT_HEARTBEAT_INTERVAL;
    Duration downAfter = RemoteConfig.DEFAULT_DOWN_AFTER;
    int maxFrameSize = RemoteConfig.DEFAULT_MAX_FRAME_SIZE;
    int outboundQueueSize = RemoteConfig.DEFAULT_OUTBOUND_QUEUE_SIZE;
    int maxInboundBytes = RemoteConfig.DEFAULT_MAX_INBOUND_BYTES;
    Duration linger = RemoteConfig.DEFAULT_LINGER;
    CurveSettings curve;
    boolean jmx = true;
    ManualTime manualTime;
    Simulation simulation;

    ActorSystemBuilder(String name) {
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
    public ActorSystemBuilder parallelism(int threads) {
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
    public ActorSystemBuilder throughput(int messages) {
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
    public ActorSystemBuilder sameCarrierHandOff(boolean enabled) {
        this.sameCarrierHandOff = enabled;
        return this;
    }

    /**
     * @param timeout the default ask timeout (default 5 s); {@code @AskTimeout} overrides it per method
     * @return this builder
     */
    public ActorSystemBuilder askTimeout(Duration timeout) {
        this.askTimeout = positive(timeout, "askTimeout");
        return this;
    }

    /**
     * @param timeout how long a child may take to stop before it is terminated by force (default 5 s)
     * @return this builder
     */
    public ActorSystemBuilder stopTimeout(Duration timeout) {
        this.stopTimeout = positive(timeout, "stopTimeout");
        return this;
    }

    /**
     * @param strategy how the user guardian treats failures of top-level actors (default
     *     {@link SupervisorStrategy#DEFAULT}); an escalation to the guardian stops the actor
     * @return this builder
     */
    public ActorSystemBuilder guardianStrategy(SupervisorStrategy strategy) {
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
    public ActorSystemBuilder bind(String endpoint) {
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
    public ActorSystemBuilder client() {
        this.client = true;
        return this;
    }

    /**
     * @param interval how often the node sends each peer a heartbeat (default 1 s)
     * @return this builder
     */
    public ActorSystemBuilder heartbeatInterval(Duration interval) {
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
    public ActorSystemBuilder downAfter(Duration threshold) {
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
    public ActorSystemBuilder maxFrameSize(int bytes) {
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
    public ActorSystemBuilder outboundQueueSize(int frames) {
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
    public ActorSystemBuilder maxInboundBytes(int bytes) {
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
    public ActorSystemBuilder linger(Duration time) {
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
    public ActorSystemBuilder curve(CurveSettings settings) {
        this.curve = Objects.requireNonNull(settings, "settings");
        return this;
    }

    RemoteConfig remoteConfig() {
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
    public ActorSystemBuilder manualTime(ManualTime time) {
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
    public ActorSystemBuilder simulation(Simulation simulation) {
        this.simulation = Objects.requireNonNull(simulation, "simulation");
        return this;
    }

    /**
     * @param enabled whether the system registers its {@link ActorSystemMXBean} with the
     *     platform MBean server (default true); it is unregistered when the system closes
     * @return this builder
     */
    public ActorSystemBuilder jmx(boolean enabled) {
        this.jmx = enabled;
        return this;
    }

    /** @return the system, running */
    public ActorSystem build() {
        return new ActorSystem(this);
    }
}
