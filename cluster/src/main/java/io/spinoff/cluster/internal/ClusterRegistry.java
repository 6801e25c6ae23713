package io.spinoff.cluster.internal;

import io.spinoff.api.ActorRef;
import io.spinoff.cluster.NameEvent;
import io.spinoff.runtime.ActorNotFoundException;
import io.spinoff.runtime.internal.cell.ActorNames;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.recipes.cache.ChildData;
import org.apache.curator.framework.recipes.cache.CuratorCache;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.data.Stat;

/**
 * The cluster-wide registry of named actors: {@code /registry/NAME}, an ephemeral znode of the
 * session of the member that registered it, holding the actor's address and its protocols (UTF-8,
 * {@code ADDRESS\nPROTOCOL,PROTOCOL}). An entry vanishes with its actor (the member deletes it) or
 * with its member's session. Not API; {@code io.spinoff.cluster.Cluster} is its face.
 *
 * <p><b>Threading:</b> {@link #register}, {@link #unregister}, {@link #lookup},
 * {@link #registeredProtocols} and {@link #subscribe} from any thread (the ZooKeeper calls block
 * the caller); {@link #changed} and the listeners' callbacks on the cluster's event thread, in the
 * order the cache reports changes.
 */
public final class ClusterRegistry {

    private static final System.Logger LOG = System.getLogger(ClusterRegistry.class.getName());
    /** The registry's znode, under the cluster's path. */
    static final String PATH = "/registry";

    private final ClusterCore core;
    private final Map<String, List<Consumer<NameEvent>>> listeners = new ConcurrentHashMap<>();

    ClusterRegistry(ClusterCore core) {
        this.core = core;
    }

    /**
     * Registers an actor under a name, for as long as the actor lives and this node is a member.
     *
     * @throws IllegalStateException when another node holds the name
     */
    public void register(String name, ActorRef<?> ref, List<String> protocols) {
        checkName(name);
        String address = ref.address();
        if (!address.contains("@")) {
            throw new IllegalArgumentException(address + " is not reachable from other nodes; register an actor of a"
                    + " node (bound with bind(...)).");
        }
        byte[] data = (address + "\n" + String.join(",", protocols)).getBytes(StandardCharsets.UTF_8);
        String path = PATH + "/" + name;
        CuratorFramework zk = core.zk();
        try {
            try {
                zk.create().creatingParentContainersIfNeeded().withMode(CreateMode.EPHEMERAL).forPath(path, data);
            } catch (KeeperException.NodeExistsException e) {
                Stat stat = new Stat();
                byte[] existing = zk.getData().storingStatIn(stat).forPath(path);
                if (stat.getEphemeralOwner() != core.sessionId()) {
                    throw new IllegalStateException("Name '" + name + "' is registered already, by another node, for "
                            + address(existing) + "; choose another name, or unregister it there first.");
                }
                zk.setData().withVersion(stat.getVersion()).forPath(path, data);
            }
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not register '" + name + "' in ZooKeeper: " + e, e);
        }
        core.system().whenTerminated(ref).thenRun(() -> core.onEvents(() -> unregisterIf(name, address)));
    }

    /** Event thread: removes the entry when this session registered it for that address. */
    private void unregisterIf(String name, String address) {
        String path = PATH + "/" + name;
        CuratorFramework zk = core.zk();
        try {
            Stat stat = new Stat();
            byte[] data = zk.getData().storingStatIn(stat).forPath(path);
            if (stat.getEphemeralOwner() == core.sessionId() && address(data).equals(address)) {
                zk.delete().withVersion(stat.getVersion()).forPath(path);
            }
        } catch (KeeperException.NoNodeException | KeeperException.BadVersionException e) {
            // Gone or replaced.
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "Could not unregister '" + name + "': " + e);
        }
    }

    /** Removes a name this node registered; a name another node holds is left alone. */
    public void unregister(String name) {
        checkName(name);
        String path = PATH + "/" + name;
        CuratorFramework zk = core.zk();
        try {
            Stat stat = new Stat();
            zk.getData().storingStatIn(stat).forPath(path);
            if (stat.getEphemeralOwner() != core.sessionId()) {
                throw new IllegalStateException("Name '" + name + "' was registered by another node; only that node may"
                        + " unregister it.");
            }
            zk.delete().withVersion(stat.getVersion()).forPath(path);
        } catch (KeeperException.NoNodeException e) {
            // Not registered.
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Could not unregister '" + name + "': " + e, e);
        }
    }

    /**
     * @return the address registered under a name, read from ZooKeeper when the cache does not
     *     have it yet
     * @throws ActorNotFoundException when nothing is registered under it
     */
    public String lookup(String name) {
        checkName(name);
        String path = PATH + "/" + name;
        Optional<ChildData> cached = core.cache().get(path);
        if (cached.isPresent()) {
            return address(cached.get().getData());
        }
        try {
            return address(core.zk().getData().forPath(path));
        } catch (KeeperException.NoNodeException e) {
            throw new ActorNotFoundException("No actor is registered under '" + name + "' in the cluster; register"
                    + " one with cluster.register(\"" + name + "\", ref), or subscribe to the name to learn when it is.");
        } catch (Exception e) {
            throw new IllegalStateException("Could not look up '" + name + "' in ZooKeeper: " + e, e);
        }
    }

    /** @return the protocols registered with a name, or an empty list */
    public List<String> registeredProtocols(String name) {
        Optional<ChildData> cached = core.cache().get(PATH + "/" + name);
        if (cached.isEmpty()) {
            return List.of();
        }
        String text = new String(cached.get().getData(), StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        return newline < 0 || newline == text.length() - 1 ? List.of() : List.of(text.substring(newline + 1).split(","));
    }

    /** Subscribes to one name's changes; the current state comes first. */
    public Runnable subscribe(String name, Consumer<NameEvent> listener) {
        checkName(name);
        Objects.requireNonNull(listener, "listener");
        CuratorCache cache = core.cache();
        core.onEventsAndWait(() -> {
            Optional<ChildData> now = cache.get(PATH + "/" + name);
            core.deliver(listener, new NameEvent(name, now.map(d -> address(d.getData()))));
            listeners.computeIfAbsent(name, n -> new CopyOnWriteArrayList<>()).add(listener);
        });
        return () -> listeners.getOrDefault(name, new ArrayList<>()).remove(listener);
    }

    /**
     * Event thread: an entry was made, changed or deleted.
     *
     * @param name the registered name
     * @param data the entry now, or null when it was deleted
     */
    void changed(String name, ChildData data) {
        Optional<String> address = data == null ? Optional.empty() : Optional.of(address(data.getData()));
        for (Consumer<NameEvent> listener : listeners.getOrDefault(name, List.of())) {
            core.deliver(listener, new NameEvent(name, address));
        }
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        try {
            ActorNames.validate(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Registry name '" + name + "' is not valid: " + e.getMessage(), e);
        }
    }

    /** @return the address part of an entry's data */
    private static String address(byte[] data) {
        String text = new String(data == null ? new byte[0] : data, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
