package io.spinoff.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member's MBean, read as JConsole reads it (through the platform MBean server, as open types),
 * shows the entities the member hosts under {@code /cluster/PROTOCOL/ID}, after its actors under
 * {@code /user}, and refuses to stop one: the cluster alone stops its entities.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterJmxTest {

    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    private final ActivationLog log = new ActivationLog();
    private final Ledger ledger = new Ledger();

    @Test
    void theMBeanListsTheHostedEntitiesAndRefusesToStopOne() throws Exception {
        // ClusterTestSupport's nodes run without JMX: this one registers its MBean, under a name no
        // other test uses. Closed after the member has left (resources close in reverse order).
        try (ActorSystem system = ActorSystem.builder("clusterJmxAlpha")
                        .bind("tcp://127.0.0.1:" + ClusterTestSupport.freePort())
                        .askTimeout(Duration.ofSeconds(30)).build();
                ClusterTestSupport nodes = new ClusterTestSupport()) {
            ObjectName name = new ObjectName("io.spinoff:type=ActorSystem,name=clusterJmxAlpha");
            assertTrue(SERVER.isRegistered(name));
            Cluster alpha = nodes.join(system);
            alpha.entities(Account.class).host(id -> new AccountActor(id, log, ledger));
            // Activated in the reverse of the order the dump lists them in.
            assertEquals(3L, alpha.entity(Account.class, "bob").add(3).toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertEquals(5L, alpha.entity(Account.class, "alice").add(5).toCompletableFuture().get(30, TimeUnit.SECONDS));
            assertEquals(2, log.activations());

            CompositeData[] tree = (CompositeData[]) SERVER.invoke(name, "dumpActorTree", null, null);
            List<String> paths = new ArrayList<>();
            for (CompositeData row : tree) {
                paths.add((String) row.get("path"));
            }
            int alice = paths.indexOf("/cluster/Account/alice");
            int bob = paths.indexOf("/cluster/Account/bob");
            assertTrue(alice >= 0 && bob == alice + 1, "both entities, in the order of their ids: " + paths);
            for (int i = 0; i < paths.size(); i++) {
                assertTrue(paths.get(i).startsWith(i < alice ? "/user/" : "/cluster/"),
                        "the actors under /user come first, then the entities: " + paths);
            }
            for (CompositeData row : List.of(tree[alice], tree[bob])) {
                assertEquals(AccountActor.class.getName(), row.get("actorClass"));
                assertEquals("RUNNING", row.get("state"));
                assertEquals(0L, row.get("restarts"));
                assertNotNull(row.get("mailboxDepth"));
            }

            CompositeData found = (CompositeData) SERVER.invoke(name, "lookupActor",
                    new Object[] {"/cluster/Account/bob"}, new String[] {String.class.getName()});
            assertEquals(AccountActor.class.getName(), found.get("actorClass"));

            RuntimeMBeanException refused = assertThrows(RuntimeMBeanException.class, () -> SERVER.invoke(name,
                    "stopActor", new Object[] {"/cluster/Account/alice"}, new String[] {String.class.getName()}));
            assertInstanceOf(IllegalArgumentException.class, refused.getCause());
            assertTrue(refused.getCause().getMessage().contains("/cluster/Account/alice is an entity of the cluster"),
                    refused.getCause().getMessage());
            assertEquals(6L, alpha.entity(Account.class, "alice").add(1).toCompletableFuture().get(30, TimeUnit.SECONDS),
                    "alice still runs, with her state");
            assertEquals(0, log.stops());
            assertEquals(2, log.activations());
            assertEquals(List.of(), log.violations());
        }
        assertFalse(SERVER.isRegistered(new ObjectName("io.spinoff:type=ActorSystem,name=clusterJmxAlpha")));
    }
}
