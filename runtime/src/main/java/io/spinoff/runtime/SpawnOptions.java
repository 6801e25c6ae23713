package io.spinoff.runtime;

/**
 * Options for spawning one actor.
 *
 * @param mailboxCapacity the most messages the actor's mailbox holds; 0 for unbounded (the
 *     default). A message that finds a bounded mailbox full is refused: counted in
 *     {@link ActorSystemMetrics#mailboxOverflows()}, sent to dead letters, and an ask fails with
 *     {@link MailboxOverflowException}.
 */
public record SpawnOptions(int mailboxCapacity) {

    /** The default options: an unbounded mailbox. */
    public static final SpawnOptions DEFAULT = new SpawnOptions(0);

    /** Checks the capacity. */
    public SpawnOptions {
        if (mailboxCapacity < 0) {
            throw new IllegalArgumentException("mailboxCapacity is " + mailboxCapacity
                    + "; give a positive capacity, or 0 for an unbounded mailbox.");
        }
    }

    /**
     * @param capacity the most messages the mailbox holds; positive
     * @return options with a bounded mailbox
     */
    public static SpawnOptions boundedMailbox(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("A bounded mailbox needs a positive capacity, not " + capacity + ".");
        }
        return new SpawnOptions(capacity);
    }
}
