package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.cluster.Cluster;
import io.spinoff.cluster.ClusterSettings;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The member JVM of {@link FailoverBenchmark}, the one that is killed: a Spinoff node on a free
 * loopback port, on a pool of 2 threads, that joins the cluster given on its command line with the
 * given session timeout and hosts the {@link Located} entities. Once it has joined it prints
 * {@code READY <node name>} and runs until its standard input closes, or until it is killed.
 *
 * <p>Usage: {@code FailoverMember CONNECT PATH SESSION_MILLIS}
 */
public final class FailoverMember {

    private FailoverMember() {}

    /** An entity that tells on which node it runs. */
    @ActorProtocol
    public interface Located {
        /** @return the name of the node the entity runs on, {@code name@host:port} */
        CompletionStage<String> node();
    }

    /** The {@link Located} entity. */
    static final class LocatedActor extends Actor implements Located {
        @Override
        public CompletionStage<String> node() {
            return CompletableFuture.completedFuture(context().system().address());
        }
    }

    /**
     * @param args the ZooKeeper ensemble, the cluster's path, the session timeout in milliseconds
     * @throws Exception if the node cannot start or join
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: FailoverMember CONNECT PATH SESSION_MILLIS");
            System.exit(2);
        }
        ClusterSettings settings = ClusterSettings.zookeeper(args[0], args[1])
                .withSessionTimeout(Duration.ofMillis(Long.parseLong(args[2])));
        try (ActorSystem system = ActorSystem.builder("member").parallelism(2).throughput(64)
                .bind("tcp://127.0.0.1:0").build()) {
            Cluster cluster = Cluster.join(system, settings);
            cluster.entities(Located.class).host(id -> new LocatedActor());
            System.out.println("READY " + cluster.self());
            System.out.flush();
            while (System.in.read() >= 0) {
                // runs until the benchmark closes our input, or kills this JVM
            }
        }
    }
}
