package io.spinoff.cluster;

import io.spinoff.runtime.ActorSystem;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Nodes on loopback joined to one embedded ZooKeeper server, closed together. */
final class ClusterTestSupport implements AutoCloseable {

    /** Short, so that expiry tests are quick: the embedded server allows 1 to 10 s. */
    static final Duration SESSION = Duration.ofSeconds(2);

    final ClusterSettings settings;
    /** How long a silent peer takes to be declared down; longer for the tests that load the machine. */
    private Duration downAfter = Duration.ofSeconds(3);
    private final List<ActorSystem> systems = new ArrayList<>();
    private final List<Cluster> clusters = new ArrayList<>();

    ClusterTestSupport() {
        this(ClusterSettings.embedded().withSessionTimeout(SESSION));
    }

    ClusterTestSupport(ClusterSettings settings) {
        this.settings = settings;
    }

    /** @return this, its nodes declaring a silent peer down after that long */
    ClusterTestSupport withDownAfter(Duration after) {
        this.downAfter = after;
        return this;
    }

    /** @return a node bound on a free loopback port */
    ActorSystem node(String name) throws IOException {
        ActorSystem system = ActorSystem.builder(name).bind("tcp://127.0.0.1:" + freePort())
                .askTimeout(Duration.ofSeconds(30)).heartbeatInterval(Duration.ofMillis(200)).downAfter(downAfter).jmx(false).build();
        synchronized (systems) {
            systems.add(system);
        }
        return system;
    }

    /** @return a new node, joined */
    Cluster member(String name) throws IOException {
        return join(node(name));
    }

    Cluster join(ActorSystem system) {
        Cluster cluster = Cluster.join(system, settings);
        synchronized (clusters) {
            clusters.add(cluster);
        }
        return cluster;
    }

    /** @return a loopback port to bind later, below the range outgoing connections take theirs from */
    static int freePort() throws IOException {
        return io.spinoff.testkit.LoopbackPorts.free();
    }

    static boolean eventually(Duration within, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @Override
    public void close() {
        List<Cluster> joined;
        synchronized (clusters) {
            joined = new ArrayList<>(clusters);
        }
        for (Cluster cluster : joined) {
            cluster.leave();
        }
        List<ActorSystem> made;
        synchronized (systems) {
            made = new ArrayList<>(systems);
        }
        for (ActorSystem system : made) {
            system.close();
        }
    }
}
