package io.spinoff.runtime.internal.observe;

import io.spinoff.runtime.ActorInfo;
import io.spinoff.runtime.internal.cell.ActorCell;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Walks a system's actors from its roots (the user guardian, then the cluster's roots under
 * {@code /cluster}), without stopping them: what it reads of each actor is a racy snapshot (see
 * {@link ActorCell#mailboxDepth}). Not API.
 *
 * <p><b>Threading:</b> any thread; the children maps are concurrent, so an actor started or
 * stopped during the walk may or may not be seen.
 */
final class ActorTree {

    /** The most messages counted in one unbounded mailbox: a walk of its links costs that much. */
    static final int DEPTH_LIMIT = 1_000_000;

    private ActorTree() {}

    /**
     * @param roots the roots, in the order their actors are listed
     * @return every actor under the roots, root by root, parents before children, siblings by
     *     path (the roots excluded)
     */
    static List<ActorInfo> dump(List<ActorCell> roots) {
        List<ActorInfo> rows = new ArrayList<>();
        for (ActorCell root : roots) {
            dump(root, rows);
        }
        return rows;
    }

    private static void dump(ActorCell root, List<ActorInfo> rows) {
        ArrayDeque<ActorCell> toVisit = new ArrayDeque<>(sorted(root.childrenSnapshot()));
        while (!toVisit.isEmpty()) {
            ActorCell cell = toVisit.pollFirst();
            rows.add(info(cell));
            List<ActorCell> children = sorted(cell.childrenSnapshot());
            for (int i = children.size() - 1; i >= 0; i--) {
                toVisit.addFirst(children.get(i));
            }
        }
    }

    private static List<ActorCell> sorted(java.util.Collection<ActorCell> cells) {
        List<ActorCell> list = new ArrayList<>(cells);
        list.sort(Comparator.comparing(ActorCell::path));
        return list;
    }

    static ActorInfo info(ActorCell cell) {
        return new ActorInfo(cell.path(), cell.actorClassName(), cell.mailboxDepth(DEPTH_LIMIT), cell.stateName(),
                cell.restartCount());
    }

    /** The total of every mailbox and the deepest ones. */
    record Depths(long total, String deepest) {}

    /**
     * @param roots the roots: the user guardian and the cluster's roots
     * @param top how many of the deepest mailboxes to name
     * @return the total depth, and the deepest non-empty mailboxes as {@code path=depth, ...}
     */
    static Depths depths(List<ActorCell> roots, int top) {
        PriorityQueue<long[]> deepest = new PriorityQueue<>(Comparator.comparingLong(entry -> entry[0]));
        List<String> paths = new ArrayList<>();
        long total = 0;
        ArrayDeque<ActorCell> toVisit = new ArrayDeque<>();
        for (ActorCell root : roots) {
            toVisit.addAll(root.childrenSnapshot());
        }
        while (!toVisit.isEmpty()) {
            ActorCell cell = toVisit.pollFirst();
            long depth = cell.mailboxDepth(DEPTH_LIMIT);
            total += depth;
            if (depth > 0) {
                paths.add(cell.path());
                deepest.add(new long[] {depth, paths.size() - 1});
                if (deepest.size() > top) {
                    deepest.poll();
                }
            }
            toVisit.addAll(cell.childrenSnapshot());
        }
        List<long[]> ordered = new ArrayList<>(deepest);
        ordered.sort(Comparator.comparingLong((long[] entry) -> entry[0]).reversed());
        StringBuilder text = new StringBuilder();
        for (long[] entry : ordered) {
            if (!text.isEmpty()) {
                text.append(", ");
            }
            text.append(paths.get((int) entry[1])).append('=').append(entry[0]);
        }
        return new Depths(total, text.toString());
    }
}
