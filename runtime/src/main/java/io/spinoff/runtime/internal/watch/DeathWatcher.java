package io.spinoff.runtime.internal.watch;

import io.spinoff.runtime.Terminated;

/**
 * Something that watches actors: a local actor cell, or (with remoting) a proxy for a remote one.
 * Not API.
 */
public interface DeathWatcher {

    /**
     * Tells the watcher that an actor it watches terminated. Called from any thread; must not block.
     *
     * @param watched the identity the watcher watched (a cell, or a remote address)
     * @param terminated the notice
     */
    void deathNotice(Object watched, Terminated terminated);
}
