package io.spinoff.api.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the protocol of a generated sealed message interface: {@code @MessagesOf(Counter.class)} on
 * {@code CounterMessage}. A runtime that holds a message finds its protocol through this annotation
 * (and the protocol's definition through {@link ProtocolDefinition#of}), never by taking a generated
 * name apart. Only the processor writes it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MessagesOf {

    /** @return the {@code @ActorProtocol} interface whose messages the annotated type holds */
    Class<?> value();
}
