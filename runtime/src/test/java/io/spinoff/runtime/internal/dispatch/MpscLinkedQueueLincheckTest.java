package io.spinoff.runtime.internal.dispatch;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * The mailbox queue, model-checked and stress-tested by Lincheck: offers from several threads
 * against one consumer ({@code nonParallelGroup = "consumer"} keeps the consumer's operations on
 * one thread, as the queue requires). The sequential specification is the queue itself run
 * sequentially, a FIFO queue.
 *
 * <p>{@link MpscLinkedQueue#offer}, {@link MpscLinkedQueue#poll} and
 * {@link MpscLinkedQueue#peekNonEmpty} must be linearizable (an offer takes effect at its swap of
 * the tail). The relaxed operations may miss an element in flight, which no sequential run shows, so
 * they are checked through operations whose result a sequential run fixes: {@code relaxedPoll}
 * may answer null early but never a wrong element, and {@code isEmpty} false means
 * {@code relaxedPoll} finds an element.
 */
@Param(name = "element", gen = IntGen.class, conf = "1:9")
public class MpscLinkedQueueLincheckTest {

    private final MpscLinkedQueue<Integer> queue = new MpscLinkedQueue<>();

    @Operation
    public void offer(@Param(name = "element") int element) {
        queue.offer(element);
    }

    @Operation(nonParallelGroup = "consumer")
    public Integer poll() {
        return queue.poll();
    }

    @Operation(nonParallelGroup = "consumer")
    public boolean peekNonEmpty() {
        return queue.peekNonEmpty();
    }

    /** relaxedPoll, and poll when it found nothing: same result as poll whenever relaxedPoll is right. */
    @Operation(nonParallelGroup = "consumer")
    public Integer relaxedPollThenPoll() {
        Integer element = queue.relaxedPoll();
        return element != null ? element : queue.poll();
    }

    /** When isEmpty says false, relaxedPoll must find an element; otherwise as poll. */
    @Operation(nonParallelGroup = "consumer")
    public Integer isEmptyThenPoll() {
        if (!queue.isEmpty()) {
            Integer element = queue.relaxedPoll();
            if (element == null) {
                throw new AssertionError("isEmpty answered false, then relaxedPoll found nothing");
            }
            return element;
        }
        return queue.poll();
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(30)
                .invocationsPerIteration(2_000)
                .threads(3)
                .actorsPerThread(3)
                .check(getClass());
    }
}
