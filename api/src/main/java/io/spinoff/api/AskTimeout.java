package io.spinoff.api;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.concurrent.TimeUnit;

/**
 * Sets the reply timeout of one ask method of an {@link ActorProtocol}, overriding the actor
 * system's default. When no reply arrives in time, the caller's future fails with
 * {@link AskTimeoutException}.
 *
 * <pre>{@code
 * @AskTimeout(value = 30, unit = TimeUnit.SECONDS)
 * CompletionStage<Report> buildReport(String name);
 * }</pre>
 *
 * <p>Only ask methods (returning {@code CompletionStage} or {@code CompletableFuture}) may carry it,
 * and the value must be positive; the processor reports anything else as a compile error.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface AskTimeout {

    /** @return the timeout, in {@link #unit()}s; must be positive */
    long value();

    /** @return the unit of {@link #value()} */
    TimeUnit unit() default TimeUnit.MILLISECONDS;
}
