package io.spinoff.cluster;

import static io.spinoff.cluster.ClusterTestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three member JVMs started with the node launcher's {@code --cluster} option host the accounts;
 * this JVM keeps the ZooKeeper server and the checker. One member is killed with SIGKILL: its
 * entities come back on the survivors once its session expires, no entity is ever active twice,
 * and the survivors' entities never stop answering.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class KillMemberMultiJvmTest {

    private static final Duration SESSION = Duration.ofSeconds(2);
    private static final int IDS = 150;

    private static final class Member implements AutoCloseable {
        final Process process;
        final String node;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Member(String name, String connect) throws IOException {
            int port = ClusterTestSupport.freePort();
            this.node = name + "@127.0.0.1:" + port;
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder builder = new ProcessBuilder(java, "-Xmx256m",
                    "-Djava.util.logging.config.file=" + System.getProperty("java.util.logging.config.file", ""),
                    "-cp", System.getProperty("java.class.path"), "io.spinoff.runtime.Node", "--name", name,
                    "--bind", "tcp://127.0.0.1:" + port, "--cluster", "zk://" + connect + "/spinoff?session=" + SESSION.toMillis() + "ms",
                    "--actor", AccountHost.class.getName(), "--no-jmx").redirectErrorStream(true);
            process = builder.start();
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // The process ended.
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    @Test
    void theEntitiesOfAKilledMemberComeBackOnTheSurvivorsWithoutEverRunningTwice() throws Exception {
        ClusterSettings settings = ClusterSettings.embedded().withSessionTimeout(SESSION);
        List<Member> members = new ArrayList<>();
        try (ClusterTestSupport nodes = new ClusterTestSupport(settings)) {
            ActorSystem testSystem = nodes.node("test");
            Cluster cluster = nodes.join(testSystem);
            Checker checker = testSystem.spawn(Checker.class, CheckerActor::new, "checker");
            cluster.register("checker", checker);
            String connect = settings.connectString();
            for (String name : List.of("m1", "m2", "m3")) {
                members.add(new Member(name, connect));
            }
            assertTrue(eventually(Duration.ofSeconds(60), () -> cluster.members().stream()
                    .filter(m -> !m.entities().isEmpty()).count() == 3), "three hosting members: " + cluster.members()
                    + members.get(0).lines);

            for (int i = 0; i < IDS; i++) {
                assertEquals(1L, cluster.entity(Account.class, "k" + i).add(1).toCompletableFuture().get(30, TimeUnit.SECONDS));
            }
            // Where each runs, read twice half a second apart until both agree: the leader may still
            // be moving shards to the members that joined last.
            Map<String, String> where = placement(cluster);
            for (Map<String, String> again = null; !where.equals(again); ) {
                Thread.sleep(500);
                again = where;
                where = placement(cluster);
            }
            Member victim = members.get(0);
            List<String> victims = where.entrySet().stream().filter(e -> e.getValue().equals(victim.node))
                    .map(Map.Entry::getKey).toList();
            List<String> survivors = where.entrySet().stream().filter(e -> !e.getValue().equals(victim.node))
                    .map(Map.Entry::getKey).toList();
            assertTrue(victims.size() > IDS / 6, "the victim runs a share of the entities: " + victims.size());

            victim.process.destroyForcibly();
            assertTrue(victim.process.waitFor(10, TimeUnit.SECONDS));
            long killedAt = System.nanoTime();
            checker.nodeDead(victim.node).toCompletableFuture().get(10, TimeUnit.SECONDS);

            // The survivors' entities answer all along.
            for (String id : survivors) {
                try {
                    cluster.entity(Account.class, id).add(1).toCompletableFuture().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    System.out.println("An ask to survivor entity " + id + " failed; it was on " + where.get(id) + " shard "
                            + io.spinoff.cluster.internal.ShardAllocator.shardOf(id, 1024) + " after "
                            + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt) + " ms: " + e);
                    throw e;
                }
            }
            // The victim's come back elsewhere, as new activations, once its session expires. Asks
            // sent as soon as this node sees the victim removed (its leases may not have been seen
            // to go yet) wait for the new owner: none goes to the dead member.
            assertTrue(eventually(SESSION.plusSeconds(10), () -> cluster.members().stream()
                    .noneMatch(m -> m.node().equals(victim.node))), "the victim is removed");
            List<CompletableFuture<Long>> back = new ArrayList<>();
            for (String id : victims) {
                back.add(cluster.entity(Account.class, id).add(1).toCompletableFuture());
            }
            for (int i = 0; i < victims.size(); i++) {
                assertEquals(1L, back.get(i).get(SESSION.plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS),
                        victims.get(i) + " answered by a new activation");
            }
            long failoverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
            for (String id : victims) {
                String now = cluster.entity(Account.class, id).node().toCompletableFuture().get(10, TimeUnit.SECONDS);
                assertTrue(!now.equals(victim.node), id + " still on the victim");
            }
            assertTrue(failoverMillis < SESSION.plusSeconds(5).toMillis(),
                    "every entity of the killed member answered again " + failoverMillis + " ms after the kill");
            System.out.println("kill -9 of a member: its " + victims.size() + " entities answered again on the survivors "
                    + failoverMillis + " ms after the kill (session timeout " + SESSION.toMillis() + " ms)");
            assertEquals(List.of(), checker.violations().toCompletableFuture().get(10, TimeUnit.SECONDS));
            int activations = checker.activations().toCompletableFuture().get(10, TimeUnit.SECONDS);
            // Each id at least once, the victim's once more; an id may also have moved while the
            // members joined, before the test began.
            assertTrue(activations >= IDS + victims.size(), "activations: " + activations);
        } finally {
            for (Member member : members) {
                member.close();
            }
        }
    }

    private static Map<String, String> placement(Cluster cluster) throws Exception {
        Map<String, String> where = new HashMap<>();
        for (int i = 0; i < IDS; i++) {
            String id = "k" + i;
            where.put(id, cluster.entity(Account.class, id).node().toCompletableFuture().get(30, TimeUnit.SECONDS));
        }
        return where;
    }
}
