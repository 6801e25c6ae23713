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
 * A member that leaves while messages keep reaching its entities: what reaches an entity while it
 * stops for the leave must not activate it again there, since the member's leases go with its
 * session as soon as the first stops are done, and the next owner then activates the same ids.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LeaveUnderTrafficTest {

    private final ActivationLog log = new ActivationLog();
    private final Ledger ledger = new Ledger();

    @Test
    void noEntityOfALeavingMemberIsActivatedAgainThereWhileItsShardsMove() throws Exception {
        try (ClusterTestSupport nodes = new ClusterTestSupport()) {
            ActorSystem alphaSystem = nodes.node("alpha");
            Cluster alpha = nodes.join(alphaSystem);
            alpha.entities(Account.class).host(id -> new AccountActor(id, log, ledger));
            Cluster beta = nodes.member("beta");
            beta.entities(Account.class).host(id -> new AccountActor(id, log, ledger));
            Cluster gamma = nodes.member("gamma");
            gamma.entities(Account.class).host(id -> new AccountActor(id, log, ledger));
            assertTrue(ClusterTestSupport.eventually(java.time.Duration.ofSeconds(10),
                    () -> alpha.entities(Account.class).ownedShards() + beta.entities(Account.class).ownedShards()
                            + gamma.entities(Account.class).ownedShards() == ClusterSettings.DEFAULT_SHARDS));

            // The ids alpha runs, each active there.
            List<String> onAlpha = new ArrayList<>();
            for (int i = 0; onAlpha.size() < 100 && i < 2_000; i++) {
                String id = "acct-" + i;
                String where = beta.entity(Account.class, id).node().toCompletableFuture().get(10, TimeUnit.SECONDS);
                if (where.startsWith("alpha@")) {
                    onAlpha.add(id);
                }
            }
            assertEquals(100, onAlpha.size());

            // Beta keeps telling them while alpha leaves, and for a moment after.
            AtomicBoolean sending = new AtomicBoolean(true);
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                while (sending.get()) {
                    for (String id : onAlpha) {
                        beta.entity(Account.class, id).deposit(1);
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            Thread.sleep(300);
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
