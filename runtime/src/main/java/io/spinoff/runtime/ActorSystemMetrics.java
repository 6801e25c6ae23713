package io.spinoff.runtime;

/**
 * Counters of an actor system. Each is monotonic from the system's creation.
 *
 * <p><b>Threading:</b> every method may be called from any thread; values are read without
 * stopping the system, so two counters read one after the other need not be mutually consistent.
 */
public interface ActorSystemMetrics {

    /** @return messages that went to dead letters */
    long deadLetters();

    /** @return actor restarts made by supervisors */
    long restarts();

    /** @return messages refused by full bounded mailboxes */
    long mailboxOverflows();

    /**
     * @return frames from the network dropped as malformed, oversize, unknown or unauthorised, or
     *     at their target actor's {@link ActorSystemBuilder#maxInboundBytes(int) inbound limit}; and
     *     frames this node could not send, its outbound queue to their peer being full
     */
    long droppedFrames();

    /** @return actors currently alive, guardians excluded */
    long liveActors();

    /**
     * @return user messages handled by the system's actors (by their turns on the system's carrier
     *     threads); a sum read without stopping the carriers, so a little behind while they run
     */
    long messagesHandled();
}
