package io.spinoff.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member that leaves while its entities have messages waiting: what an entity left in its
 * mailbox when it stopped for the leave must not activate it again on that member, whose leases go
 * with its session as soon as the first stops are done, so that the next owner activates the same
 * ids while those run.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeaveUnderTrafficTest {

    private final ActivationLog log = new ActivationLog();

    /** An account that takes 2 ms per deposit, so that its mailbox still holds deposits when it is stopped. */
    private final class SlowAccount extends LoggedEntity implements Account {
        private long balance;

        SlowAccount(String id) {
            super(id, log);
        }

        @Override
        public void deposit(long amount) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            balance += amount;
        }

        @Override
        public java.util.concurrent.CompletionStage<Long> add(long amount) {
            deposit(amount);
            return CompletableFuture.completedFuture(balance);
        }

        @Override
        public java.util.concurrent.CompletionStage<Long> balance() {
            return CompletableFuture.completedFuture(balance);
        }

        @Override
        public java.util.concurrent.CompletionStage<String> node() {
            return CompletableFuture.completedFuture(context().system().address());
        }
    }

    @Test
    void noEntityOfALeavingMemberIsActivatedAgainThereWhileItsShardsMove() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            ActorSystem alphaSystem = nodes.node("alpha");
            Cluster alpha = nodes.join(alphaSystem);
            alpha.entities(Account.class).host(id -> new SlowAccount(id));
            Cluster beta = nodes.member("beta");
            beta.entities(Account.class).host(id -> new SlowAccount(id));
            Cluster gamma = nodes.member("gamma");
            gamma.entities(Account.class).host(id -> new SlowAccount(id));
            assertTrue(ClusterTestSupport.eventually(java.time.Duration.ofSeconds(10),
                    () -> alpha.entities(Account.class).ownedShards() + beta.entities(Account.class).ownedShards()
                            + gamma.entities(Account.class).ownedShards() == ClusterSettings.DEFAULT_SHARDS));

            // The ids alpha runs, each active there.
            List<String> onAlpha = new ArrayList<>();
            for (int i = 0; onAlpha.size() < 30 && i < 2_000; i++) {
                String id = "acct-" + i;
                String where = beta.entity(Account.class, id).node().toCompletableFuture().get(10, TimeUnit.SECONDS);
                if (where.startsWith("alpha@")) {
                    onAlpha.add(id);
                }
            }
            assertEquals(30, onAlpha.size());

            // Each has a backlog of deposits when alpha leaves; beta keeps telling them meanwhile
            // and for a moment after, so that their next owners activate them.
            for (int round = 0; round < 50; round++) {
                for (String id : onAlpha) {
                    beta.entity(Account.class, id).deposit(1);
                }
            }
            AtomicBoolean sending = new AtomicBoolean(true);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                while (sending.get()) {
                    for (String id : onAlpha) {
                        beta.entity(Account.class, id).deposit(1);
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Thread.sleep(100);
            alpha.leave();
            Thread.sleep(1_500);
            sending.set(false);
            sender.get(10, TimeUnit.SECONDS);

            List<String> stillOnAlpha = log.active().entrySet().stream().filter(e -> e.getValue().startsWith("alpha@"))
                    .map(e -> e.getKey()).sorted().toList();
            assertEquals(List.of(), log.violations(), "active on two members at once");
            assertEquals(List.of(), stillOnAlpha, "entities running on alpha after it left the cluster");
        }
    }
}
