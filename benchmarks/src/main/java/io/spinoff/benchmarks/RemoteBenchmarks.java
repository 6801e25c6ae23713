package io.spinoff.benchmarks;

import io.spinoff.benchmarks.Protocols.Echo;
import io.spinoff.benchmarks.Protocols.RemoteAcks;
import io.spinoff.benchmarks.Protocols.RemoteSink;
import io.spinoff.runtime.ActorSystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Remote tell throughput and remote ask round trip between two JVMs on loopback: Spinoff over
 * ZeroMQ and Pekko (typed) over Artery TCP, each side on a pool of 2 threads.
 *
 * <p><b>Parameters</b> (defaults first; {@code run-remote-sweep.sh} runs the sweep): {@code payload}
 * bytes per tell (100, 4,096, 65,536), {@code window} messages in flight (20,000, 2,000, 200),
 * {@code senders} threads telling the one receiving actor at once (1, 8; the window is shared),
 * {@code peers}, the receiving nodes (1, 2, 4; each a JVM of its own), and for Pekko {@code lanes},
 * Artery's inbound lanes on every node (4, its default, and 1). A window whose payloads would hold
 * more than {@value #MAX_IN_FLIGHT_BYTES} bytes is refused, so that the 1 GB heaps are not what is
 * measured.
 *
 * <p>The benchmark's JVM is the sending node. Its {@code @Setup} starts each receiving node as a
 * separate JVM ({@link RemoteBenchmarkNode}, same java binary and class path, bound to a free port
 * of 127.0.0.1) and reads the addresses of that node's actors from its standard output; the
 * {@code @TearDown} closes each child's input and kills it.
 *
 * <p><b>Tell.</b> The sending threads send {@link #REMOTE_TELLS} messages in all, each with a
 * payload, to the receiving actor of every peer in turn (message {@code i} of a sender goes to
 * peer {@code i mod peers}). Each receiving actor acknowledges every {@value #ACK_EVERY} messages
 * it gets with a remote message back, and the senders may have at most {@code window} messages
 * not yet acknowledged: each acknowledgement returns credit to a semaphore, the sender takes credit
 * every {@value #ACK_EVERY} messages, and an invocation ends when every message is acknowledged.
 * So the score counts delivered messages, not enqueued ones, and no outbound queue overflows: the
 * window is a tenth of Spinoff's bound per peer (200,000 frames by default), and Pekko's send queue
 * is set to twice the window (its default, 3,072, is smaller). A benchmark fails at once if either
 * node drops a frame or has a dead letter. (With a window of 2,000, Spinoff's score was several
 * times lower and Pekko's the same.)
 *
 * <p><b>Ask.</b> One thread asks the echo actor of the other node for an {@code int} and waits for
 * the answer, one ask at a time; JMH samples each round trip, so the result has its mean and its
 * percentiles (p50, p90, p99, p99.9, p99.99).
 *
 * <p>The Pekko messages are serialized by {@link PekkoRemoteSerializer}, a hand-written binary
 * serializer (Java serialization is off), so the comparison is between transports and runtimes,
 * not serialization formats.
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class RemoteBenchmarks {

    /** The default size of the payload of each tell. */
    static final int PAYLOAD_BYTES = 100;
    /** The most payload bytes a window may hold in flight. */
    static final long MAX_IN_FLIGHT_BYTES = 256L << 20;
    /** Tells per invocation. */
    static final int REMOTE_TELLS = 100_000;
    /** The receiving actor acknowledges every this many messages. */
    static final int ACK_EVERY = 200;
    /**
     * The default and largest window: the most messages in flight (sent but not acknowledged); each
     * window is a multiple of {@link #ACK_EVERY}.
     */
    static final int WINDOW = 20_000;

    /** The most receiving nodes a run may start. */
    static final int MAX_PEERS = 8;

    private static final long WAIT_SECONDS = 60;
    private static final String CHILD_HEAP = "-Xmx1g";

    // ------------------------------------------------------------------ the second JVM

    /** The receiving node, a child JVM, with the addresses of its actors. */
    static final class ReceivingNode {
        final Process process;
        final String sinkAddress;
        final String echoAddress;

        private ReceivingNode(Process process, String sinkAddress, String echoAddress) {
            this.process = process;
            this.sinkAddress = sinkAddress;
            this.echoAddress = echoAddress;
        }

        /**
         * Starts {@link RemoteBenchmarkNode} with the same java binary and class path as this JVM
         * and waits for its {@code READY} line; its later output is copied to this JVM's.
         */
        static ReceivingNode start(String kind, int payloadBytes, int inboundLanes) throws Exception {
            String java = ProcessHandle.current().info().command()
                    .orElseThrow(() -> new IllegalStateException("Cannot tell which java binary runs this JVM."));
            Process process = new ProcessBuilder(java, "-Xms1g", CHILD_HEAP, "-cp", System.getProperty("java.class.path"),
                    RemoteBenchmarkNode.class.getName(), kind, Integer.toString(payloadBytes),
                    Integer.toString(inboundLanes))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> ready = new CompletableFuture<>();
            Thread reader = Thread.ofPlatform().daemon(true).name("receiving-node-output").start(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (!ready.isDone() && line.startsWith("READY ")) {
                            ready.complete(line);
                        } else {
                            System.out.println("[receiving node] " + line);
                        }
                    }
                } catch (IOException e) {
                    // the child is gone
                }
                ready.complete(null);
            });
            String line;
            try {
                line = ready.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IllegalStateException("The receiving " + kind + " node did not start within "
                        + WAIT_SECONDS + " s.", e);
            }
            if (line == null) {
                throw new IllegalStateException("The receiving " + kind + " node exited with status "
                        + process.waitFor() + " before it was ready; its error output is above.");
            }
            String[] words = line.split(" ");
            reader.setName("receiving-node-output-" + process.pid());
            return new ReceivingNode(process, words[1], words[2]);
        }

        /** Closes the child's input, which ends it, and kills it if it is still there soon after. */
        void stop() throws InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /**
     * What both sending sides share: the child, the sending threads, the credit of the tell window
     * and loss checks.
     */
    @State(Scope.Benchmark)
    public abstract static class SendingSide {
        @Param({"100"})
        int payloadBytes;

        @Param({"20000"})
        int window;

        @Param({"1"})
        int senders;

        @Param({"1"})
        int peers;

        /** The receiving nodes, one per peer. */
        final List<ReceivingNode> nodes = new ArrayList<>();
        byte[] payload;
        Semaphore credits;
        /** The extra sending threads, when there is more than one sender. */
        ExecutorService sendingThreads;
        /** The receiving node's lost messages, as its last acknowledgement reported them. */
        final AtomicLong remoteLosses = new AtomicLong();

        /**
         * Sets a side's parameters as JMH does from its {@code @Param} values, for code that
         * drives a side by hand (the benchmarks' tests); {@link #prepare} checks them.
         *
         * @return {@code side}
         */
        static <T extends SendingSide> T with(T side, int payloadBytes, int window, int senders, int peers) {
            side.payloadBytes = payloadBytes;
            side.window = window;
            side.senders = senders;
            side.peers = peers;
            return side;
        }

        /** Checks the parameters and makes the payload, the window and the sending threads. */
        void prepare() {
            if (payloadBytes <= 0 || window <= 0 || window % ACK_EVERY != 0 || window > WINDOW
                    || senders <= 0 || senders > REMOTE_TELLS / ACK_EVERY) {
                throw new IllegalArgumentException("Remote benchmark parameters out of range: payload "
                        + payloadBytes + " bytes, window " + window + ", senders " + senders + "; the window must be"
                        + " a positive multiple of " + ACK_EVERY + " up to " + WINDOW + ", and the senders 1 to "
                        + REMOTE_TELLS / ACK_EVERY + ".");
            }
            if (peers <= 0 || peers > MAX_PEERS || ACK_EVERY % peers != 0 || REMOTE_TELLS / peers % ACK_EVERY != 0) {
                throw new IllegalArgumentException("Remote benchmark peers out of range: " + peers + " peers; choose"
                        + " 1 to " + MAX_PEERS + " peers such that a batch of " + ACK_EVERY + " tells splits evenly"
                        + " between them and each gets a multiple of " + ACK_EVERY + " of the " + REMOTE_TELLS
                        + " tells (1, 2, 4 and 5 do).");
            }
            // Each receiver acknowledges every ACK_EVERY messages it got, so up to ACK_EVERY - 1 per
            // receiver may wait unacknowledged; with several receivers the window must leave a whole
            // batch of credit beside them, or every sender waits for credit that never comes.
            if (peers > 1 && window < (peers + 1) * ACK_EVERY) {
                throw new IllegalArgumentException("A window of " + window + " is too small for " + peers
                        + " receiving nodes: each may hold up to " + (ACK_EVERY - 1) + " messages not yet"
                        + " acknowledged, so the senders could wait for credit for ever; use a window of at least "
                        + (peers + 1) * ACK_EVERY + ".");
            }
            if ((long) payloadBytes * window > MAX_IN_FLIGHT_BYTES) {
                throw new IllegalArgumentException("A window of " + window + " payloads of " + payloadBytes
                        + " bytes holds more than " + MAX_IN_FLIGHT_BYTES + " bytes in flight; choose a smaller window"
                        + " for this payload.");
            }
            payload = new byte[payloadBytes];
            Arrays.fill(payload, (byte) 'x');
            credits = new Semaphore(window);
            if (senders > 1) {
                sendingThreads = Executors.newFixedThreadPool(senders, Thread.ofPlatform().name("sender-", 0).factory());
            }
        }

        /**
         * Runs {@code send} with the number of messages each sender sends, on this thread alone or
         * on every sending thread at once, and returns when all have sent.
         */
        void sendAll(IntConsumer send) {
            if (sendingThreads == null) {
                send.accept(REMOTE_TELLS);
                return;
            }
            List<Future<?>> running = new ArrayList<>(senders);
            for (int i = 0; i < senders; i++) {
                int count = tellsOfSender(i, senders);
                running.add(sendingThreads.submit(() -> send.accept(count)));
            }
            for (Future<?> each : running) {
                try {
                    each.get(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    throw new IllegalStateException("A sending thread failed", e.getCause());
                } catch (Exception e) {
                    throw new IllegalStateException("The sending threads did not finish within " + WAIT_SECONDS + " s", e);
                }
            }
        }

        /**
         * Starts the {@code peers} receiving nodes, one after the other; if one does not start, stops
         * those already started and rethrows.
         */
        void startNodes(String kind, int inboundLanes) throws Exception {
            try {
                for (int i = 0; i < peers; i++) {
                    nodes.add(ReceivingNode.start(kind, payloadBytes, inboundLanes));
                }
            } catch (Exception e) {
                release();
                throw e;
            }
        }

        /**
         * @return how many of the {@link #REMOTE_TELLS} tells sender {@code index} of {@code senders}
         *     sends: whole batches of {@link #ACK_EVERY}, shared as evenly as they go. A sender with a
         *     short last batch would hold credit that no acknowledgement returns while its receiver
         *     waits for the rest of a batch, and with a small window every sender then waits.
         */
        static int tellsOfSender(int index, int senders) {
            int batches = REMOTE_TELLS / ACK_EVERY;
            return (batches / senders + (index < batches % senders ? 1 : 0)) * ACK_EVERY;
        }

        /** Stops the sending threads and the receiving nodes. */
        void release() throws InterruptedException {
            if (sendingThreads != null) {
                sendingThreads.shutdownNow();
            }
            for (ReceivingNode each : nodes) {
                each.stop();
            }
            nodes.clear();
        }

        /** @return this node's lost messages so far */
        abstract long localLosses();

        /** @return what the nodes lost, for error messages */
        String losses() {
            return "this node lost " + localLosses() + " messages (dropped frames and dead letters),"
                    + " the receiving node that lost most " + remoteLosses.get();
        }

        /** Fails the benchmark if either node lost a message. */
        void checkNoLoss() {
            if (localLosses() != 0 || remoteLosses.get() != 0) {
                throw new IllegalStateException("Messages were lost, so the score is void: " + losses() + ".");
            }
        }

        /**
         * Takes credit for {@code permits} more messages in flight, waiting for acknowledgements;
         * fails as soon as a node has lost a message, since the acknowledgements then never add up.
         */
        void takeCredit(int permits) {
            try {
                if (credits.tryAcquire(permits)) {
                    return;
                }
                for (long waited = 0; !credits.tryAcquire(permits, 100, TimeUnit.MILLISECONDS); waited += 100) {
                    checkNoLoss();
                    if (waited >= TimeUnit.SECONDS.toMillis(WAIT_SECONDS)) {
                        throw new IllegalStateException("No acknowledgement came within " + WAIT_SECONDS + " s; "
                                + losses() + ".");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** Waits until every message sent is acknowledged. */
        void awaitAllAcknowledged() {
            takeCredit(window);
            credits.release(window);
        }

        @TearDown(Level.Iteration)
        public void checkIteration() {
            checkNoLoss();
        }
    }

    // ------------------------------------------------------------------ Spinoff

    /** A Spinoff node sending to {@code peers} Spinoff nodes, each in a JVM of its own. */
    @State(Scope.Benchmark)
    public static class SpinoffNodes extends SendingSide {
        ActorSystem system;
        /** The receiving actor of each peer. */
        RemoteSink[] sinks;
        /** The echo actor of the first peer. */
        Echo echo;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            prepare();
            startNodes("spinoff", 4);
            system = ActorSystem.builder("sender").parallelism(2).throughput(64).bind("tcp://127.0.0.1:0").build();
            RemoteAcks acks = system.spawn(RemoteAcks.class, () -> new SpinoffActors.AckCounter(credits, remoteLosses),
                    "acks");
            sinks = new RemoteSink[peers];
            for (int i = 0; i < peers; i++) {
                ReceivingNode node = nodes.get(i);
                sinks[i] = system.lookup(RemoteSink.class, node.sinkAddress);
                Echo peerEcho = system.lookup(Echo.class, node.echoAddress);
                sinks[i].ackTo(acks);
                // Delivered after ackTo (in order per pair): the connection is up and the sink knows acks.
                peerEcho.echo(1).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
                if (i == 0) {
                    echo = peerEcho;
                }
            }
        }

        @Override
        long localLosses() {
            return system.metrics().droppedFrames() + system.metrics().deadLetters();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            try {
                checkNoLoss();
            } finally {
                if (system != null) {
                    system.close();
                }
                release();
            }
        }
    }

    /**
     * @return messages delivered per second from the sending threads to the receiving actors of the
     *     other JVMs
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(REMOTE_TELLS)
    public void remoteTellSpinoff(SpinoffNodes nodes) {
        RemoteSink[] sinks = nodes.sinks;
        byte[] payload = nodes.payload;
        nodes.sendAll(count -> {
            int peer = 0;
            for (int i = 0; i < count; i++) {
                if (i % ACK_EVERY == 0) {
                    // Every sender's count is whole batches (SendingSide.tellsOfSender).
                    nodes.takeCredit(ACK_EVERY);
                }
                sinks[peer].payload(payload);
                if (++peer == sinks.length) {
                    peer = 0;
                }
            }
        });
        nodes.awaitAllAcknowledged();
    }

    /** @return the round trip of one ask to an actor of another JVM */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int remoteAskSpinoff(SpinoffNodes nodes) throws Exception {
        return nodes.echo.echo(42).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    // ------------------------------------------------------------------ Pekko

    /** A Pekko node sending to {@code peers} Pekko nodes, each in a JVM of its own, over Artery TCP. */
    @State(Scope.Benchmark)
    public static class PekkoNodes extends SendingSide {
        @Param({"4"})
        int lanes;

        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system;
        AtomicLong deadLetters;
        /** The receiving actor of each peer. */
        ActorRef<PekkoActors.RemoteSinkMessage>[] sinks;
        /** The echo actor of the first peer. */
        ActorRef<PekkoActors.Echo> echo;

        @Setup(Level.Trial)
        @SuppressWarnings("unchecked")
        public void setUp() throws Exception {
            prepare();
            startNodes("pekko", lanes);
            system = PekkoActors.remoteSystem("sender", lanes);
            deadLetters = PekkoActors.countDeadLetters(system);
            ActorRef<PekkoActors.Acked> acks = PekkoActors.spawn(system,
                    PekkoActors.ackCounter(credits, remoteLosses), "acks");
            ActorRefResolver resolver = ActorRefResolver.get(system);
            sinks = new ActorRef[peers];
            for (int i = peers - 1; i >= 0; i--) {
                ReceivingNode node = nodes.get(i);
                sinks[i] = resolver.resolveActorRef(node.sinkAddress);
                echo = resolver.resolveActorRef(node.echoAddress);
                sinks[i].tell(new PekkoActors.AckTo(acks));
                // Delivered after AckTo (in order per pair): the connection is up and the sink knows acks.
                ask(1);
            }
        }

        int ask(int value) throws Exception {
            return AskPattern.<PekkoActors.Echo, Integer>ask(echo, replyTo -> new PekkoActors.Echo(value, replyTo),
                            Duration.ofSeconds(WAIT_SECONDS), system.scheduler())
                    .toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        @Override
        long localLosses() {
            return deadLetters.get();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            try {
                checkNoLoss();
            } finally {
                if (system != null) {
                    PekkoActors.terminate(system);
                }
                release();
            }
        }
    }

    /**
     * @return messages delivered per second from the sending threads to the receiving actors of the
     *     other JVMs
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(REMOTE_TELLS)
    public void remoteTellPekko(PekkoNodes nodes) {
        ActorRef<PekkoActors.RemoteSinkMessage>[] sinks = nodes.sinks;
        byte[] payload = nodes.payload;
        nodes.sendAll(count -> {
            int peer = 0;
            for (int i = 0; i < count; i++) {
                if (i % ACK_EVERY == 0) {
                    // Every sender's count is whole batches (SendingSide.tellsOfSender).
                    nodes.takeCredit(ACK_EVERY);
                }
                sinks[peer].tell(new PekkoActors.Payload(payload));
                if (++peer == sinks.length) {
                    peer = 0;
                }
            }
        });
        nodes.awaitAllAcknowledged();
    }

    /** @return the round trip of one ask to an actor of another JVM */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int remoteAskPekko(PekkoNodes nodes) throws Exception {
        return nodes.ask(42);
    }
}
