package io.spinoff.runtime;

/**
 * A message that could not be delivered: its recipient had stopped, did not exist, did not accept
 * it, or its bounded mailbox was full.
 *
 * @param recipient the address the message was sent to
 * @param message the message
 * @param reason why it was not delivered
 */
public record DeadLetter(String recipient, Object message, String reason) {}
