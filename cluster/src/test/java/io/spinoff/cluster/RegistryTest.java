package io.spinoff.cluster;

import static io.spinoff.cluster.ClusterTestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorNotFoundException;
import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RegistryTest {

    @Test
    void aRegisteredActorIsFoundFromAnyNodeAndVanishesWithItsActorAndItsOwner() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            ActorSystem alphaSystem = nodes.node("alpha");
            Cluster alpha = nodes.join(alphaSystem);
            Cluster beta = nodes.member("beta");
            Ledger ledger = new Ledger();
            Account inventory = alphaSystem.spawn(Account.class, () -> new AccountActor("inventory", new ActivationLog(), ledger),
                    "inventory");
            List<NameEvent> events = new CopyOnWriteArrayList<>();
            beta.subscribe("inventory", events::add);
            assertEquals(List.of(new NameEvent("inventory", Optional.empty())), events);

            alpha.register("inventory", inventory);
            Account found = beta.lookup(Account.class, "inventory");
            assertEquals(3L, found.add(3).toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertTrue(eventually(Duration.ofSeconds(5), () -> events.size() == 2));
            assertEquals(Optional.of(alphaSystem.address() + "/user/inventory"), events.get(1).address());

            ActorNotFoundException missing = assertThrows(ActorNotFoundException.class,
                    () -> beta.lookup(Account.class, "warehouse"));
            IllegalArgumentException entityRef = assertThrows(IllegalArgumentException.class,
                    () -> beta.register("entity", beta.entity(Account.class, "x")));
            assertTrue(entityRef.getMessage().contains("not reachable from other nodes"), entityRef.getMessage());
            assertTrue(missing.getMessage().contains("register"), missing.getMessage());
            ActorSystem betaSystem = nodes.node("beta2");
            Cluster beta2 = nodes.join(betaSystem);
            Account other = betaSystem.spawn(Account.class, () -> new AccountActor("other", new ActivationLog(), ledger), "other");
            IllegalStateException taken = assertThrows(IllegalStateException.class,
                    () -> beta2.register("inventory", other));
            assertTrue(taken.getMessage().contains("another node"), taken.getMessage());

            alphaSystem.stop(inventory).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertTrue(eventually(Duration.ofSeconds(5), () -> events.size() == 3), "the name went with its actor");
            assertEquals(Optional.empty(), events.get(2).address());
            assertThrows(ActorNotFoundException.class, () -> beta.lookup(Account.class, "inventory"));

            Account second = alphaSystem.spawn(Account.class, () -> new AccountActor("second", new ActivationLog(), ledger),
                    "second");
            alpha.register("inventory", second);
            assertTrue(eventually(Duration.ofSeconds(5), () -> events.size() == 4));
            alpha.leave();
            assertTrue(eventually(Duration.ofSeconds(5), () -> events.size() == 5), "the name went with its owner");
            assertThrows(ActorNotFoundException.class, () -> beta.lookup(Account.class, "inventory"));
        }
    }

    @Test
    void badNamesAndLocalActorsAreRefused() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            Cluster alpha = nodes.member("alpha");
            IllegalArgumentException badName = assertThrows(IllegalArgumentException.class,
                    () -> alpha.lookup(Account.class, "a/b"));
            assertTrue(badName.getMessage().contains("Registry name 'a/b'"), badName.getMessage());
            try (ActorSystem local = ActorSystem.builder("local").jmx(false).build()) {
                Account notReachable = local.spawn(Account.class, () -> new AccountActor("n", new ActivationLog(), new Ledger()),
                        "n");
                IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                        () -> alpha.register("n", notReachable));
                assertTrue(refused.getMessage().contains("not reachable from other nodes"), refused.getMessage());
            }
        }
    }
}
