package io.spinoff.runtime;

/**
 * The failure of an ask whose message was refused because the actor's bounded mailbox was full.
 * The refused message is counted in {@link ActorSystemMetrics#mailboxOverflows()} and goes to dead
 * letters.
 */
public final class MailboxOverflowException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message says which actor and what capacity */
    public MailboxOverflowException(String message) {
        super(message);
    }
}
