package io.spinoff.benchmarks;

import io.spinoff.api.support.ProtocolProxy;
import io.spinoff.benchmarks.Protocols.Echo;
import io.spinoff.benchmarks.Protocols.RemoteSink;
import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.SpawnProtocol;

/**
 * The second JVM of {@link RemoteBenchmarks}: a Spinoff or Pekko node on a free loopback port,
 * hosting the receiving actor of the tell benchmark at {@code /user/sink} and an echo actor at
 * {@code /user/echo}, on a pool of 2 threads like the first node. Once both are up it prints
 * {@code READY <address of sink> <address of echo>} and it runs until its standard input closes
 * (the benchmark closes it, or dies).
 *
 * <p>Usage: {@code RemoteBenchmarkNode spinoff|pekko}
 */
public final class RemoteBenchmarkNode {

    private RemoteBenchmarkNode() {}

    /**
     * @param args {@code spinoff} or {@code pekko}
     * @throws Exception if the node cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 1 || !args[0].equals("spinoff") && !args[0].equals("pekko")) {
            System.err.println("usage: RemoteBenchmarkNode spinoff|pekko");
            System.exit(2);
        }
        if (args[0].equals("spinoff")) {
            try (ActorSystem system = ActorSystem.builder("receiver").parallelism(2).throughput(64)
                    .bind("tcp://127.0.0.1:0").build()) {
                RemoteSink sink = system.spawn(RemoteSink.class,
                        () -> new SpinoffActors.RemoteCounter(system.metrics()), "sink");
                Echo echo = system.spawn(Echo.class, SpinoffActors.Echoer::new, "echo");
                ready(ProtocolProxy.actorRefOf(sink).address(), ProtocolProxy.actorRefOf(echo).address());
            }
        } else {
            org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system = PekkoActors.remoteSystem("receiver");
            try {
                AtomicLong deadLetters = PekkoActors.countDeadLetters(system);
                ActorRef<PekkoActors.RemoteSinkMessage> sink =
                        PekkoActors.spawn(system, PekkoActors.remoteCounter(deadLetters), "sink");
                ActorRef<PekkoActors.Echo> echo = PekkoActors.spawn(system, PekkoActors.echoer(), "echo");
                ActorRefResolver resolver = ActorRefResolver.get(system);
                ready(resolver.toSerializationFormat(sink), resolver.toSerializationFormat(echo));
            } finally {
                PekkoActors.terminate(system);
            }
        }
    }

    private static void ready(String sink, String echo) throws Exception {
        System.out.println("READY " + sink + " " + echo);
        System.out.flush();
        while (System.in.read() >= 0) {
            // runs until the benchmark closes our input
        }
    }
}
