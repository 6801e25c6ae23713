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
 * <p>Usage: {@code RemoteBenchmarkNode spinoff|pekko [PAYLOAD_BYTES [INBOUND_LANES]]}: the size
 * every payload must have (default {@value RemoteBenchmarks#PAYLOAD_BYTES}), and for Pekko the
 * number of Artery's inbound lanes (default 4, Artery's own).
 */
public final class RemoteBenchmarkNode {

    private RemoteBenchmarkNode() {}

    /**
     * @param args {@code spinoff} or {@code pekko}, then optionally the payload size and the
     *     inbound lanes
     * @throws Exception if the node cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || args.length > 3 || !args[0].equals("spinoff") && !args[0].equals("pekko")) {
            System.err.println("usage: RemoteBenchmarkNode spinoff|pekko [PAYLOAD_BYTES [INBOUND_LANES]]");
            System.exit(2);
        }
        int payloadBytes = args.length > 1 ? Integer.parseInt(args[1]) : RemoteBenchmarks.PAYLOAD_BYTES;
        int inboundLanes = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        if (args[0].equals("spinoff")) {
            // The inbound limit per actor (16 MiB by default) would drop what a window of large
            // payloads holds in flight; it is raised to the most a window may hold, which leaves the
            // default benchmark (2 MB in flight) as it was. Pekko has no such limit.
            try (ActorSystem system = ActorSystem.builder("receiver").parallelism(2).throughput(64)
                    .maxInboundBytes((int) (2 * RemoteBenchmarks.MAX_IN_FLIGHT_BYTES))
                    .bind("tcp://127.0.0.1:0").build()) {
                RemoteSink sink = system.spawn(RemoteSink.class,
                        () -> new SpinoffActors.RemoteCounter(system.metrics(), payloadBytes), "sink");
                Echo echo = system.spawn(Echo.class, SpinoffActors.Echoer::new, "echo");
                ready(ProtocolProxy.actorRefOf(sink).address(), ProtocolProxy.actorRefOf(echo).address());
            }
        } else {
            org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system = PekkoActors.remoteSystem("receiver", inboundLanes);
            try {
                AtomicLong deadLetters = PekkoActors.countDeadLetters(system);
                ActorRef<PekkoActors.RemoteSinkMessage> sink =
                        PekkoActors.spawn(system, PekkoActors.remoteCounter(deadLetters, payloadBytes), "sink");
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
