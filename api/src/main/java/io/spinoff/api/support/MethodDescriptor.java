package io.spinoff.api.support;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
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

    /**
     * @param index the method's index
     * @param name the method's name
     * @return the descriptor of a tell
     */
    public static MethodDescriptor tell(int index, String name) {
        return new MethodDescriptor(index, name, false, Optional.empty());
    }

    /**
     * @param index the method's index
     * @param name the method's name
     * @return the descriptor of an ask without {@link io.spinoff.api.AskTimeout}: the system's
     *     default timeout applies
     */
    public static MethodDescriptor ask(int index, String name) {
        return new MethodDescriptor(index, name, true, Optional.empty());
    }

    /**
     * @param index the method's index
     * @param name the method's name
     * @param timeout the amount of its {@link io.spinoff.api.AskTimeout}; positive
     * @param unit the unit of that amount
     * @return the descriptor of an ask with its own timeout
     */
    public static MethodDescriptor ask(int index, String name, long timeout, ChronoUnit unit) {
        if (timeout <= 0) {
            throw new IllegalArgumentException("An ask timeout must be positive, not " + timeout);
        }
        return new MethodDescriptor(index, name, true, Optional.of(Duration.of(timeout, unit)));
    }
}
