package io.spinoff.cluster.internal;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The shard leases: {@code /leases/PROTOCOL/SHARD}, an ephemeral znode of the session of the
 * member allowed to run that shard's entities, holding the member's node name (UTF-8). A member
 * creates the lease of a shard the leader assigned it before it activates any entity of the shard,
 * and deletes it after the last one stopped; a lease goes with its session, so a member that
 * crashed or was cut off loses its leases only when its session expires (see {@link EntityRegion}
 * for the hand-over and {@link MemberSession} for fencing). Not API.
 *
 * <p><b>Threading:</b> the cluster's event thread, except {@link #owner}, which reads the cache
 * from any thread. Background results are handed back to the event thread.
 */
final class ShardLeases {

    private static final System.Logger LOG = System.getLogger(ShardLeases.class.getName());
    /** The leases' znode, under the cluster's path. */
    static final String PATH = "/leases";

    private final ClusterCore core;

    ShardLeases(ClusterCore core) {
        this.core = core;
    }

    private static String path(EntityRegion region, int shard) {
        return PATH + "/" + region.protocolName() + "/" + shard;
    }

    /** Creates a lease in the background; {@code done} runs on the event thread with whether it was made. */
    void create(EntityRegion region, int shard, Consumer<Boolean> done) {
        try {
            core.zk().create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL)
                    .inBackground((c, event) -> {
                        int code = event.getResultCode();
                        core.onEvents(() -> done.accept(code == KeeperException.Code.OK.intValue()));
                        if (code != KeeperException.Code.OK.intValue() && code != KeeperException.Code.NODEEXISTS.intValue()) {
                            retryReconcile(region);
                        }
                    })
                    .forPath(path(region, shard), core.self().getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            core.onEvents(() -> done.accept(false));
            retryReconcile(region);
        }
    }

    private void retryReconcile(EntityRegion region) {
        core.schedule(region::reconcile, 500);
    }

    /** Deletes a lease of this member's session (checked first: never another member's). */
    void delete(EntityRegion region, int shard) {
        String path = path(region, shard);
        CuratorFramework zk = core.zk();
        try {
            Stat stat = zk.checkExists().forPath(path);
            if (stat != null && stat.getEphemeralOwner() == core.sessionId()) {
                zk.delete().withVersion(stat.getVersion()).forPath(path);
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // Gone already.
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Could not give up the lease of shard " + shard + " of "
                    + region.protocolName() + ": " + e + "; it goes with the session");
        }
    }

    /** @return the ZooKeeper sessions that hold a region's leases now, by shard, read from the server */
    Map<Integer, Long> owners(EntityRegion region) {
        Map<Integer, Long> owners = new HashMap<>();
        String base = PATH + "/" + region.protocolName();
        CuratorFramework zk = core.zk();
        try {
            for (String child : zk.getChildren().forPath(base)) {
                Stat stat = zk.checkExists().forPath(base + "/" + child);
                if (stat != null) {
                    owners.put(Integer.parseInt(child), stat.getEphemeralOwner());
                }
            }
        } catch (KeeperException.NoNodeException e) {
            // No lease yet.
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Could not read the leases of " + region.protocolName() + ": " + e);
        }
        return owners;
    }

    /** Any thread: @return the session that holds a lease, as the cache has it, or 0 */
    long owner(EntityRegion region, int shard) {
        return core.cache().get(path(region, shard))
                .map(d -> d.getStat() == null ? 0L : d.getStat().getEphemeralOwner()).orElse(0L);
    }

    /** Every second: a region's view of the lease holders checked against the cache. */
    void resync(EntityRegion region) {
        region.resync(shard -> core.cache().get(path(region, shard))
                .map(d -> d.getData() == null ? null : new String(d.getData(), StandardCharsets.UTF_8)).orElse(null));
    }

    /**
     * A lease was made, changed or deleted, as the cache reports it.
     *
     * @param path the lease's path
     * @param holder the node named in it, or null when deleted
     * @param owner the session that held it, or 0 when unknown
     */
    void changed(String path, String holder, long owner) {
        String rest = path.substring(PATH.length() + 1);
        int slash = rest.lastIndexOf('/');
        EntityRegion region = slash < 0 ? null : core.regionNamed(rest.substring(0, slash));
        if (region == null) {
            return;
        }
        try {
            region.holderChanged(Integer.parseInt(rest.substring(slash + 1)), holder, owner);
        } catch (NumberFormatException e) {
            // Not a lease of this version's making.
        }
    }
}
