package io.spinoff.cluster;

import static io.spinoff.cluster.ClusterTestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member cut off from ZooKeeper while it keeps running must stop its entities before another
 * member can take their shards; the checker sees every activation and stop of both members.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FencingTest {

    private final ActivationLog log = new ActivationLog();
    private final Ledger ledger = new Ledger();

    @Test
    void aMemberCutOffFromZooKeeperStopsItsEntitiesBeforeAnotherTakesThem() throws Exception {
        ClusterSettings shared = ClusterSettings.embedded().withSessionTimeout(ClusterTestSupport.SESSION);
        try (ClusterTestSupport nodes = new ClusterTestSupport(shared);
                CutProxy proxy = new CutProxy(shared.connectString())) {
            Cluster beta = nodes.member("beta");
            beta.entities(Account.class).host(id -> new AccountActor(id, log, ledger));
            // Alpha reaches ZooKeeper only through the proxy; its session is as short as beta's.
            ClusterTestSupport viaProxy = new ClusterTestSupport(ClusterSettings.zookeeper(proxy.connectString(), "/spinoff")
                    .withSessionTimeout(ClusterTestSupport.SESSION));
            try (viaProxy) {
                Cluster alpha = viaProxy.member("alpha");
                alpha.entities(Account.class).host(id -> new AccountActor(id, log, ledger));
                assertTrue(eventually(Duration.ofSeconds(10), () -> alpha.entities(Account.class).ownedShards() > 400
                        && beta.entities(Account.class).ownedShards() > 400), "both own shards");
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    ids.add("f" + i);
                }
                for (String id : ids) {
                    beta.entity(Account.class, id).add(1).toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
                long onAlpha = log.active().values().stream().filter(node -> node.equals(alpha.self())).count();
                assertTrue(onAlpha > 20, "alpha runs some of them: " + onAlpha);

                AtomicBoolean sending = new AtomicBoolean(true);
                AtomicLong answered = new AtomicLong();
                AtomicLong failed = new AtomicLong();
                CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                    while (sending.get()) {
                        List<CompletableFuture<Long>> round = new ArrayList<>();
                        for (String id : ids) {
                            round.add(beta.entity(Account.class, id).add(1).toCompletableFuture());
                        }
                        for (CompletableFuture<Long> ask : round) {
                            try {
                                ask.orTimeout(30, TimeUnit.SECONDS).join();
                                answered.incrementAndGet();
                            } catch (java.util.concurrent.CompletionException e) {
                                // Sent to alpha while it held the shard, then alpha was removed: the
                                // sender cannot know whether it ran (at most once).
                                assertTrue(e.getCause() instanceof io.spinoff.runtime.remote.NodeUnreachableException,
                                        "only asks to the removed member fail: " + e);
                                failed.incrementAndGet();
                            }
                        }
                    }
                });
                Thread.sleep(200);
                long cutAt = System.nanoTime();
                proxy.cut();
                // Within two thirds of the session timeout, alpha learns it is cut off and stops
                // its entities; the server expires its session after the whole timeout and beta
                // takes the shards.
                assertTrue(eventually(Duration.ofSeconds(10), () -> log.active().values().stream()
                        .noneMatch(node -> node.equals(alpha.self()))), "alpha stopped its entities");
                long stoppedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
                assertTrue(eventually(Duration.ofSeconds(20),
                        () -> beta.entities(Account.class).ownedShards() == ClusterSettings.DEFAULT_SHARDS),
                        "beta owns every shard: " + beta.entities(Account.class).ownedShards());
                // Messages forwarded to alpha while it was cut off wait there until it is back in
                // touch and learns the shards' new holder.
                proxy.heal();
                Thread.sleep(500);
                sending.set(false);
                sender.get(60, TimeUnit.SECONDS);
                assertEquals(List.of(), log.violations());
                assertTrue(stoppedAfter < ClusterTestSupport.SESSION.toMillis() + 500,
                        "alpha stopped its entities " + stoppedAfter + " ms after the cut");
                assertTrue(eventually(Duration.ofSeconds(20), () -> alpha.entities(Account.class).ownedShards() > 400),
                        "alpha, in touch again with a new session, takes its share back");
                assertEquals(List.of(), log.violations());
                long applied = ledger.total() - 100;
                assertTrue(applied >= answered.get() && applied <= answered.get() + failed.get(),
                        "every answered ask ran once, a failed one at most once: " + applied + " ran, " + answered.get()
                                + " answered, " + failed.get() + " failed");
                System.out.println("fencing: alpha stopped its entities " + stoppedAfter + " ms after the cut; "
                        + answered.get() + " asks answered, " + failed.get() + " failed with the removal of alpha");
            }
        }
    }
    @Test
    void aLoneMemberCutOffStopsItsEntitiesHavingNoOneToAsk() throws Exception {
        ClusterSettings shared = ClusterSettings.embedded().withSessionTimeout(ClusterTestSupport.SESSION);
        try (ClusterTestSupport nodes = new ClusterTestSupport(shared);
                io.spinoff.runtime.ActorSystem client = io.spinoff.runtime.ActorSystem.builder("onlooker").client()
                        .jmx(false).build()) {
            // A client node keeps the embedded server up; it is not a member.
            nodes.join(client);
            try (CutProxy proxy = new CutProxy(shared.connectString());
                    ClusterTestSupport viaProxy = new ClusterTestSupport(ClusterSettings.zookeeper(proxy.connectString(),
                            "/spinoff").withSessionTimeout(ClusterTestSupport.SESSION))) {
                Cluster alpha = viaProxy.member("alpha");
                alpha.entities(Account.class).host(id -> new AccountActor(id, log, ledger));
                assertTrue(eventually(Duration.ofSeconds(10),
                        () -> alpha.entities(Account.class).ownedShards() == ClusterSettings.DEFAULT_SHARDS), "alpha owns every shard");
                for (int i = 0; i < 10; i++) {
                    alpha.entity(Account.class, "l" + i).add(1).toCompletableFuture().get(10, TimeUnit.SECONDS);
                }
                assertEquals(10, alpha.entities(Account.class).active());
                long cutAt = System.nanoTime();
                proxy.cut();
                // Alone, it cannot tell an ensemble that is down from its own cut: it stops them.
                assertTrue(eventually(Duration.ofSeconds(10), () -> alpha.entities(Account.class).active() == 0),
                        "alpha stopped its entities");
                long stoppedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - cutAt);
                assertTrue(stoppedAfter < ClusterTestSupport.SESSION.toMillis() + 500,
                        "alpha stopped its entities " + stoppedAfter + " ms after the cut");
                proxy.heal();
            }
        }
    }
}
