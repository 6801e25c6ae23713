package io.spinoff.runtime.internal.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The inbound limit's two single-writer counts ({@link Mailbox#admitRemote}) under a stress: one
 * thread admits messages of random cost (as the remoting I/O thread does), offers most and gives
 * some back undelivered; one consumer takes them out; a third thread reads the cost waiting all
 * along. No count may be lost (everything admitted and offered is taken, so nothing waits at the
 * end), the cost waiting never exceeds the limit by more than one message, and a reader on another
 * thread, which may be descheduled between its reads of the two counts while thousands of messages
 * go through, always gets a value the cost waiting really had (never below zero, never above the
 * limit plus one message). The costs add up to many times 2^32, so both counts wrap around.
 */
class InboundCountsStressTest {

    private static final long LIMIT = 1 << 20;
    private static final int MAX_COST = 1 << 16;
    /** The cost admitted past which both counts have wrapped around at least twice. */
    private static final long WRAPPED_TWICE = 2 * (1L << 32);
    private static final long RUN_NANOS = TimeUnit.SECONDS.toNanos(3);
    /**
     * The run goes on past {@link #RUN_NANOS} until the counts wrapped twice, up to this long: on
     * a loaded machine 3 s once saw only 407 MB admitted.
     */
    private static final long MAX_RUN_NANOS = TimeUnit.SECONDS.toNanos(60);

    @Test
    @Timeout(90)
    void noCountIsLostAndTheLimitHolds() throws Exception {
        TestMailbox mailbox = new TestMailbox();
        AtomicBoolean producing = new AtomicBoolean(true);
        AtomicReference<String> violation = new AtomicReference<>();
        AtomicLong admittedCost = new AtomicLong();
        AtomicLong takenCost = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        AtomicLong reads = new AtomicLong();

        Thread io = new Thread(() -> {
            SplittableRandom random = new SplittableRandom(42);
            long start = System.nanoTime();
            long admitted = 0;
            for (long elapsed = 0; elapsed < RUN_NANOS || (admitted <= WRAPPED_TWICE && elapsed < MAX_RUN_NANOS);
                    elapsed = System.nanoTime() - start) {
                int cost = 1 + random.nextInt(MAX_COST);
                if (!mailbox.admitRemote(cost, LIMIT)) {
                    refused.incrementAndGet();
                    Thread.onSpinWait();
                    continue;
                }
                long waiting = mailbox.remotePending();
                if (waiting > LIMIT + MAX_COST) {
                    violation.compareAndSet(null, "the I/O thread saw " + waiting + " waiting after an admission");
                }
                if (random.nextInt(10) == 0) {
                    mailbox.remoteUndelivered(cost);
                } else {
                    admitted += cost;
                    mailbox.offer(cost);
                }
            }
            admittedCost.set(admitted);
            producing.set(false);
        }, "io");
        Thread consumer = new Thread(() -> {
            long taken = 0;
            while (true) {
                // Read before polling: once the producer is done, every offer precedes this
                // read, so an empty (strict) poll after it means nothing is left.
                boolean done = !producing.get();
                Object item = mailbox.messages.poll();
                if (item == null) {
                    if (done) {
                        break;
                    }
                    Thread.onSpinWait();
                    continue;
                }
                int cost = (Integer) item;
                taken += cost;
                mailbox.remoteTakenOut(cost);
            }
            takenCost.set(taken);
        }, "consumer");
        Thread reader = new Thread(() -> {
            while (producing.get()) {
                long waiting = mailbox.remotePending();
                if (waiting > LIMIT + MAX_COST) {
                    violation.compareAndSet(null, "a reader saw " + waiting + " waiting (the limit is " + LIMIT
                            + ", one message costs at most " + MAX_COST + "; a count below zero reads as more than 2^31)");
                }
                reads.incrementAndGet();
            }
        }, "reader");
        io.start();
        consumer.start();
        reader.start();
        io.join();
        consumer.join();
        reader.join();

        assertEquals(null, violation.get());
        assertEquals(admittedCost.get(), takenCost.get(), "every message offered was taken");
        assertEquals(0, mailbox.remotePending(), "nothing waits once everything offered was taken");
        assertTrue(admittedCost.get() > WRAPPED_TWICE,
                "the counts wrapped around: " + admittedCost.get() + " admitted in all");
        assertTrue(refused.get() > 0, "the limit was reached at least once");
        assertTrue(reads.get() > 0);
    }
}
