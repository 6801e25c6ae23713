package io.spinoff.benchmarks;

import io.spinoff.benchmarks.FailoverMember.Located;
import io.spinoff.cluster.Cluster;
import io.spinoff.cluster.ClusterSettings;
import io.spinoff.cluster.Entities;
import io.spinoff.cluster.MemberEvent;
import io.spinoff.cluster.Subscription;
import io.spinoff.runtime.ActorSystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Failover after {@code kill -9}: the time from killing (SIGKILL) a member JVM that runs an entity
 * until the entity answers again, activated anew on the surviving member.
 *
 * <p>This JVM keeps the cluster's embedded ZooKeeper server and the surviving member, which hosts
 * the {@link Located} entities from the start and is the cluster's leader (it joined first). For
 * each invocation, not measured, a second member JVM ({@link FailoverMember}, same java binary and
 * class path) joins with the same session timeout and hosts the same protocol; the leader moves
 * half of the shards to it, and an entity id whose shard it now holds is chosen by asking fresh
 * ids on which node they run until one answers from the new member, which activates it there.
 *
 * <p>The measured part: {@link Process#destroyForcibly()} (SIGKILL) on that member, then an ask to
 * the entity every {@value #RETRY_MILLIS} ms, earlier asks left pending, until one is answered
 * from the survivor. The time covers the expiry of the killed member's ZooKeeper session
 * ({@link #SESSION}), the leader's reassignment of its shards, the survivor's acquisition of the
 * shard's lease, and the entity's activation there and its answer. The killed JVM is reaped after
 * each invocation, and the next one starts once the survivor owns every shard again.
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FailoverBenchmark {

    /** The ZooKeeper session timeout of both members, as in the cluster's kill test. */
    static final Duration SESSION = Duration.ofSeconds(2);
    /** How often the measured loop sends another ask while no answer has come. */
    static final long RETRY_MILLIS = 5;
    private static final long WAIT_SECONDS = 60;
    private static final String CHILD_HEAP = "-Xmx256m";

    /** The cluster, the surviving member in this JVM, and the member JVM of the invocation. */
    @State(Scope.Benchmark)
    public static class Members {
        ClusterSettings settings;
        ActorSystem system;
        Cluster cluster;
        Entities<Located> located;
        /** The survivor's node name. */
        String self;
        /** The member JVM of this invocation, its node name, and the entity it runs. */
        Process child;
        volatile String childNode;
        Located entity;
        int invocation;
        /** When the member JVM was killed, when the survivor saw it removed, when the entity answered. */
        long killedAt;
        volatile long removedAt;
        long answeredAt;
        Subscription removals;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            settings = ClusterSettings.embedded().withSessionTimeout(SESSION);
            system = ActorSystem.builder("survivor").parallelism(2).throughput(64).bind("tcp://127.0.0.1:0").build();
            cluster = Cluster.join(system, settings);
            located = cluster.entities(Located.class).host(id -> new FailoverMember.LocatedActor());
            self = cluster.self();
            removals = cluster.subscribe(event -> {
                if (event instanceof MemberEvent.MemberRemoved removed && removed.member().node().equals(childNode)) {
                    removedAt = System.nanoTime();
                }
            });
            awaitTrue("the survivor owns every shard", () -> located.ownedShards() == settings.shards());
        }

        @Setup(Level.Invocation)
        public void startMember() throws Exception {
            invocation++;
            // On a loaded machine a member can fail to load the cluster's state within the session
            // timeout and exit; that is part of the setup, not of the failover: start another.
            for (int attempt = 1; childNode == null; attempt++) {
                child = startChild();
                childNode = awaitReady(child);
                if (childNode == null) {
                    int status = child.waitFor();
                    if (attempt == 3) {
                        throw new IllegalStateException("The member JVM exited with status " + status
                                + " before it was ready, " + attempt + " times; its error output is above.");
                    }
                    System.out.println("[failover] the member JVM exited with status " + status
                            + " before it was ready; starting another");
                }
            }
            // The leader (the survivor) balances the shards: half of them move to the new member.
            awaitTrue("half of the shards moved to " + childNode,
                    () -> located.ownedShards() == settings.shards() / 2);
            for (int k = 0; entity == null; k++) {
                if (k == 1000) {
                    throw new IllegalStateException("No entity id of 1000 landed on " + childNode + ".");
                }
                Located candidate = cluster.entity(Located.class, "f" + invocation + "-" + k);
                String node = candidate.node().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
                if (node.equals(childNode)) {
                    entity = candidate;
                }
            }
        }

        private Process startChild() throws IOException {
            String java = ProcessHandle.current().info().command()
                    .orElseThrow(() -> new IllegalStateException("Cannot tell which java binary runs this JVM."));
            return new ProcessBuilder(java, CHILD_HEAP, "-cp", System.getProperty("java.class.path"),
                    FailoverMember.class.getName(), settings.connectString(), settings.path(),
                    Long.toString(SESSION.toMillis()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        }

        /** @return the member's node name from its {@code READY} line, or null if it exited first */
        private static String awaitReady(Process process) throws Exception {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> ready = new CompletableFuture<>();
            Thread.ofPlatform().daemon(true).name("failover-member-output-" + process.pid()).start(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (!ready.isDone() && line.startsWith("READY ")) {
                            ready.complete(line.substring("READY ".length()));
                        } else {
                            System.out.println("[member] " + line);
                        }
                    }
                } catch (IOException e) {
                    // the child is gone
                }
                ready.complete(null);
            });
            return ready.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }

        @TearDown(Level.Invocation)
        public void reapMember() throws Exception {
            entity = null;
            awaitTrue("the survivor saw " + childNode + " removed", () -> removedAt != 0);
            // One line per kill, for the breakdown: the session's expiry as the survivor saw it, and the answer.
            System.out.printf("[failover] kill %d: %s removed after %.0f ms, entity answered after %.0f ms%n",
                    invocation, childNode, (removedAt - killedAt) / 1e6, (answeredAt - killedAt) / 1e6);
            removedAt = 0;
            childNode = null;
            if (child.isAlive()) {
                child.destroyForcibly();
            }
            if (!child.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("The member JVM " + child.pid() + " did not end.");
            }
            child.getOutputStream().close();
            awaitTrue("the survivor owns every shard again", () -> located.ownedShards() == settings.shards()
                    && cluster.members().size() == 1);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (removals != null) {
                removals.close();
            }
            if (child != null && child.isAlive()) {
                child.destroyForcibly();
            }
            if (cluster != null) {
                cluster.leave();
            }
            if (system != null) {
                system.close();
            }
        }
    }

    private static void awaitTrue(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("Not within " + WAIT_SECONDS + " s: " + what + ".");
            }
            Thread.sleep(10);
        }
    }

    /** @return the node that answered after the kill: the survivor */
    @Benchmark
    public String failoverAfterKill(Members members) throws Exception {
        Located entity = members.entity;
        String survivor = members.self;
        CompletableFuture<String> answered = new CompletableFuture<>();
        members.killedAt = System.nanoTime();
        members.child.destroyForcibly();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (true) {
            entity.node().whenComplete((node, failure) -> {
                if (survivor.equals(node)) {
                    answered.complete(node);
                }
            });
            try {
                String node = answered.get(RETRY_MILLIS, TimeUnit.MILLISECONDS);
                members.answeredAt = System.nanoTime();
                return node;
            } catch (TimeoutException e) {
                if (System.nanoTime() - deadline > 0) {
                    throw new IllegalStateException("The entity did not answer from " + survivor + " within "
                            + WAIT_SECONDS + " s of the kill.");
                }
            }
        }
    }
}
