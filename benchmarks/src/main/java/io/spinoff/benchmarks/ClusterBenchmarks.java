package io.spinoff.benchmarks;

import io.spinoff.api.support.ProtocolProxy;
import io.spinoff.benchmarks.Protocols.CountingSink;
import io.spinoff.benchmarks.Protocols.Echo;
import io.spinoff.benchmarks.Protocols.RemoteAcks;
import io.spinoff.cluster.Cluster;
import io.spinoff.cluster.ClusterSettings;
import io.spinoff.cluster.Entities;
import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Join;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of the cluster's routing and registry: two Spinoff nodes in this JVM on loopback, each
 * on a pool of 2 threads, both members of one cluster kept in an embedded ZooKeeper server. The
 * sending node hosts nothing; the hosting node hosts the entities and, beside them, a plain actor
 * of each kind, so that every entity benchmark has a direct counterpart doing the same work over
 * the same transport.
 *
 * <ul>
 *   <li><b>Tell</b> ({@code entityTell}, {@code directTell}): messages per second from one thread
 *       of the sending node to one {@link CountingSink} of the hosting node, reached as an entity
 *       through {@link Cluster#entity} or as a plain actor through a remote proxy; measured as
 *       {@link RemoteBenchmarks} measures remote tell: acknowledged in batches of
 *       {@value RemoteBenchmarks#ACK_EVERY}, at most {@value RemoteBenchmarks#WINDOW} in flight, so
 *       the score counts messages the receiving actor processed.</li>
 *   <li><b>Paired tell</b> ({@code pairedTell}): each invocation sends the tell benchmark's
 *       messages to the entity and then to the plain actor (the other order every second
 *       invocation), and times each batch: the secondary results {@code entityNanos} and
 *       {@code directNanos} are the time each path took in an iteration, so entity throughput /
 *       direct throughput = directNanos / entityNanos, per fork. Both paths run in the same JVM
 *       at the same moments, so the difference between forks (thread placement, compilation, the
 *       machine's load) cancels out of each fork's ratio, which the tell pair above, measured in
 *       separate forks, cannot do.</li>
 *   <li><b>Ask</b> ({@code entityAsk}, {@code directAsk}): the round trip of one ask to an
 *       {@link Echo} of the hosting node, one at a time, entity against plain actor.</li>
 *   <li><b>Activation</b> ({@code entityActivation}): on the hosting node, which owns every shard,
 *       an ask to an entity id never used before: the time to route, activate the entity and
 *       answer (sampled). Entities are passivated after {@link #PASSIVATE_AFTER}, so the run's
 *       entities do not pile up in the heap.</li>
 *   <li><b>Registry lookup</b> ({@code registryLookup}): {@link Cluster#lookup} on the sending node of
 *       a name the hosting node registered, against {@code pekkoReceptionistFind}: a
 *       {@link Receptionist#find} asked of the receptionist of a single-node Pekko cluster (typed,
 *       Artery TCP on loopback, joined to itself) for a service key with one registered actor.</li>
 * </ul>
 *
 * <p>Pekko's Cluster Sharding is not among the packages this build can use, so entity routing has
 * no Pekko counterpart here; its overhead is read against Spinoff's own direct remote messaging.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class ClusterBenchmarks {

    /** The id of the sink entity and the registered name of the plain echo actor. */
    private static final String SINK_ID = "sink";
    private static final String ECHO_ID = "echo";
    /** How long an entity may stay idle before it is passivated. */
    static final Duration PASSIVATE_AFTER = Duration.ofSeconds(2);
    private static final long WAIT_SECONDS = 60;

    // ------------------------------------------------------------------ Spinoff

    /** The sending and the hosting node, members of one embedded cluster. */
    @State(Scope.Benchmark)
    public static class ClusterNodes extends RemoteBenchmarks.SendingSide {
        ActorSystem sender;
        ActorSystem host;
        Cluster senderCluster;
        Cluster hostCluster;
        Entities<CountingSink> senderSinks;
        Entities<CountingSink> hostSinks;
        Entities<Echo> hostEchoes;
        CountingSink entitySink;
        CountingSink directSink;
        Echo entityEcho;
        Echo directEcho;
        /** The next never-used entity id of the activation benchmark. */
        long nextId;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            if (senders != 1 || peers != 1) {
                throw new IllegalArgumentException("Cluster benchmarks send from one thread to one hosting node: got "
                        + senders + " senders and " + peers + " peers; run them with -p senders=1 -p peers=1"
                        + " (the defaults).");
            }
            prepare();
            ClusterSettings settings = ClusterSettings.embedded();
            host = node("host");
            sender = node("sender");
            hostCluster = Cluster.join(host, settings);
            senderCluster = Cluster.join(sender, settings);

            ActorSystem hostSystem = host;
            hostSinks = hostCluster.entities(CountingSink.class)
                    .host(id -> new SpinoffActors.ClusterCounter(hostSystem.metrics()));
            hostEchoes = hostCluster.entities(Echo.class).passivateAfter(PASSIVATE_AFTER)
                    .host(id -> new SpinoffActors.EchoActor());
            senderSinks = senderCluster.entities(CountingSink.class);
            CountingSink plainSink = host.spawn(CountingSink.class, () -> new SpinoffActors.ClusterCounter(hostSystem.metrics()),
                    "sink");
            Echo plainEcho = host.spawn(Echo.class, SpinoffActors.EchoActor::new, "echo");
            hostCluster.register(ECHO_ID, plainEcho);

            RemoteAcks acks = sender.spawn(RemoteAcks.class, () -> new SpinoffActors.AckCounter(credits, remoteLosses),
                    "acks");
            entitySink = senderCluster.entity(CountingSink.class, SINK_ID);
            directSink = sender.lookup(CountingSink.class, ProtocolProxy.actorRefOf(plainSink).address());
            entityEcho = senderCluster.entity(Echo.class, ECHO_ID);
            directEcho = sender.lookup(Echo.class, ProtocolProxy.actorRefOf(plainEcho).address());
            for (CountingSink sink : new CountingSink[] {entitySink, directSink}) {
                sink.ackTo(acks);
                // Answered after ackTo (in order per pair): the sink is reached and knows acks.
                sink.received().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            }
            entityEcho.echo(1).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            directEcho.echo(1).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            awaitTrue("the hosting node owns every shard", () -> hostEchoes.ownedShards() == settings.shards()
                    && hostSinks.ownedShards() == settings.shards());
            awaitTrue("the sending node sees the registered name", () -> {
                try {
                    senderCluster.lookup(Echo.class, ECHO_ID);
                    return true;
                } catch (RuntimeException e) {
                    return false;
                }
            });
        }

        private static ActorSystem node(String name) {
            return ActorSystem.builder(name).parallelism(2).throughput(64).bind("tcp://127.0.0.1:0").build();
        }

        private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (!condition.getAsBoolean()) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("Not within " + WAIT_SECONDS + " s: " + what + ".");
                }
                Thread.sleep(20);
            }
        }

        @Override
        long localLosses() {
            return sender.metrics().droppedFrames() + sender.metrics().deadLetters() + senderSinks.overflows()
                    + hostSinks.overflows();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                checkNoLoss();
                if (hostEchoes.activations() < nextId) {
                    throw new IllegalStateException("The activation benchmark asked " + nextId + " new ids but the"
                            + " hosting node activated " + hostEchoes.activations() + " entities.");
                }
            } finally {
                for (Cluster cluster : new Cluster[] {senderCluster, hostCluster}) {
                    if (cluster != null) {
                        cluster.leave();
                    }
                }
                for (ActorSystem system : new ActorSystem[] {sender, host}) {
                    if (system != null) {
                        system.close();
                    }
                }
            }
        }
    }

    /** Sends {@link RemoteBenchmarks#REMOTE_TELLS} payloads in credit windows and awaits every acknowledgement. */
    private static void tells(ClusterNodes nodes, CountingSink sink) {
        byte[] payload = nodes.payload;
        for (int i = 0; i < RemoteBenchmarks.REMOTE_TELLS; i++) {
            if (i % RemoteBenchmarks.ACK_EVERY == 0) {
                nodes.takeCredit(RemoteBenchmarks.ACK_EVERY);
            }
            sink.payload(payload);
        }
        nodes.awaitAllAcknowledged();
    }

    /** @return messages delivered per second from one thread to an entity of the other node */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(RemoteBenchmarks.REMOTE_TELLS)
    public void entityTell(ClusterNodes nodes) {
        tells(nodes, nodes.entitySink);
    }

    /** @return messages delivered per second from one thread to a plain actor of the other node */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(RemoteBenchmarks.REMOTE_TELLS)
    public void directTell(ClusterNodes nodes) {
        tells(nodes, nodes.directSink);
    }

    /** The time each path of {@link #pairedTell} took in the current iteration (JMH secondary results). */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class PairTimes {
        /** Nanoseconds spent sending to the entity and awaiting every acknowledgement. */
        public long entityNanos;
        /** Nanoseconds spent sending to the plain actor and awaiting every acknowledgement. */
        public long directNanos;
        private long invocations;

        @Setup(Level.Iteration)
        public void reset() {
            entityNanos = 0;
            directNanos = 0;
        }
    }

    /**
     * @return messages delivered per second, the entity's and the plain actor's together; the
     *     time of each is in {@code times}
     */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(2 * RemoteBenchmarks.REMOTE_TELLS)
    public void pairedTell(ClusterNodes nodes, PairTimes times) {
        boolean entityFirst = (times.invocations++ & 1) == 0;
        long start = System.nanoTime();
        tells(nodes, entityFirst ? nodes.entitySink : nodes.directSink);
        long middle = System.nanoTime();
        tells(nodes, entityFirst ? nodes.directSink : nodes.entitySink);
        long end = System.nanoTime();
        times.entityNanos += entityFirst ? middle - start : end - middle;
        times.directNanos += entityFirst ? end - middle : middle - start;
    }

    /** @return the round trip of one ask to an entity of the other node */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int entityAsk(ClusterNodes nodes) throws Exception {
        return nodes.entityEcho.echo(42).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** @return the round trip of one ask to a plain actor of the other node */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int directAsk(ClusterNodes nodes) throws Exception {
        return nodes.directEcho.echo(42).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** @return the answer of an entity activated by this very ask, on the node that hosts it */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public int entityActivation(ClusterNodes nodes) throws Exception {
        Echo fresh = nodes.hostCluster.entity(Echo.class, "e" + nodes.nextId++);
        return fresh.echo(42).toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** @return a proxy of the actor registered under a name, looked up from another node */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Echo registryLookup(ClusterNodes nodes) {
        return nodes.senderCluster.lookup(Echo.class, ECHO_ID);
    }

    // ------------------------------------------------------------------ Pekko

    /** A single-node Pekko cluster with one echo actor registered with the receptionist. */
    @State(Scope.Benchmark)
    public static class PekkoClusterNode {
        static final ServiceKey<PekkoActors.Echo> KEY = ServiceKey.create(PekkoActors.Echo.class, ECHO_ID);

        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            system = org.apache.pekko.actor.typed.ActorSystem.create(SpawnProtocol.create(), "cluster",
                    PekkoActors.clusterConfig());
            org.apache.pekko.cluster.typed.Cluster cluster = org.apache.pekko.cluster.typed.Cluster.get(system);
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
            ClusterNodes.awaitTrue("the Pekko node is up", () -> cluster.selfMember().status() == MemberStatus.up());
            ActorRef<PekkoActors.Echo> echo = PekkoActors.spawn(system, PekkoActors.echoer(), ECHO_ID);
            system.receptionist().tell(Receptionist.register(KEY, echo));
            ClusterNodes.awaitTrue("the receptionist lists the echo actor", () -> find().getServiceInstances(KEY).contains(echo));
        }

        Receptionist.Listing find() {
            try {
                return AskPattern.<Receptionist.Command, Receptionist.Listing>ask(system.receptionist(),
                                replyTo -> Receptionist.find(KEY, replyTo), Duration.ofSeconds(WAIT_SECONDS),
                                system.scheduler())
                        .toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new IllegalStateException("Receptionist.find failed", e);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (system != null) {
                PekkoActors.terminate(system);
            }
        }
    }

    /** @return the listing of a service key, asked of the receptionist of a single-node Pekko cluster */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public Receptionist.Listing pekkoReceptionistFind(PekkoClusterNode node) {
        return node.find();
    }
}
