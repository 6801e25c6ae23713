package io.spinoff.runtime.internal.cell;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;

/**
 * An actor's children by name, and the sequence that stops them one by one when the actor stops
 * or restarts. Made on the first spawn, so that an actor without children pays one null field.
 * Not API.
 *
 * <p><b>Threads:</b> the map is read by any thread (look-ups, the actor tree, the supervision of
 * the parent) and written by the parent's spawns (on its turn; any thread for the user guardian)
 * and by each child's termination (any thread); it is concurrent. Everything else (the stop
 * sequence and the name counter) is the parent's <em>consumer only</em>. The object is published
 * by the CAS that installs it in its cell ({@link ActorCell}), so its final map is seen whole.
 */
final class Children {

    /** The live children by name; a child removes itself when it terminates. */
    final ConcurrentHashMap<String, ActorCell> byName = new ConcurrentHashMap<>(4);
    /** Consumer only: children still to stop, youngest first; null when no stop is under way. */
    private ArrayDeque<ActorCell> toStop;
    /** Consumer only: the child being stopped, or null. */
    ActorCell stopping;
    /** Consumer only: fires when {@link #stopping} overruns the stop timeout; null when none. */
    ScheduledFuture<?> stopTimer;
    /** Consumer only: the last number given to a child spawned without a name. */
    private int lastGeneratedId;

    /** Consumer only. @return a name for a child spawned without one: {@code $1}, {@code $2}, ... in base 36 */
    String generatedName() {
        return "$" + Integer.toString(++lastGeneratedId, 36);
    }

    /** Consumer only: begins a stop of every live child, youngest first. */
    void beginStopping() {
        List<ActorCell> live = new ArrayList<>(byName.values());
        live.sort(Comparator.comparingLong((ActorCell c) -> c.startSequence).reversed());
        toStop = new ArrayDeque<>(live);
    }

    /** Consumer only. @return the next child to stop, or null when the sequence is done */
    ActorCell nextToStop() {
        ActorCell next = toStop == null ? null : toStop.poll();
        if (next == null) {
            toStop = null;
        }
        return next;
    }

    /** Consumer only: the child being stopped has terminated; cancels its timeout. */
    void stoppingEnded() {
        stopping = null;
        if (stopTimer != null) {
            stopTimer.cancel(false);
            stopTimer = null;
        }
    }

    /** Any thread. @return the live children at this moment */
    Collection<ActorCell> snapshot() {
        return List.copyOf(byName.values());
    }
}
