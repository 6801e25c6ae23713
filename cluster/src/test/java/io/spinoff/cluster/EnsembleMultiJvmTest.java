package io.spinoff.cluster;

import static io.spinoff.cluster.ClusterTestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cluster kept in a real 3-server ZooKeeper ensemble, each server a JVM of its own
 * ({@code QuorumPeerMain}). The ensemble's leader is killed with SIGKILL while a client asks the
 * entities without pause: the two other servers elect a new leader, the members' sessions survive,
 * every ask is answered and no entity is ever active twice. With the whole ensemble down, members
 * stop their entities (they cannot tell an outage from a partition of their own) and asks wait;
 * once the ensemble is back, with the same data, the sessions survive and every ask is answered.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EnsembleMultiJvmTest {

    private final ActivationLog log = new ActivationLog();
    private final Ledger ledger = new Ledger();

    private record Server(int id, int clientPort, Process process) {}

    private static Server start(Path folder, int id, int[] clientPorts, int[] quorumPorts, int[] electionPorts)
            throws IOException {
        Path data = Files.createDirectories(folder.resolve("zk" + id));
        Files.writeString(data.resolve("myid"), Integer.toString(id));
        StringBuilder config = new StringBuilder();
        config.append("tickTime=500\ninitLimit=10\nsyncLimit=5\n");
        config.append("dataDir=").append(data).append('\n');
        config.append("clientPort=").append(clientPorts[id - 1]).append("\nclientPortAddress=127.0.0.1\n");
        config.append("admin.enableServer=false\n4lw.commands.whitelist=srvr\n");
        for (int i = 1; i <= 3; i++) {
            config.append("server.").append(i).append("=127.0.0.1:").append(quorumPorts[i - 1]).append(':')
                    .append(electionPorts[i - 1]).append('\n');
        }
        Path file = folder.resolve("zoo" + id + ".cfg");
        Files.writeString(file, config);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-Xmx96m",
                "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                "-cp", System.getProperty("java.class.path"), "org.apache.zookeeper.server.quorum.QuorumPeerMain",
                file.toString()).redirectErrorStream(true).redirectOutput(folder.resolve("zk" + id + ".log").toFile())
                .start();
        return new Server(id, clientPorts[id - 1], process);
    }

    /** Three servers on loopback ports of their own, their data kept in a folder across restarts. */
    private static final class Ensemble {
        final Path folder;
        final int[] client = new int[3];
        final int[] quorum = new int[3];
        final int[] election = new int[3];
        final List<Server> servers = new ArrayList<>();

        Ensemble(Path folder) throws IOException {
            this.folder = folder;
            for (int i = 0; i < 3; i++) {
                client[i] = ClusterTestSupport.freePort();
                quorum[i] = ClusterTestSupport.freePort();
                election[i] = ClusterTestSupport.freePort();
            }
        }

        /** Starts the three servers and waits until they form a quorum. */
        void startAll() throws Exception {
            for (int id = 1; id <= 3; id++) {
                servers.add(start(folder, id, client, quorum, election));
            }
            assertTrue(eventually(Duration.ofSeconds(60), () -> servers.stream().map(EnsembleMultiJvmTest::mode)
                    .filter(m -> m.equals("leader") || m.equals("follower")).count() == 3), "the ensemble is up");
        }

        ClusterSettings settings() {
            String connect = "127.0.0.1:" + client[0] + ",127.0.0.1:" + client[1] + ",127.0.0.1:" + client[2];
            return ClusterSettings.zookeeper(connect, "/spinoff").withSessionTimeout(Duration.ofSeconds(10));
        }
    }

    /** @return the server's mode (leader, follower), from its {@code srvr} command, or "" */
    private static String mode(Server server) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.clientPort()), 1000);
            socket.setSoTimeout(2000);
            OutputStream out = socket.getOutputStream();
            out.write("srvr".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            for (String line : reply.split("\n")) {
                if (line.startsWith("Mode: ")) {
                    return line.substring("Mode: ".length()).strip();
                }
            }
        } catch (IOException e) {
            // Not serving.
        }
        return "";
    }

    @Test
    void withTheWholeEnsembleDownEntitiesKeepRunningAndNothingMoves(@TempDir Path folder) throws Exception {
        Ensemble ensemble = new Ensemble(folder);
        List<Server> servers = ensemble.servers;
        try {
            ensemble.startAll();
            ClusterSettings settings = ensemble.settings();
            try (ClusterTestSupport nodes = new ClusterTestSupport(settings)) {
                Cluster alpha = nodes.member("alpha");
                alpha.entities(Account.class).host(id -> new AccountActor(id, log, ledger));
                Cluster viewer = nodes.member("viewer");
                assertTrue(eventually(Duration.ofSeconds(20),
                        () -> alpha.entities(Account.class).ownedShards() == ClusterSettings.DEFAULT_SHARDS), "shards owned");
                for (int i = 0; i < 20; i++) {
                    viewer.entity(Account.class, "d" + i).add(1).toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
                int activationsBefore = log.activations();
                for (Server server : servers) {
                    server.process().destroyForcibly();
                    server.process().waitFor(10, TimeUnit.SECONDS);
                }
                // Both members are out of touch; each asks the other, who does not reach ZooKeeper
                // either: no session can expire, so alpha keeps its entities. Past the whole session
                // timeout (10 s), the entities still answer from their first activation.
                long outageStart = System.nanoTime();
                long expected = 1;
                while (System.nanoTime() - outageStart < settings.sessionTimeout().plusSeconds(2).toNanos()) {
                    expected++;
                    for (int i = 0; i < 20; i++) {
                        assertEquals(expected, viewer.entity(Account.class, "d" + i).add(1).toCompletableFuture()
                                .get(10, TimeUnit.SECONDS), "answered by the same activation during the outage");
                    }
                    assertEquals(20, alpha.entities(Account.class).active(), "alpha keeps its entities");
                    Thread.sleep(1000);
                }
                servers.clear();
                ensemble.startAll();
                // Leadership is given up while out of touch; a leader again means back in touch.
                assertTrue(eventually(Duration.ofSeconds(30), () -> alpha.isLeader() || viewer.isLeader()),
                        "back in touch with ZooKeeper");
                for (int i = 0; i < 20; i++) {
                    assertEquals(expected + 1, viewer.entity(Account.class, "d" + i).add(1).toCompletableFuture()
                            .get(30, TimeUnit.SECONDS), "still the same activation once ZooKeeper is back");
                }
                assertEquals(20 * (expected + 1), ledger.total(), "nothing lost, nothing twice");
                assertEquals(activationsBefore, log.activations(), "nothing was activated again");
                assertEquals(List.of(), log.violations());
                assertEquals(ClusterSettings.DEFAULT_SHARDS, alpha.entities(Account.class).ownedShards(), "nothing moved");
                assertEquals(2, viewer.members().size(), "both sessions survived the outage");
            }
        } finally {
            for (Server server : servers) {
                server.process().destroyForcibly();
                server.process().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void killingTheEnsemblesLeaderKeepsTheClusterServing(@TempDir Path folder) throws Exception {
        Ensemble ensemble = new Ensemble(folder);
        List<Server> servers = ensemble.servers;
        try {
            ensemble.startAll();
            ClusterSettings settings = ensemble.settings();
            try (ClusterTestSupport nodes = new ClusterTestSupport(settings)) {
                Cluster alpha = nodes.member("alpha");
                alpha.entities(Account.class).host(id -> new AccountActor(id, log, ledger));
                Cluster beta = nodes.member("beta");
                beta.entities(Account.class).host(id -> new AccountActor(id, log, ledger));
                Cluster viewer = nodes.member("viewer");
                assertTrue(eventually(Duration.ofSeconds(20), () -> alpha.entities(Account.class).ownedShards()
                        + beta.entities(Account.class).ownedShards() == ClusterSettings.DEFAULT_SHARDS), "shards owned");

                AtomicBoolean sending = new AtomicBoolean(true);
                AtomicLong answered = new AtomicLong();
                CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                    while (sending.get()) {
                        List<CompletableFuture<Long>> round = new ArrayList<>();
                        for (int i = 0; i < 50; i++) {
                            round.add(viewer.entity(Account.class, "e" + i).add(1).toCompletableFuture());
                        }
                        for (CompletableFuture<Long> ask : round) {
                            ask.join();
                            answered.incrementAndGet();
                        }
                    }
                });
                Thread.sleep(1000);
                Server leader = servers.stream().filter(s -> mode(s).equals("leader")).findFirst().orElseThrow();
                long killedAt = System.nanoTime();
                leader.process().destroyForcibly();
                assertTrue(leader.process().waitFor(10, TimeUnit.SECONDS));
                List<Server> rest = servers.stream().filter(s -> s != leader).toList();
                assertTrue(eventually(Duration.ofSeconds(30), () -> rest.stream().anyMatch(s -> mode(s).equals("leader"))),
                        "the two others elect a leader");
                long electedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                long before = answered.get();
                assertTrue(eventually(Duration.ofSeconds(30), () -> answered.get() > before + 500),
                        "the entities answer again");
                long servingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
                sending.set(false);
                sender.get(60, TimeUnit.SECONDS);
                assertEquals(answered.get(), ledger.total(), "every ask answered, each once");
                assertEquals(List.of(), log.violations());
                assertEquals(3, viewer.members().size(), "no member's session expired");
                System.out.println("ensemble leader killed: a new leader after " + electedMillis + " ms, asks answered"
                        + " again within " + servingMillis + " ms; " + answered.get() + " asks, all answered");
            }
        } finally {
            for (Server server : servers) {
                server.process().destroyForcibly();
                server.process().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
