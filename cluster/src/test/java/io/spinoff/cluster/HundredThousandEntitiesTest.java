package io.spinoff.cluster;

import static io.spinoff.cluster.ClusterTestSupport.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The scale the cluster is meant for, in one JVM: 20 members on one embedded ZooKeeper, 100,000
 * entities activated by a tell each from one member. The entities spread within 10% of an equal
 * share per member, and a member that leaves moves only its own shards: no entity of another
 * member is stopped or moved.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class HundredThousandEntitiesTest {

    private static final int MEMBERS = 20;
    private static final int IDS = 100_000;

    private final ActivationLog log = new ActivationLog();
    private final Ledger ledger = new Ledger();

    @Test
    void hundredThousandEntitiesSpreadEvenlyAndALeaverMovesOnlyItsOwn() throws Exception {
        // 100,000 activations load the two cores: a longer session and a longer time before a
        // silent peer is declared down keep the test about the cluster, not about starvation.
        try (ClusterTestSupport nodes = new ClusterTestSupport(ClusterSettings.embedded()
                .withSessionTimeout(Duration.ofSeconds(10))).withDownAfter(Duration.ofSeconds(20))) {
            List<Cluster> members = new ArrayList<>();
            long start = System.nanoTime();
            for (int i = 0; i < MEMBERS; i++) {
                Cluster member = nodes.member(String.format("m%02d", i));
                member.entities(Account.class).host(id -> new AccountActor(id, log, ledger));
                members.add(member);
            }
            // Balanced (51 or 52 shards each) and every shard owned: the leader has stopped moving them.
            assertTrue(eventually(Duration.ofSeconds(60), () -> balanced(members)), "every shard owned, balanced");
            long joined = System.nanoTime();

            Cluster sender = members.get(0);
            for (int i = 0; i < IDS; i++) {
                sender.entity(Account.class, "e" + i).deposit(1);
            }
            assertTrue(eventually(Duration.ofSeconds(120), () -> ledger.total() == IDS),
                    "every deposit applied: " + ledger.total());
            long activated = System.nanoTime();
            assertEquals(IDS, log.activations(), "one activation per id: " + log.violations());
            int[] before = new int[MEMBERS];
            int share = IDS / MEMBERS;
            for (int i = 0; i < MEMBERS; i++) {
                before[i] = members.get(i).entities(Account.class).active();
                assertTrue(Math.abs(before[i] - share) <= share / 10, "member " + i + " runs " + before[i]
                        + " entities; an equal share is " + share + " (within 10%)");
            }

            Cluster leaver = members.get(MEMBERS - 1);
            int leaverShards = leaver.entities(Account.class).ownedShards();
            long leaveStart = System.nanoTime();
            leaver.leave();
            List<Cluster> staying = members.subList(0, MEMBERS - 1);
            assertTrue(eventually(Duration.ofSeconds(60), () -> balanced(staying)),
                    "the leaver's shards have new owners, balanced");
            long settled = System.nanoTime();
            for (int i = 0; i < MEMBERS - 1; i++) {
                assertEquals(before[i], staying.get(i).entities(Account.class).active(),
                        "member " + i + " kept its entities: only the leaver's shards moved");
            }
            assertEquals(before[MEMBERS - 1], log.stops(), "only the leaver's entities stopped");
            assertEquals(List.of(), log.violations());
            System.out.printf("100,000 entities on 20 members: joined in %d ms, activated by one tell each in %d ms"
                    + " (%d to %d per member); one member leaving (%d shards, %d entities) settled in %d ms%n",
                    TimeUnit.NANOSECONDS.toMillis(joined - start), TimeUnit.NANOSECONDS.toMillis(activated - joined),
                    java.util.Arrays.stream(before).min().orElse(0), java.util.Arrays.stream(before).max().orElse(0),
                    leaverShards, before[MEMBERS - 1], TimeUnit.NANOSECONDS.toMillis(settled - leaveStart));
        }
    }

    private static boolean balanced(List<Cluster> members) {
        int total = 0;
        int low = ClusterSettings.DEFAULT_SHARDS / members.size();
        for (Cluster member : members) {
            int owned = member.entities(Account.class).ownedShards();
            if (owned < low || owned > low + 1) {
                return false;
            }
            total += owned;
        }
        return total == ClusterSettings.DEFAULT_SHARDS;
    }
}
