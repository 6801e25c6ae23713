package io.spinoff.api;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A reference to an actor that accepts messages of type {@code M}: the records generated for a
 * protocol (for example {@code CounterMessage}). Typed proxies such as {@code CounterRef} send
 * through an {@code ActorRef}; user code normally holds the proxy and uses this type to pass
 * references around. An {@code ActorRef} parameter of an {@link ActorProtocol} method travels as
 * the actor's address and arrives as a working reference.
 *
 * <p><b>Threading:</b> implementations are thread-safe; any thread may send. Messages sent by one
 * thread to one actor arrive in the order sent.
 *
 * <p><b>Equality:</b> two references are equal when they designate the same actor (the same
 * address); {@code toString()} shows the address.
 *
 * @param <M> the type of the messages the actor accepts
 */
public interface ActorRef<M> {

    /**
     * @return the actor's address: {@code /user/NAME} for an actor of a system that is not a node,
     *     {@code node@host:port/user/NAME} for an actor of a node
     */
    String address();

    /**
     * Sends a message and returns at once. Delivery is at most once: a message to an actor that has
     * stopped goes to the dead letters of its system, where it is counted.
     *
     * @param message the message; never {@code null}
     * @throws NullPointerException if {@code message} is null
     */
    void tell(M message);

    /**
     * Sends the message of an ask method and returns the future of its reply. The timeout is the one
     * {@link AskTimeout} sets on the method, or else the system's default.
     *
     * @param message the message of an ask method; never {@code null}
     * @param <R> the reply type, given by the message: a wrong reply type does not compile
     * @return a future completed by the reply, or failed with the actor's exception, with
     *     {@link AskTimeoutException} when no reply comes in time, or promptly with an exception
     *     saying so when the actor is stopped or unknown
     * @throws NullPointerException if {@code message} is null
     */
    <R> CompletableFuture<R> ask(Ask<R> message);

    /**
     * Sends the message of an ask method with an explicit timeout, which takes precedence over the
     * method's {@link AskTimeout} and the system's default.
     *
     * @param message the message of an ask method; never {@code null}
     * @param timeout how long to wait for the reply; positive
     * @param <R> the reply type, given by the message
     * @return as {@link #ask(Ask)}
     * @throws NullPointerException if {@code message} or {@code timeout} is null
     */
    <R> CompletableFuture<R> ask(Ask<R> message, Duration timeout);
}
