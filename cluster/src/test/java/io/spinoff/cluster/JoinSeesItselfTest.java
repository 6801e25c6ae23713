package io.spinoff.cluster;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A member's own announcement is created in ZooKeeper before the member's cache has read it
 * back; join must wait for the cache, so that {@code members()} lists the node as soon as join
 * returns (a first subscriber's MemberUp included). Joins in a row, each checked at once, while
 * other threads keep the machine busy so that the cache's read-back is often late.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class JoinSeesItselfTest {

    @Test
    void aJoinedMemberIsAmongTheMembersAtOnce() throws Exception {
        Thread[] busy = new Thread[2];
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        for (int i = 0; i < busy.length; i++) {
            busy[i] = Thread.ofPlatform().daemon().start(() -> {
                long x = 0;
                while (!stop.get()) {
                    x += System.nanoTime() % 7;
                }
                if (x == 42) {
                    System.out.print("");
                }
            });
        }
        // The longest session the embedded server allows: the busy threads must not expire one.
        try (ClusterTestSupport nodes = new ClusterTestSupport(ClusterSettings.embedded()
                .withSessionTimeout(java.time.Duration.ofSeconds(10)))) {
            for (int i = 0; i < 25; i++) {
                Cluster member = nodes.member("m" + i);
                List<Member> members = member.members();
                assertTrue(members.stream().anyMatch(m -> m.node().equals(member.self())),
                        "join " + i + ": " + member.self() + " missing from its own members() " + members);
            }
        } finally {
            stop.set(true);
        }
    }
}
