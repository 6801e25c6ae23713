package io.spinoff.runtime.remote;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.ActorSystemBuilder;
import io.spinoff.runtime.internal.remote.RemoteTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The child JVM of the multi-JVM tests: a node hosting a {@link RemoteEchoActor} at
 * {@code /user/echo}. Arguments: the node's name and port (0 for a free one), then options:
 * <ul>
 *   <li>{@code --fingerprint HEX}: pretend {@link RemoteEcho} has this fingerprint here, as a node
 *       built from a changed protocol would;</li>
 *   <li>{@code --curve PUBLIC SECRET}: CURVE on, with this key pair;</li>
 *   <li>{@code --allow-peer HOST:PORT PUBLIC}: with CURVE, trust that peer both ways;</li>
 *   <li>{@code --allow-client PUBLIC}: with CURVE, let a client with that key in;</li>
 *   <li>{@code --slow-sink MICROS}: also host a {@link SlowSinkActor} taking that long per message
 *       at {@code /user/slow};</li>
 *   <li>{@code --max-inbound-bytes N}: the node's inbound limit;</li>
 *   <li>{@code --client}: a client node (the port is ignored), which also hosts a
 *       {@link RemoteSinkActor} at {@code /user/sink};</li>
 *   <li>{@code --hog N}: also run N threads that spin as long as the node runs, to starve the machine.</li>
 * </ul>
 * It prints {@code READY <node name> <incarnation>} once bound, then answers commands read from
 * its standard input, one line each, until the input closes:
 * <ul>
 *   <li>{@code STATUS}: {@code STATUS <I/O thread alive> <dropped frames>};</li>
 *   <li>{@code ASK <address>}: asks {@code echo("ask")} of the {@link RemoteEcho} there and prints
 *       {@code ANSWER OK <reply>} or {@code ANSWER FAIL <exception class> <message>};</li>
 *   <li>{@code FLOW}: {@code FLOW <I/O thread alive> <taken> <out of order> <last seq> <dropped
 *       frames> <inbound dropped, all peers>} of the slow sink;</li>
 *   <li>{@code PINGS <address> N} (client only): tells the {@link RemoteEcho} there N pings whose
 *       pongs go to a new {@link RemoteSinkActor} {@code /user/pongs-N}, and prints {@code PONGS OK N} once all came back in order,
 *       or {@code PONGS FAIL <why>}.</li>
 * </ul>
 */
public final class RemoteTestNode {

    private RemoteTestNode() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        boolean client = java.util.List.of(args).contains("--client");
        ActorSystemBuilder builder = (client ? ActorSystem.builder(name).client()
                : ActorSystem.builder(name).bind("tcp://127.0.0.1:" + port))
                .heartbeatInterval(Duration.ofMillis(200)).downAfter(Duration.ofSeconds(3));
        Long fingerprint = null;
        CurveSettings curve = null;
        long slowMicros = -1;
        for (int i = 2; i < args.length; i++) {
            switch (args[i]) {
                case "--fingerprint" -> fingerprint = Long.parseUnsignedLong(args[++i], 16);
                case "--curve" -> {
                    curve = CurveSettings.of(new CurveKeyPair(args[i + 1], args[i + 2]));
                    i += 2;
                }
                case "--allow-peer" -> {
                    curve = curve.allowPeer(args[i + 1], args[i + 2]);
                    i += 2;
                }
                case "--allow-client" -> curve = curve.allowClient(args[++i]);
                case "--slow-sink" -> slowMicros = Long.parseLong(args[++i]);
                case "--max-inbound-bytes" -> builder.maxInboundBytes(Integer.parseInt(args[++i]));
                case "--client" -> {
                    // read above
                }
                case "--hog" -> {
                    for (int hog = Integer.parseInt(args[++i]); hog > 0; hog--) {
                        Thread.ofPlatform().daemon().name("cpu-hog-" + hog).start(RemoteTestNode::spin);
                    }
                }
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (curve != null) {
            builder.curve(curve);
        }
        try (ActorSystem system = builder.build()) {
            system.spawn(RemoteEcho.class, () -> new RemoteEchoActor(name), "echo");
            if (client) {
                system.spawn(RemoteSink.class, () -> new RemoteSinkActor(0), "sink");
            }
            SlowSinkActor[] slow = new SlowSinkActor[1];
            if (slowMicros >= 0) {
                long nanos = slowMicros * 1_000;
                system.spawn(SlowSink.class, () -> slow[0] = new SlowSinkActor(nanos), "slow");
            }
            RemoteTransport transport = io.spinoff.runtime.ActorSystemAccess.runtime(system).transport();
            if (fingerprint != null) {
                transport.overrideFingerprint(RemoteEcho.class.getName(), fingerprint);
            }
            System.out.println("READY " + transport.nodeName() + " " + transport.incarnation());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                String[] command = line.trim().split(" ");
                switch (command[0]) {
                    case "STATUS" -> System.out.println("STATUS " + ioThreadAlive(name) + " "
                            + system.metrics().droppedFrames());
                    case "ASK" -> System.out.println("ANSWER " + ask(system, command[1]));
                    case "FLOW" -> System.out.println("FLOW " + ioThreadAlive(name) + " " + slow[0].taken + " "
                            + slow[0].outOfOrder + " " + slow[0].last + " " + system.metrics().droppedFrames() + " "
                            + transport.peerStates().stream().mapToLong(io.spinoff.runtime.PeerInfo::getInboundDropped).sum());
                    case "PINGS" -> System.out.println("PONGS " + pings(system, command[1], Integer.parseInt(command[2])));
                    default -> System.out.println("UNKNOWN " + line);
                }
                System.out.flush();
            }
        }
    }

    /** Keeps a processor busy until the JVM exits. */
    private static void spin() {
        long spins = 0;
        while (spins != -1) {
            spins++;
        }
    }

    /** @return whether the node's remoting I/O thread runs */
    private static boolean ioThreadAlive(String systemName) {
        String threadName = "spinoff-" + systemName + "-remote-io";
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(thread -> thread.getName().equals(threadName) && thread.isAlive());
    }

    private static String pings(ActorSystem system, String address, int count) {
        RemoteSinkActor[] sink = new RemoteSinkActor[1];
        RemoteSink proxy = system.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(count), "pongs-" + count);
        RemoteEcho echo = system.lookup(RemoteEcho.class, address);
        for (int i = 0; i < count; i++) {
            echo.ping(i, proxy);
        }
        try {
            return "OK " + sink[0].done.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            return "FAIL " + String.valueOf(e).replace('\n', ' ');
        }
    }

    private static String ask(ActorSystem system, String address) {
        try {
            String reply = system.lookup(RemoteEcho.class, address).echo("ask").toCompletableFuture()
                    .get(10, TimeUnit.SECONDS);
            return "OK " + reply;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return "FAIL " + cause.getClass().getName() + " " + String.valueOf(cause.getMessage()).replace('\n', ' ');
        } catch (Exception e) {
            return "FAIL " + e.getClass().getName() + " " + String.valueOf(e.getMessage()).replace('\n', ' ');
        }
    }
}
