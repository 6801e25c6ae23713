package io.spinoff.cluster;

import static io.spinoff.cluster.ClusterTestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EntitiesTest {

    private final ActivationLog log = new ActivationLog();
    private final Ledger ledger = new Ledger();

    private Cluster host(ClusterTestSupport nodes, String name) throws Exception {
        Cluster cluster = nodes.member(name);
        cluster.entities(Account.class).host(id -> new AccountActor(id, log, ledger));
        return cluster;
    }

    @Test
    void anEntityIsActivatedOnItsFirstMessageOnOneMemberAndReachedFromEveryNode() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            Cluster alpha = host(nodes, "alpha");
            Cluster beta = host(nodes, "beta");
            Cluster gamma = host(nodes, "gamma");
            List<Cluster> all = List.of(alpha, beta, gamma);
            Set<String> where = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                String id = "acct-" + i;
                for (Cluster from : all) {
                    Account account = from.entity(Account.class, id);
                    account.deposit(1);
                    assertEquals(2L * all.indexOf(from) + 2, account.add(1).toCompletableFuture().get(10, TimeUnit.SECONDS));
                }
                where.add(alpha.entity(Account.class, id).node().toCompletableFuture().get(10, TimeUnit.SECONDS));
            }
            assertEquals(60, log.activations(), "one activation per id");
            assertEquals(List.of(), log.violations());
            assertEquals(3, where.size(), "the entities are spread over the three members: " + where);
            assertEquals(360, ledger.total());
            int shards = alpha.entities(Account.class).ownedShards() + beta.entities(Account.class).ownedShards()
                    + gamma.entities(Account.class).ownedShards();
            assertEquals(ClusterSettings.DEFAULT_SHARDS, shards);
        }
    }

    @Test
    void watchingOrStoppingAnEntityThroughItsProxyIsRefusedWithTheReason() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            ActorSystem system = nodes.node("alpha");
            Cluster alpha = nodes.join(system);
            Account account = alpha.entity(Account.class, "watched");
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> system.whenTerminated(account));
            assertTrue(refused.getMessage().contains("/cluster/Account/watched is an entity")
                    && refused.getMessage().contains("postStop"), refused.getMessage());
            // Nor can it be stopped from outside: it would come back at its next message.
            IllegalArgumentException notStopped = assertThrows(IllegalArgumentException.class, () -> system.stop(account));
            assertTrue(notStopped.getMessage().contains("/cluster/Account/watched is an entity")
                    && notStopped.getMessage().contains("stops itself"), notStopped.getMessage());
        }
    }

    @Test
    void anIdleEntityIsPassivatedAndTheNextMessageActivatesItAgain() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            Cluster alpha = nodes.member("alpha");
            alpha.entities(Account.class).passivateAfter(Duration.ofMillis(300))
                    .host(id -> new AccountActor(id, log, ledger));
            Account account = alpha.entity(Account.class, "sleepy");
            assertEquals(5L, account.add(5).toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertTrue(eventually(Duration.ofSeconds(5), () -> log.stops() == 1), "passivated: postStop ran");
            assertEquals(1, alpha.entities(Account.class).passivations());
            assertEquals(0, alpha.entities(Account.class).active());
            assertEquals(7L, account.add(7).toCompletableFuture().get(10, TimeUnit.SECONDS), "a new activation, from 0");
            assertEquals(2, log.activations());
            assertEquals(List.of(), log.violations());
        }
    }

    @Test
    void aMemberThatJoinsTakesShardsWhileMessagesFlowAndNothingIsLostOrActiveTwice() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            Cluster alpha = host(nodes, "alpha");
            Cluster beta = host(nodes, "beta");
            ActorSystem clientSystem = ActorSystem.builder("client").client().jmx(false).build();
            try {
                Cluster client = nodes.join(clientSystem);
                CompletableFuture<Long> sent = CompletableFuture.supplyAsync(() -> {
                    long total = 0;
                    List<CompletableFuture<Long>> asks = new ArrayList<>();
                    for (int round = 0; round < 40; round++) {
                        for (int i = 0; i < 50; i++) {
                            asks.add(client.entity(Account.class, "a" + i).add(1).toCompletableFuture());
                            total++;
                        }
                        try {
                            Thread.sleep(25);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    CompletableFuture.allOf(asks.toArray(CompletableFuture[]::new)).join();
                    return total;
                });
                Thread.sleep(200);
                Cluster gamma = host(nodes, "gamma");
                long total = sent.get(60, TimeUnit.SECONDS);
                assertEquals(total, ledger.total(), "every ask was answered by an entity");
                assertTrue(eventually(Duration.ofSeconds(10), () -> gamma.entities(Account.class).ownedShards() > 300),
                        "gamma owns a third of the shards: " + gamma.entities(Account.class).ownedShards());
                assertEquals(List.of(), log.violations());
                assertTrue(log.stops() > 0, "entities of the shards that moved were stopped before their move: "
                        + log.activations() + " activations, " + log.stops() + " stops, active: " + log.active()
                        + "; gamma owns " + gamma.entities(Account.class).ownedShards() + ", alpha "
                        + alpha.entities(Account.class).ownedShards() + ", beta " + beta.entities(Account.class).ownedShards());
                assertTrue(alpha.entities(Account.class).ownedShards() + beta.entities(Account.class).ownedShards()
                        + gamma.entities(Account.class).ownedShards() <= ClusterSettings.DEFAULT_SHARDS);
            } finally {
                clientSystem.close();
            }
        }
    }
}
