package io.spinoff.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares an interface as an actor protocol.
 *
 * <p>For an annotated interface {@code p.Counter} the Spinoff annotation processor generates, in
 * package {@code p}:
 * <ul>
 *   <li>{@code CounterMessage}: a sealed interface with one record per method;</li>
 *   <li>{@code CounterRef}: the typed proxy, a final class implementing {@code Counter} that turns
 *       each call into a message sent through an {@link ActorRef};</li>
 *   <li>{@code CounterProtocol}: the protocol's name and fingerprint, its dispatch table, its
 *       binary codec and its proxy factory, a {@link io.spinoff.api.support.ProtocolDefinition}.</li>
 * </ul>
 * A nested protocol {@code p.Outer.Counter} gives {@code p.Outer_CounterMessage} and so on.
 *
 * <p>Each abstract method is a message. A method returning {@code void} is a <em>tell</em> (fire and
 * forget); a method returning {@code CompletionStage<T>} or {@code CompletableFuture<T>} is an
 * <em>ask</em> whose returned stage is the reply. Default and static methods are not messages.
 * Methods inherited from super-interfaces are part of the protocol. Method names must be unique
 * (no overloads), methods must not be generic nor declare checked exceptions, and every parameter
 * and result type must be transportable unless {@link #local()} is set. The processor reports every
 * violation as a compile error on the offending element.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ActorProtocol {

    /**
     * Whether the protocol never leaves its JVM. A local protocol may use any parameter and result
     * types; it gets no binary codec, and a runtime refuses to send its messages to another node.
     *
     * @return {@code true} for a protocol whose messages never cross the wire
     */
    boolean local() default false;
}
