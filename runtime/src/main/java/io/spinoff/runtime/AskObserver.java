package io.spinoff.runtime;

/**
 * Told of every ask a system's callers and actors make, local or remote, when it completes: for
 * latency figures such as {@code spinoff-micrometer}'s ask timer. Registered with
 * {@link ActorSystem#addAskObserver}; a system without observers pays nothing for them.
 *
 * <p><b>Threading:</b> called on the thread that completed the ask (the replying actor's carrier,
 * the remoting I/O thread, the ask-timeout tick's executor), so it must be quick and must not
 * block; an exception from it is logged and does not affect the ask.
 */
@FunctionalInterface
public interface AskObserver {

    /**
     * @param target the address asked
     * @param messageType the class of the ask's message (a protocol's generated message record)
     * @param nanos from the ask to its completion
     * @param failure null for a reply; else what the caller's future failed with (an
     *     {@link io.spinoff.api.AskTimeoutException} for a timeout)
     */
    void askCompleted(String target, Class<?> messageType, long nanos, Throwable failure);
}
