package io.spinoff.api.support;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * One method of a protocol, as the runtime sees it.
 *
 * @param index the method's position in the protocol (methods are ordered by name); it is the
 *     method index written on the wire
 * @param name the method's name
 * @param ask whether the method returns a reply (a {@code CompletionStage} or
 *     {@code CompletableFuture}) rather than {@code void}
 * @param askTimeout the timeout set by {@link io.spinoff.api.AskTimeout}, or empty when the
 *     system's default applies (always empty for a tell)
 */
public record MethodDescriptor(int index, String name, boolean ask, Optional<Duration> askTimeout) {

    /** Checks the components. */
    public MethodDescriptor {
        if (index < 0) {
            throw new IllegalArgumentException("index must not be negative: " + index);
        }
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(askTimeout, "askTimeout");
    }
}
