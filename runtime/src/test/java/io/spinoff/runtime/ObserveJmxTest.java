package io.spinoff.runtime;

import static io.spinoff.runtime.CoreTestSupport.await;
import static io.spinoff.runtime.CoreTestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.internal.SystemRuntime;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;

/** The ActorSystem MBean (SPEC §8), read as JConsole reads it: through the platform MBean server, as open types. */
class ObserveJmxTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private static ObjectName name(String systemName) throws Exception {
        return new ObjectName("io.spinoff:type=ActorSystem,name=" + systemName);
    }

    @Test
    void everySystemRegistersItsMBeanAndUnregistersItOnClose() throws Exception {
        ObjectName name = name("observeJmxLifecycle");
        try (ActorSystem system = ActorSystem.create("observeJmxLifecycle")) {
            system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
            assertTrue(SERVER.isRegistered(name));
            assertEquals("observeJmxLifecycle", SERVER.getAttribute(name, "Name"));
            assertEquals(1L, SERVER.getAttribute(name, "LiveActors"));
            assertEquals(0L, SERVER.getAttribute(name, "DeadLetters"));
        }
        assertFalse(SERVER.isRegistered(name), "closing the system unregisters its MBean");
    }

    @Test
    void jmxFalseRegistersNothingYetTheViewWorks() throws Exception {
        try (ActorSystem system = ActorSystem.builder("observeJmxOff").jmx(false).build()) {
            assertFalse(SERVER.isRegistered(name("observeJmxOff")));
            system.ref("/user/nobody").tell("lost");
            assertEquals(1, system.mxBean().getDeadLetters());
            assertFalse(system.mxBean().getClass().getPackageName().contains(".internal"),
                    "mxBean() returns " + system.mxBean().getClass() + ", whose public methods a cast would open");
            assertTrue(SERVER.queryNames(new ObjectName("io.spinoff:type=ActorSystem,name=observeJmxOff*"), null).isEmpty());
        }
    }

    @Test
    void twoSystemsOfOneNameGetASuffixInsteadOfClashing() throws Exception {
        try (ActorSystem first = ActorSystem.create("observeJmxTwin");
                ActorSystem second = ActorSystem.create("observeJmxTwin")) {
            assertTrue(SERVER.isRegistered(name("observeJmxTwin")));
            assertTrue(SERVER.isRegistered(name("observeJmxTwin-2")));
            assertEquals("observeJmxTwin", SERVER.getAttribute(name("observeJmxTwin-2"), "Name"));
            second.close();
            assertFalse(SERVER.isRegistered(name("observeJmxTwin-2")));
            assertTrue(SERVER.isRegistered(name("observeJmxTwin")), "the first system's MBean stays");
        }
    }

    @Test
    void theTreeCanBeDumpedAndOneActorLookedUpAndStopped() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("observeJmxTree")) {
                CoreNode root = system.spawn(CoreNode.class, () -> new CoreNodeActor(new java.util.concurrent.ConcurrentLinkedQueue<>()), "root");
                CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
                await(root.spawnChild("leaf"));
                // Started: its start ran on its own turn before the ask's.
                await(echo.echo("started"));
                ObjectName name = name("observeJmxTree");

                CompositeData[] tree = (CompositeData[]) SERVER.invoke(name, "dumpActorTree", null, null);
                assertEquals(3, tree.length);
                assertEquals("/user/echo", tree[0].get("path"));
                assertEquals(CoreEchoActor.class.getName(), tree[0].get("actorClass"));
                assertEquals("RUNNING", tree[0].get("state"));
                assertEquals(0L, tree[0].get("mailboxDepth"));
                assertEquals(0L, tree[0].get("restarts"));
                assertEquals("/user/root", tree[1].get("path"));
                assertEquals("/user/root/leaf", tree[2].get("path"), "a child follows its parent");

                CompositeData leaf = (CompositeData) SERVER.invoke(name, "lookupActor",
                        new Object[] {"/user/root/leaf"}, new String[] {String.class.getName()});
                assertEquals(CoreNodeActor.class.getName(), leaf.get("actorClass"));
                assertNull(SERVER.invoke(name, "lookupActor", new Object[] {"/user/none"},
                        new String[] {String.class.getName()}));

                ActorSystemMXBean proxy = JMX.newMXBeanProxy(SERVER, name, ActorSystemMXBean.class);
                assertTrue(proxy.stopActor("/user/root/leaf"));
                assertFalse(proxy.stopActor("/user"), "the guardian is not an actor one stops");
                eventually(5_000, "the leaf stops", () -> proxy.lookupActor("/user/root/leaf") == null);
                // The dump lists a stopping actor until its parent has taken it off its children.
                eventually(5_000, "the tree holds the two actors left", () -> proxy.dumpActorTree().size() == 2);
                assertTrue(proxy.getPeers().isEmpty(), "a local system has no peers");
            }
        });
    }

    @Test
    void underOverloadTheMailboxDepthAndDeadLettersMatchTheMetrics() {
        assertTimeoutPreemptively(LIMIT, () -> {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch enteredWide = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (ActorSystem system = ActorSystem.builder("observeJmxOverload").parallelism(4)
                    // The hold() asks must still be pending when counted, however slow the machine.
                    .askTimeout(Duration.ofMinutes(2)).build()) {
                try {
                    CoreGate gate = system.spawn(CoreGate.class, () -> new CoreGateActor(entered, release), "gate",
                            SpawnOptions.boundedMailbox(100));
                    CoreGate wide = system.spawn(CoreGate.class, () -> new CoreGateActor(enteredWide, release), "wide");
                    CompletionStage<Void> held = gate.hold();
                    CompletionStage<Void> heldWide = wide.hold();
                    assertTrue(entered.await(5, TimeUnit.SECONDS));
                    assertTrue(enteredWide.await(5, TimeUnit.SECONDS));
                    for (int i = 0; i < 250; i++) {
                        gate.ping();
                        wide.ping();
                    }
                    ActorSystemMXBean bean = JMX.newMXBeanProxy(SERVER, name("observeJmxOverload"), ActorSystemMXBean.class);
                    assertEquals(system.metrics().mailboxOverflows(), bean.getMailboxOverflows());
                    assertEquals(150, bean.getMailboxOverflows());
                    assertEquals(system.metrics().deadLetters(), bean.getDeadLetters());
                    assertEquals(150, bean.getDeadLetters());
                    assertEquals(100, bean.lookupActor("/user/gate").getMailboxDepth(), "a bounded mailbox holds its capacity");
                    eventually(5_000, "the unbounded mailbox holds every ping",
                            () -> bean.lookupActor("/user/wide").getMailboxDepth() == 250);
                    assertEquals(350, bean.getMailboxDepth());
                    assertEquals(2, bean.getPendingAsks(), "the two hold() asks");
                    release.countDown();
                    await(held);
                    await(heldWide);
                    eventually(5_000, "the mailboxes drain", () -> bean.getMailboxDepth() == 0);
                } finally {
                    release.countDown();
                }
            }
        });
    }

    /**
     * A cluster member hosts its entities under {@code /cluster/PROTOCOL/ID}, beside {@code /user}:
     * the MBean shows them after the user's actors, protocol by protocol in the order of their
     * names, counts their mailboxes, looks them up, and refuses to stop one (the cluster alone
     * does). The roots are made as the cluster module makes them, without a cluster.
     */
    @Test
    void theTreeListsTheEntitiesUnderTheClusterRootsAfterTheUserActors() {
        assertTimeoutPreemptively(LIMIT, () -> {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (ActorSystem system = ActorSystem.create("observeJmxCluster")) {
                try {
                    SystemRuntime runtime = ActorSystemAccess.runtime(system);
                    system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
                    // Made in the reverse of the order the dump lists them in.
                    runtime.clusterRoot("Zeta").spawnCell(CoreGate.class, () -> new CoreGateActor(entered, release),
                            "gate", SpawnOptions.DEFAULT);
                    runtime.clusterRoot("Account").spawnCell(CoreEcho.class, CoreEchoActor::new, "bob", SpawnOptions.DEFAULT);
                    runtime.clusterRoot("Account").spawnCell(CoreEcho.class, CoreEchoActor::new, "alice",
                            SpawnOptions.DEFAULT);
                    ObjectName name = name("observeJmxCluster");

                    CompositeData[] tree = (CompositeData[]) SERVER.invoke(name, "dumpActorTree", null, null);
                    assertEquals(List.of("/user/echo", "/cluster/Account/alice", "/cluster/Account/bob",
                            "/cluster/Zeta/gate"), Arrays.stream(tree).map(row -> row.get("path")).toList());
                    assertEquals(CoreEchoActor.class.getName(), tree[1].get("actorClass"));
                    assertEquals(CoreGateActor.class.getName(), tree[3].get("actorClass"));
                    assertEquals(0L, tree[1].get("restarts"));
                    eventually(5_000, "the entities run", () -> proxyOf(name).dumpActorTree().stream()
                            .allMatch(info -> info.getState().equals("RUNNING")));

                    ActorSystemMXBean bean = proxyOf(name);
                    CoreGate gate = system.lookup(CoreGate.class, "/cluster/Zeta/gate");
                    CompletionStage<Void> held = gate.hold();
                    assertTrue(entered.await(5, TimeUnit.SECONDS));
                    for (int i = 0; i < 7; i++) {
                        gate.ping();
                    }
                    eventually(5_000, "the entity's mailbox holds the pings",
                            () -> bean.lookupActor("/cluster/Zeta/gate").getMailboxDepth() == 7);
                    assertEquals(7, bean.getMailboxDepth(), "the total counts the entities' mailboxes");
                    assertEquals(7L, bean.dumpActorTree().get(3).getMailboxDepth());
                    assertEquals(CoreEchoActor.class.getName(), bean.lookupActor("/cluster/Account/bob").getActorClass());
                    assertNull(bean.lookupActor("/cluster/Account"), "a root is not an actor");

                    RuntimeMBeanException refused = assertThrows(RuntimeMBeanException.class, () -> SERVER.invoke(name,
                            "stopActor", new Object[] {"/cluster/Account/alice"}, new String[] {String.class.getName()}));
                    assertInstanceOf(IllegalArgumentException.class, refused.getCause());
                    assertTrue(refused.getCause().getMessage().contains("/cluster/Account/alice is an entity of the cluster"),
                            refused.getCause().getMessage());
                    assertFalse(bean.stopActor("/cluster/Account"), "a root is not an actor one stops");
                    assertEquals("RUNNING", bean.lookupActor("/cluster/Account/alice").getState(), "alice still runs");
                    release.countDown();
                    await(held);
                    eventually(5_000, "the entity's mailbox drains", () -> bean.getMailboxDepth() == 0);
                } finally {
                    release.countDown();
                }
            }
        });
    }

    private static ActorSystemMXBean proxyOf(ObjectName name) {
        return JMX.newMXBeanProxy(SERVER, name, ActorSystemMXBean.class);
    }
}
