package io.spinoff.runtime.internal.remote;

import io.spinoff.api.CodecException;
import io.spinoff.api.support.WireWriter;
import io.spinoff.runtime.Terminated;
import io.spinoff.runtime.internal.cell.ActorCell;
import io.spinoff.runtime.internal.watch.DeathWatcher;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remote death watch, both sides. Not API.
 *
 * <p><b>Watching side</b> (local watchers of remote actors): {@link #watch} and {@link #unwatch}
 * run on any thread; the first watcher of a remote actor sends WATCH to its node, the last one
 * gone sends UNWATCH. A TERMINATED record, or the node going down, notifies every watcher once
 * ({@link #notifyWatchers}, any thread) and forgets the address. The table is a concurrent map
 * whose sets change only inside atomic {@code compute} steps (see {@link #watch}).
 *
 * <p><b>Hosting side</b> (remote watchers of local actors): a WATCH record installs a
 * {@link WatchStub} as a watcher of the local actor's cell, and UNWATCH removes it; both run on
 * the I/O thread, which alone reads and writes {@code hostedWatches}. The stub's notice runs on
 * whichever thread the cell notifies on: it hands a TERMINATED record to the outbox, and then a
 * task that removes the stub from {@code hostedWatches} on the I/O thread, so a peer watching many
 * short-lived actors does not keep their cells.
 */
final class RemoteDeathWatch {
    private final RemoteTransport transport;
    /** Watching side: remote actor address to the local watchers of it. */
    private final ConcurrentHashMap<String, Set<DeathWatcher>> remoteWatchers = new ConcurrentHashMap<>();
    /** Hosting side, I/O thread only: peer node to watched path to the stub that tells the peer. */
    private final HashMap<String, HashMap<String, WatchStub>> hostedWatches = new HashMap<>();

    RemoteDeathWatch(RemoteTransport transport) {
        this.transport = transport;
    }

    // ------------------------------------------------------------------ watching side (any thread)

    /**
     * Adds a local watcher of a remote actor; the first one sends WATCH. Any thread.
     *
     * <p>The set of an address is changed only inside {@code compute} on its key, which the map
     * runs atomically per key (and {@link #notifyWatchers}' {@code remove} is atomic with it): a
     * watcher is never added to a set that an {@link #unwatch} has just emptied and dropped. The
     * WATCH and UNWATCH records are offered inside that same atomic step, so they enter the
     * outbound queue, and reach the peer, in the order of the changes they stand for: an UNWATCH
     * never overtakes the WATCH of a watcher that came after it.
     */
    void watch(RemoteActorRef target, DeathWatcher watcher) {
        remoteWatchers.compute(target.address(), (address, watchers) -> {
            if (watchers == null) {
                watchers = ConcurrentHashMap.newKeySet();
                transport.outbox.enqueue(new Outbound.Plain(target.node(), pathFrame(RecordKind.WATCH, target.path())),
                        target, null, false);
            }
            watchers.add(watcher);
            return watchers;
        });
    }

    /** Removes a local watcher of a remote actor; the last one sends UNWATCH. Any thread; see {@link #watch}. */
    void unwatch(RemoteActorRef target, DeathWatcher watcher) {
        remoteWatchers.computeIfPresent(target.address(), (address, watchers) -> {
            if (!watchers.remove(watcher) || !watchers.isEmpty()) {
                return watchers;
            }
            transport.outbox.enqueue(new Outbound.Plain(target.node(), pathFrame(RecordKind.UNWATCH, target.path())),
                    target, null, false);
            return null;
        });
    }

    /** @return whether the watcher is registered for the remote actor; any thread (for tests) */
    boolean isWatching(RemoteActorRef target, DeathWatcher watcher) {
        Set<DeathWatcher> watchers = remoteWatchers.get(target.address());
        return watchers != null && watchers.contains(watcher);
    }

    private static byte[] pathFrame(RecordKind kind, String path) {
        WireWriter out = new WireWriter(64, null);
        out.writeByte(kind.code());
        out.writeString(path);
        return out.toByteArray();
    }

    /** Handles a TERMINATED record from a peer. I/O thread. */
    void terminated(Peer peer, String path, TerminationReason reason) {
        notifyWatchers(peer.node + path, reason.reason());
    }

    /** Tells every local watcher of a remote actor that it is gone. Any thread. */
    void notifyWatchers(String address, Terminated.Reason reason) {
        Set<DeathWatcher> watchers = remoteWatchers.remove(address);
        if (watchers == null) {
            return;
        }
        NodeAddress.Address parsed = NodeAddress.parse(address);
        RemoteActorRef ref = new RemoteActorRef(transport, parsed.node(), parsed.path());
        Terminated notice = new Terminated(ref, reason, null);
        for (DeathWatcher watcher : watchers) {
            try {
                watcher.deathNotice(ref, notice);
            } catch (RuntimeException e) {
                RemoteTransport.LOG.log(System.Logger.Level.WARNING, "A watcher of " + address + " failed on its notice", e);
            }
        }
    }

    // ------------------------------------------------------------------ hosting side (I/O thread)

    /** Handles a WATCH record from a peer. */
    void hostWatch(Peer peer, String path) {
        if (!NodeAddress.validPath(path)) {
            throw new CodecException("watched path '" + RemoteTransport.abbreviate(path) + "' is not under /user");
        }
        HashMap<String, WatchStub> byPath = hostedWatches.computeIfAbsent(peer.node, node -> new HashMap<>());
        WatchStub existing = byPath.get(path);
        if (existing != null && !existing.fired) {
            return;
        }
        ActorCell cell = ActorCell.cellOf(transport.runtime.resolveLocal(path));
        WatchStub stub = new WatchStub(peer.node, path, cell);
        if (cell == null) {
            // No actor there: it counts as stopped at once, and nothing is kept for the watch.
            byPath.remove(path);
            stub.deathNotice(null, null);
        } else {
            byPath.put(path, stub);
            cell.addWatcher(stub);
        }
    }

    /** Handles an UNWATCH record from a peer. */
    void hostUnwatch(String node, String path) {
        HashMap<String, WatchStub> byPath = hostedWatches.get(node);
        WatchStub stub = byPath == null ? null : byPath.remove(path);
        if (stub != null && stub.cell != null) {
            stub.cell.removeWatcher(stub);
        }
    }

    /**
     * Forgets a stub that has sent its TERMINATED record: the actor is gone, and the stub would
     * keep its cell reachable for as long as the peer lives. A WATCH that came after the notice
     * has put a new stub in its place, which stays.
     */
    private void forget(WatchStub stub) {
        HashMap<String, WatchStub> byPath = hostedWatches.get(stub.node);
        if (byPath != null && byPath.remove(stub.path, stub) && byPath.isEmpty()) {
            hostedWatches.remove(stub.node);
        }
    }

    /** @return how many watches of local actors peers hold; I/O thread (for tests) */
    int hostedCount() {
        int count = 0;
        for (HashMap<String, WatchStub> byPath : hostedWatches.values()) {
            count += byPath.size();
        }
        return count;
    }

    /** @return how many remote actors local watchers watch; any thread (for tests) */
    int watchedCount() {
        return remoteWatchers.size();
    }

    // ------------------------------------------------------------------ both sides (I/O thread)

    /** A peer is down: its actors' watchers are told, its watches of local actors forgotten. */
    void nodeDown(String node) {
        String prefix = node + "/";
        for (String address : List.copyOf(remoteWatchers.keySet())) {
            if (address.startsWith(prefix)) {
                notifyWatchers(address, Terminated.Reason.NODE_DOWN);
            }
        }
        HashMap<String, WatchStub> hosted = hostedWatches.remove(node);
        if (hosted != null) {
            for (WatchStub stub : hosted.values()) {
                if (stub.cell != null) {
                    stub.cell.removeWatcher(stub);
                }
            }
        }
    }

    /** This node closes: every watcher of a remote actor is told its node is down. */
    void closeAll() {
        for (String address : List.copyOf(remoteWatchers.keySet())) {
            notifyWatchers(address, Terminated.Reason.NODE_DOWN);
        }
    }

    /** Tells a remote watcher that a local actor terminated. Called by the actor's cell, any thread. */
    private final class WatchStub implements DeathWatcher {
        final String node;
        final String path;
        final ActorCell cell;
        /** Written once by the notifying thread, read by the I/O thread on a later WATCH. */
        volatile boolean fired;

        WatchStub(String node, String path, ActorCell cell) {
            this.node = node;
            this.path = path;
            this.cell = cell;
        }

        @Override
        public void deathNotice(Object watched, Terminated terminated) {
            fired = true;
            WireWriter out = new WireWriter(64, null);
            out.writeByte(RecordKind.TERMINATED.code());
            out.writeString(path);
            out.writeByte(TerminationReason.of(terminated).code());
            transport.outbox.enqueue(new Outbound.Plain(node, out.toByteArray()), node + path, null);
            if (cell != null) {
                transport.outbox.enqueueTask(() -> forget(this));
            }
        }
    }
}
