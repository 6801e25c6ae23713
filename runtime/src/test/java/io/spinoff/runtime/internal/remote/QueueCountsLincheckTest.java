package io.spinoff.runtime.internal.remote;

import org.jetbrains.lincheck.Lincheck;
import org.junit.jupiter.api.Test;

/**
 * A sender counting a record up while the I/O thread retires the node's idle count, model-checked
 * by Lincheck over the interleavings of the threads: whatever the order, every record is counted
 * down on the count it was counted up on, so the counts return to exactly 0 and can be retired.
 */
class QueueCountsLincheckTest {

    @Test
    void aReserveRacingTheRetirementIsCountedDownOnItsOwnCount() {
        Lincheck.runConcurrentTest(1_000, () -> {
            QueueCounts counts = new QueueCounts(10);
            // The node had a record, taken already: its count is 0 and it may be retired.
            counts.reserve("n");
            counts.release("n");

            Thread sender = new Thread(() -> check(counts.reserve("n"), "the queue had room"));
            Thread io = new Thread(() -> counts.retireIdle(node -> true));
            sender.start();
            io.start();
            join(sender);
            join(io);

            // Another sender counts a record; then the I/O thread takes both records.
            check(counts.reserve("n"), "the queue had room");
            check(counts.count("n") == 2, "the two records waiting are counted as " + counts.count("n"));
            counts.release("n");
            counts.release("n");
            check(counts.count("n") == 0, "the count is " + counts.count("n") + " with nothing queued");
            counts.retireIdle(node -> true);
            check(counts.nodes() == 0, "an idle count was not retired");
        });
    }

    @Test
    void theLimitHoldsWhileSendersRace() {
        Lincheck.runConcurrentTest(1_000, () -> {
            QueueCounts counts = new QueueCounts(1);
            boolean[] reserved = new boolean[2];
            Thread first = new Thread(() -> reserved[0] = counts.reserve("n"));
            Thread second = new Thread(() -> reserved[1] = counts.reserve("n"));
            first.start();
            second.start();
            join(first);
            join(second);
            check(reserved[0] != reserved[1], "exactly one of two senders gets the one place");
        });
    }

    private static void check(boolean condition, String failure) {
        if (!condition) {
            throw new AssertionError(failure);
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }
}
