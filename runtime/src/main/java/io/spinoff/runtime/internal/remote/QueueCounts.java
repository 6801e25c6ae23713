package io.spinoff.runtime.internal.remote;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * How many records wait in the outbound queue for each node, against the outbound queue size;
 * counts of nodes that are gone are removed, so the table does not grow with every node ever sent
 * to. Not API.
 *
 * <h2>Threads and memory model</h2>
 * {@link #reserve}: any thread (the senders). {@link #release} and {@link #retireIdle}: the I/O
 * thread only, which is the one thread that counts down and removes.
 * <ul>
 *   <li>A count being removed is first <em>retired</em>: the I/O thread CASes it from 0 to
 *       {@link #RETIRED}, and only then removes it from the map. Senders count up with one atomic
 *       increment (not a CAS loop: the I/O thread counts the same atomic down for every record,
 *       and a sender's CAS would keep losing to it). The increment and the retiring CAS are
 *       totally ordered on the atomic: a sender whose increment came first made the count
 *       non-zero, so it is not retired until the I/O thread has counted it down to 0; a sender
 *       whose increment came after sees a negative value before it (RETIRED plus the increments
 *       of such senders, far from wrapping) and counts on a fresh count instead.</li>
 *   <li>A sender that finds the queue full takes its increment back. Until it does, the count is
 *       one above the records waiting, so another sender may be refused although one place has
 *       just been freed: a refusal at the limit, never a record over it.</li>
 *   <li>So while a count is above 0 it is in the map, and {@link #release}, which finds the count
 *       by the node's name, always counts down the count the record was counted on (the sender's
 *       offer to the queue happens-before the I/O thread's poll, and the map's get sees the
 *       entry, which has been there since before the sender's count).</li>
 *   <li>A sender that reads {@code RETIRED} removes the entry itself (the I/O thread may not have
 *       yet) and counts on a fresh one.</li>
 * </ul>
 */
final class QueueCounts {
    /** The value of a count that is being removed; see the class comment. */
    private static final int RETIRED = Integer.MIN_VALUE;

    private final int limit;
    private final ConcurrentHashMap<String, AtomicInteger> counts = new ConcurrentHashMap<>();

    /** @param limit the most records that may wait for one node */
    QueueCounts(int limit) {
        this.limit = limit;
    }

    /** @return whether the node's queue had room, which is now counted. Any thread. */
    boolean reserve(String node) {
        while (true) {
            AtomicInteger queued = counts.computeIfAbsent(node, key -> new AtomicInteger());
            int before = queued.getAndIncrement();
            if (before < 0) {
                // Retired: this increment counts on nothing that will be counted down.
                counts.remove(node, queued);
                continue;
            }
            if (before >= limit) {
                queued.decrementAndGet();
                return false;
            }
            return true;
        }
    }

    /** Counts down a record the I/O thread took from the queue. I/O thread. */
    void release(String node) {
        AtomicInteger queued = counts.get(node);
        if (queued != null) {
            queued.decrementAndGet();
        }
    }

    /** Removes the counts of the nodes that are gone and have nothing queued. I/O thread. */
    void retireIdle(Predicate<String> gone) {
        for (var entry : counts.entrySet()) {
            AtomicInteger queued = entry.getValue();
            if (gone.test(entry.getKey()) && queued.compareAndSet(0, RETIRED)) {
                counts.remove(entry.getKey(), queued);
            }
        }
    }

    /** @return how many nodes have a count */
    int nodes() {
        return counts.size();
    }

    /** @return the node's count, 0 when it has none */
    int count(String node) {
        AtomicInteger queued = counts.get(node);
        return queued == null ? 0 : queued.get();
    }
}
