package io.spinoff.cluster.internal;

import io.spinoff.cluster.Member;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.leader.LeaderLatch;
import org.apache.curator.framework.recipes.leader.LeaderLatchListener;
import org.apache.zookeeper.KeeperException;

/**
 * The leader's part: Curator's leader latch at {@code /leader}, and, while this member leads, the
 * assignment of every entity protocol's shards to the members that host it, written to
 * {@code /assignments/PROTOCOL} ({@link Assignment}, persistent) with the fewest moves a balanced
 * result allows ({@link ShardAllocator}). A write conditioned on the version read from the cache
 * loses to any concurrent write and is computed again. Not API.
 *
 * <p><b>Threading:</b> {@link #queue}, the rebalance and the latch's callbacks on the cluster's
 * event thread; {@link #isLeader} and {@link #close} from any thread.
 */
final class ShardLeader {

    private static final System.Logger LOG = System.getLogger(ShardLeader.class.getName());
    /** The assignments' znode, under the cluster's path. */
    static final String ASSIGNMENTS = "/assignments";

    private final ClusterCore core;
    private final LeaderLatch latch;
    /** Event thread only: a rebalance is queued and has not run yet. */
    private boolean queued;

    /** Takes part in the election at once; results are handled on the event thread. */
    ShardLeader(ClusterCore core) throws Exception {
        this.core = core;
        this.latch = new LeaderLatch(core.zk(), "/leader", core.self());
        latch.addListener(new LeaderLatchListener() {
            @Override
            public void isLeader() {
                rebalance();
            }

            @Override
            public void notLeader() {}
        }, core.events());
        latch.start();
    }

    /** @return whether this member leads now */
    boolean isLeader() {
        return latch.hasLeadership();
    }

    /** Queues one rebalance on the event thread, unless one is queued already. */
    void queue() {
        if (queued) {
            return;
        }
        queued = true;
        core.onEvents(() -> {
            queued = false;
            rebalance();
        });
    }

    /** The leader assigns every entity protocol's shards to the members that host it. */
    private void rebalance() {
        if (core.hasLeft() || !latch.hasLeadership()) {
            return;
        }
        Map<String, List<String>> hostsByProtocol = new TreeMap<>();
        Collection<Member> members = core.knownMembers();
        for (Member member : members) {
            for (String protocol : member.entities().keySet()) {
                hostsByProtocol.computeIfAbsent(protocol, p -> new ArrayList<>()).add(member.node());
            }
        }
        for (ChildData data : core.cache().stream().toList()) {
            if (data.getPath().startsWith(ASSIGNMENTS + "/")) {
                hostsByProtocol.computeIfAbsent(data.getPath().substring(ASSIGNMENTS.length() + 1), p -> new ArrayList<>());
            }
        }
        CuratorFramework zk = core.zk();
        for (Map.Entry<String, List<String>> entry : hostsByProtocol.entrySet()) {
            String path = ASSIGNMENTS + "/" + entry.getKey();
            List<String> hosts = new ArrayList<>(new TreeSet<>(entry.getValue()));
            Optional<ChildData> current = core.cache().get(path);
            Assignment before = current.map(d -> Assignment.decode(d.getData())).orElse(null);
            int[] owners = ShardAllocator.allocate(before == null ? null : before.owners(),
                    before == null ? List.of() : before.members(), hosts, core.shards());
            Assignment next = new Assignment(hosts, owners);
            if (next.equals(before)) {
                continue;
            }
            try {
                if (current.isEmpty()) {
                    zk.create().creatingParentContainersIfNeeded().inBackground(this::written).forPath(path, next.encode());
                } else {
                    zk.setData().withVersion(current.get().getStat().getVersion()).inBackground(this::written)
                            .forPath(path, next.encode());
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "Leader " + core.self() + " assigns " + entry.getKey() + " to "
                        + hosts);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "Could not write the assignment of " + entry.getKey() + ": " + e);
                retry();
            }
        }
    }

    /** Curator's thread: the result of an assignment's write. */
    private void written(CuratorFramework client, CuratorEvent event) {
        if (event.getResultCode() != KeeperException.Code.OK.intValue()) {
            // Another write came first (or the connection dropped): compute again from the cache.
            retry();
        }
    }

    private void retry() {
        core.schedule(this::queue, 200);
    }

    /** Leaves the election. */
    void close() throws Exception {
        latch.close();
    }
}
