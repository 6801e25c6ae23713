package io.spinoff.runtime.internal.watch;

/**
 * Something outside this JVM that can be watched: a remote actor, whose node reports its
 * termination. Not API.
 *
 * <p><b>Threads:</b> any thread; the remoting's I/O thread delivers the notice.
 */
public interface RemoteWatchable {
    /** @param watcher to notify when the remote actor terminates, or its node is down */
    void watch(DeathWatcher watcher);

    /** @param watcher not to notify any more */
    void unwatch(DeathWatcher watcher);
}
