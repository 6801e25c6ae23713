package io.spinoff.cluster;

import static io.spinoff.cluster.ClusterTestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MembershipTest {

    @Test
    void membersSeeJoinsChangesAndLeavesWithTheirAnnouncement() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport(ClusterSettings.embedded()
                .withSessionTimeout(ClusterTestSupport.SESSION).withRoles("frontend"))) {
            Cluster alpha = nodes.member("alpha");
            List<MemberEvent> events = new CopyOnWriteArrayList<>();
            try (Subscription subscription = alpha.subscribe(events::add)) {
                assertEquals(List.of(new MemberEvent.MemberUp(alpha.members().get(0))), events, "the current state first");
                Cluster beta = nodes.member("beta");
                assertTrue(eventually(Duration.ofSeconds(5), () -> events.size() == 2));
                Member up = events.get(1).member();
                assertEquals(beta.self(), up.node());
                assertEquals(java.util.Set.of("frontend"), up.roles());
                assertTrue(up.incarnation() != 0);

                beta.entities(Account.class).host(id -> new AccountActor(id, new ActivationLog(), new Ledger()));
                assertTrue(eventually(Duration.ofSeconds(5), () -> events.size() == 3));
                assertEquals(new MemberEvent.MemberChanged(new Member(beta.self(), up.incarnation(), up.roles(),
                        Map.of(ProtocolDefinition.of(Account.class).name(), ProtocolDefinition.of(Account.class).fingerprint()))),
                        events.get(2));

                // A member that leaves first says it hosts nothing (its shards move), then goes.
                beta.leave();
                assertTrue(eventually(Duration.ofSeconds(5), () -> events.size() == 5), "events: " + events);
                assertEquals(new MemberEvent.MemberChanged(new Member(beta.self(), up.incarnation(), up.roles(), Map.of())),
                        events.get(3));
                assertEquals(MemberEvent.MemberRemoved.class, events.get(4).getClass());
                assertEquals(beta.self(), events.get(4).member().node());
                assertEquals(1, alpha.members().size());
            }
        }
    }

    @Test
    void aListenerMayAskTheClusterAboutItselfWhileHandlingAnEvent() {
        // Preemptive: a listener waiting for its own thread would never return, and the waits
        // involved are not interruptible.
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(40), this::listenerCallsBack);
    }

    private void listenerCallsBack() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            Cluster alpha = nodes.member("alpha");
            List<String> seen = new CopyOnWriteArrayList<>();
            java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
            // Listeners run on the cluster's event thread: calls back into the cluster from there
            // must answer, not wait for that same thread.
            try (Subscription subscription = alpha.subscribe(event -> {
                try {
                    seen.add(event.member().node() + " of " + alpha.members().size());
                    if (event instanceof MemberEvent.MemberUp up && !up.member().node().equals(alpha.self())) {
                        try (Subscription nested = alpha.subscribe(e -> seen.add("nested " + e.member().node()));
                                Subscription name = alpha.subscribe("inventory", e -> seen.add("name " + e.name()))) {
                            done.complete(null);
                        }
                    }
                } catch (RuntimeException e) {
                    done.completeExceptionally(e);
                }
            })) {
                Cluster beta = nodes.member("beta");
                done.get(10, TimeUnit.SECONDS);
                assertEquals(List.of(alpha.self() + " of 1", beta.self() + " of 2"), seen.subList(0, 2));
                assertEquals(java.util.Set.of("nested " + alpha.self(), "nested " + beta.self(), "name inventory"),
                        java.util.Set.copyOf(seen.subList(2, seen.size())));
                assertEquals(5, seen.size());
            }
        }
    }

    @Test
    void aNodeThatLeftMayJoinAgain() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            Cluster alpha = nodes.member("alpha");
            ActorSystem betaSystem = nodes.node("beta");
            Cluster first = nodes.join(betaSystem);
            first.leave();
            assertTrue(eventually(Duration.ofSeconds(5), () -> alpha.members().size() == 1), "beta left");
            Cluster again = nodes.join(betaSystem);
            again.entities(Account.class).host(id -> new AccountActor(id, new ActivationLog(), new Ledger()));
            assertTrue(eventually(Duration.ofSeconds(5), () -> alpha.members().size() == 2), "beta is back");
            assertEquals(again, Cluster.of(betaSystem));
        }
    }

    @Test
    void watchersOfARemovedMembersActorsLearnAtOnceAndItsAsksFail() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            ActorSystem alphaSystem = ActorSystem.builder("alpha").bind("tcp://127.0.0.1:" + ClusterTestSupport.freePort())
                    .downAfter(Duration.ofSeconds(60)).jmx(false).build();
            try (alphaSystem) {
                Cluster alpha = nodes.join(alphaSystem);
                ActorSystem betaSystem = nodes.node("beta");
                Cluster beta = nodes.join(betaSystem);
                betaSystem.spawn(Account.class, () -> new AccountActor("b", new ActivationLog(), new Ledger()), "b");
                Account remote = alphaSystem.lookup(Account.class, betaSystem.address() + "/user/b");
                assertEquals(1L, remote.add(1).toCompletableFuture().get(10, TimeUnit.SECONDS));
                var terminated = alphaSystem.whenTerminated(remote).toCompletableFuture();
                long start = System.nanoTime();
                beta.leave();
                var notice = terminated.get(10, TimeUnit.SECONDS);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertEquals(io.spinoff.runtime.Terminated.Reason.NODE_DOWN, notice.reason());
                assertTrue(millis < 5_000, "learnt " + millis + " ms after the member left (downAfter is 60 s)");
                alpha.leave();
            }
        }
    }

    @Test
    void aClientNodeSeesTheClusterWithoutBeingAMember() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            Cluster alpha = nodes.member("alpha");
            try (ActorSystem client = ActorSystem.builder("client").client().jmx(false).build()) {
                Cluster viewer = nodes.join(client);
                assertEquals(List.of(alpha.self()), viewer.members().stream().map(Member::node).toList());
                assertEquals(1, alpha.members().size());
                IllegalStateException refused = assertThrows(IllegalStateException.class,
                        () -> viewer.entities(Account.class).host(id -> new AccountActor(id, new ActivationLog(), new Ledger())));
                assertTrue(refused.getMessage().contains("cannot host entities"), refused.getMessage());
                viewer.leave();
            }
        }
    }

    @Test
    void badJoinsAreRefusedWithWhatToDo() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            nodes.member("alpha");
            try (ActorSystem plain = ActorSystem.builder("plain").jmx(false).build()) {
                IllegalArgumentException notANode = assertThrows(IllegalArgumentException.class,
                        () -> Cluster.join(plain, nodes.settings));
                assertTrue(notANode.getMessage().contains("not a node"), notANode.getMessage());
            }
            ActorSystem other = nodes.node("other");
            IllegalStateException shards = assertThrows(IllegalStateException.class,
                    () -> Cluster.join(other, nodes.settings.withShards(64)));
            assertTrue(shards.getMessage().contains("1024 shards") && shards.getMessage().contains("withShards"),
                    shards.getMessage());
            ActorSystem far = nodes.node("far");
            int closedPort = ClusterTestSupport.freePort();
            IllegalStateException unreachable = assertThrows(IllegalStateException.class, () -> Cluster.join(far,
                    ClusterSettings.zookeeper("127.0.0.1:" + closedPort, "/x").withSessionTimeout(Duration.ofSeconds(1))));
            assertTrue(unreachable.getMessage().contains("Could not reach ZooKeeper"), unreachable.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ClusterSettings.parse("zk:/oops"));
            assertEquals(Duration.ofMillis(1500), ClusterSettings.parse("zk://127.0.0.1:2181/s?session=1500ms").sessionTimeout());
            IllegalArgumentException parameter = assertThrows(IllegalArgumentException.class,
                    () -> ClusterSettings.parse("zk://127.0.0.1:2181/s?timeout=1s"));
            assertTrue(parameter.getMessage().contains("session=DURATION"), parameter.getMessage());
            assertEquals("/spinoff/shop", ClusterSettings.parse("zk://127.0.0.1:2181,127.0.0.1:2182/spinoff/shop").path());
            assertEquals("127.0.0.1:2181,127.0.0.1:2182",
                    ClusterSettings.parse("zk://127.0.0.1:2181,127.0.0.1:2182/spinoff/shop").connectString());
        }
    }
}
