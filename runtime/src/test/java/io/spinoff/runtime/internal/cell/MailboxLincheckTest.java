package io.spinoff.runtime.internal.cell;

import java.util.concurrent.atomic.AtomicBoolean;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Test;

/**
 * The mailbox's system-message stack and its scheduled flag, model-checked and stress-tested.
 * The stack, pushed by any thread and taken by one consumer, must behave as a FIFO queue
 * (linearizable against the mailbox run sequentially); the flag's protocol is checked by
 * {@link WakeUp}.
 */
@Param(name = "element", gen = IntGen.class, conf = "1:9")
public class MailboxLincheckTest {

    private final TestMailbox mailbox = new TestMailbox();

    @Operation
    public void pushSystem(@Param(name = "element") int element) {
        mailbox.pushSystem(new SystemMessage.Restart(null, element));
    }

    @Operation(nonParallelGroup = "consumer")
    public Long pollSystem() {
        SystemMessage message = mailbox.pollSystem();
        return message == null ? null : ((SystemMessage.Restart) message).incarnation();
    }

    @Operation(nonParallelGroup = "consumer")
    public boolean hasSystem() {
        return mailbox.hasSystem();
    }

    /**
     * The flag's protocol. {@code sendSystem} is what {@link ActorCell#sendSystem} does: push,
     * then claim the flag; a sender that wins the claim hands the cell to the pool (here: sets
     * {@link #submitted}). {@code turn} is the consumer: it runs only while the cell is submitted,
     * takes every system message, releases the flag, and claims it again when work is left, as
     * the end of a turn does. Results are not compared (the hand-off to the pool lags the claim,
     * which no sequential run shows); after every run, a message left on the stack must have the
     * cell submitted ({@link #noLostWakeUp}), or it would wait for a wake-up that never comes.
     */
    @Param(name = "element", gen = IntGen.class, conf = "1:9")
    public static class WakeUp {
        private final TestMailbox mailbox = new TestMailbox();
        /** Whether the cell is in the pool's hands: set by whoever wins the flag. */
        private final AtomicBoolean submitted = new AtomicBoolean();

        @Operation
        public void sendSystem(@Param(name = "element") int element) {
            mailbox.pushSystem(new SystemMessage.Restart(null, element));
            if (mailbox.claim()) {
                submitted.set(true);
            }
        }

        @Operation(nonParallelGroup = "consumer")
        public void turn() {
            if (!submitted.getAndSet(false)) {
                return;
            }
            while (mailbox.pollSystem() != null) {
                // handled
            }
            mailbox.release();
            if (mailbox.hasWorkAfterRelease(true) && mailbox.claim()) {
                submitted.set(true);
            }
        }

        @Validate
        public void noLostWakeUp() {
            if (mailbox.hasSystem() && !submitted.get()) {
                throw new IllegalStateException("a system message waits while the cell is not scheduled");
            }
        }
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
    void wakeUpModelChecking() {
        new ModelCheckingOptions()
                .iterations(30)
                .invocationsPerIteration(1_000)
                .threads(3)
                .actorsPerThread(3)
                .check(WakeUp.class);
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
