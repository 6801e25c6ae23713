package io.spinoff.runtime.internal.watch;

import io.spinoff.api.ActorRef;
import io.spinoff.runtime.Terminated;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What one actor watches: local cells, remote actors, and references to nothing (which notify at
 * once). Made on the actor's first watch, so that an actor that watches nothing pays one null
 * field. Not API.
 *
 * <p><b>Threads:</b> the watching actor's <em>consumer only</em> (its turn; a process's calls
 * reach it through the turn). The watched side keeps its own watchers under its own lock
 * ({@link Watchable}), and notices come back as mailbox envelopes, so this set needs no lock.
 */
public final class Watching {

    /** A local actor, which keeps its own watchers. */
    public interface Watchable {
        /** @param watcher to notify on termination; at once if already terminated. Any thread. */
        void addWatcher(DeathWatcher watcher);

        /** @param watcher no longer to notify. Any thread. */
        void removeWatcher(DeathWatcher watcher);
    }

    private final DeathWatcher owner;
    /** In the order watched, so that unwatching them all goes in a repeatable order (a simulation replays it). */
    private final Set<Object> targets = new LinkedHashSet<>();

    /** @param owner the watching actor, notified of each target's termination */
    public Watching(DeathWatcher owner) {
        this.owner = owner;
    }

    /**
     * Watches a target, once however often it is asked.
     *
     * @param target a local actor ({@link Watchable}), a {@link RemoteWatchable}, or another
     *     reference (to no actor: its notice comes at once, reason STOPPED)
     */
    public void watch(Object target) {
        if (target instanceof Watchable local) {
            if (targets.add(local)) {
                local.addWatcher(owner);
            }
        } else if (target instanceof RemoteWatchable remote) {
            if (targets.add(remote)) {
                remote.watch(owner);
            }
        } else {
            ActorRef<?> unknown = (ActorRef<?>) target;
            targets.add(unknown);
            owner.deathNotice(unknown, new Terminated(unknown, Terminated.Reason.STOPPED, null));
        }
    }

    /** @param target no longer to watch; a notice already on its way is then ignored */
    public void unwatch(Object target) {
        if (!targets.remove(target)) {
            return;
        }
        if (target instanceof Watchable local) {
            local.removeWatcher(owner);
        } else if (target instanceof RemoteWatchable remote) {
            remote.unwatch(owner);
        }
    }

    /**
     * A notice arrived: it counts only while its target is watched, once.
     *
     * @param target the notice's target
     * @return whether the target was watched (and is now forgotten)
     */
    public boolean noticeArrived(Object target) {
        return targets.remove(target);
    }

    /** Stops watching everything: the actor is stopping or restarting. */
    public void unwatchAll() {
        for (Object target : targets) {
            if (target instanceof Watchable local) {
                local.removeWatcher(owner);
            } else if (target instanceof RemoteWatchable remote) {
                remote.unwatch(owner);
            }
        }
        targets.clear();
    }
}
