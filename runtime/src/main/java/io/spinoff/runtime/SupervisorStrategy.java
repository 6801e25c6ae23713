package io.spinoff.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * How a parent treats the failures of its children: which {@link Directive} applies to an
 * exception, which children it applies to ({@link Kind}), how many restarts are allowed within a
 * window, and an optional exponential backoff before each restart.
 *
 * <p>An actor chooses the strategy for its children by overriding
 * {@link Actor#supervisorStrategy()}; the system's user guardian uses the one given to
 * {@link ActorSystemBuilder#guardianStrategy(SupervisorStrategy)}. The default, {@link #DEFAULT},
 * is one-for-one, restart on any exception (but stop on {@link DeathPactException} and on a
 * failing constructor during a restart), at most 10 restarts within 10 seconds.
 *
 * <p><b>Restart intensity</b>, as in Erlang/OTP: when a child would be restarted for the
 * {@code maxRestarts + 1}th time within {@code window}, it is stopped instead and the failure
 * escalates to the parent's own supervisor.
 *
 * <p>Instances are immutable and thread-safe; the {@code with...} methods return new instances.
 */
public final class SupervisorStrategy {

    /** What a supervisor does with a failed child. */
    public enum Directive {
        /** Keep the actor and its state; drop the failing message and go on. */
        RESUME,
        /** Replace the actor with a new instance from its factory; the mailbox is kept. */
        RESTART,
        /** Stop the actor. */
        STOP,
        /** Fail the supervisor itself with the child's exception. */
        ESCALATE
    }

    /** Which children a directive applies to. */
    public enum Kind {
        /** Only the child that failed (Erlang's one_for_one). */
        ONE_FOR_ONE,
        /** Every child of the supervisor (one_for_all). */
        ALL_FOR_ONE,
        /** The child that failed and every child started after it (rest_for_one). */
        REST_FOR_ONE
    }

    /**
     * An exponential backoff before restarts: the n-th consecutive restart within the window waits
     * {@code min(maxDelay, minDelay * 2^(n-1))}, stretched by a random factor in
     * {@code [1, 1 + randomFactor]}.
     *
     * @param minDelay the delay of the first restart; positive
     * @param maxDelay the longest delay; at least {@code minDelay}
     * @param randomFactor how much random stretch to add, from 0 to 1
     */
    public record Backoff(Duration minDelay, Duration maxDelay, double randomFactor) {
        /** Checks the components. */
        public Backoff {
            Objects.requireNonNull(minDelay, "minDelay");
            Objects.requireNonNull(maxDelay, "maxDelay");
            if (minDelay.isNegative() || minDelay.isZero() || maxDelay.compareTo(minDelay) < 0) {
                throw new IllegalArgumentException("Backoff needs 0 < minDelay <= maxDelay, not " + minDelay
                        + " and " + maxDelay + "; fix the delays.");
            }
            if (!(randomFactor >= 0 && randomFactor <= 1)) {
                throw new IllegalArgumentException("Backoff randomFactor must be between 0 and 1, not " + randomFactor + ".");
            }
        }

        /**
         * @param restart the number of this restart within the window, from 1
         * @return the delay before it
         */
        public Duration delay(int restart) {
            long min = saturatedNanos(minDelay);
            int shift = Math.min(Math.max(restart - 1, 0), 40);
            long base = min > (Long.MAX_VALUE >> shift) ? Long.MAX_VALUE : min << shift;
            long capped = Math.min(base, saturatedNanos(maxDelay));
            double stretch = 1 + ThreadLocalRandom.current().nextDouble() * randomFactor;
            return Duration.ofNanos((long) Math.min(Long.MAX_VALUE / 2.0, capped * stretch));
        }

        /** A delay beyond what a long of nanoseconds holds (about 292 years) counts as that much. */
        private static long saturatedNanos(Duration delay) {
            return delay.compareTo(Duration.ofNanos(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : delay.toNanos();
        }
    }

    private static final Function<Throwable, Directive> DEFAULT_DECIDER = cause ->
            cause instanceof DeathPactException || cause instanceof ActorInitializationException
                    ? Directive.STOP : Directive.RESTART;

    /** One-for-one, restart (stop on death pacts and failing constructors), at most 10 restarts within 10 s. */
    public static final SupervisorStrategy DEFAULT =
            new SupervisorStrategy(Kind.ONE_FOR_ONE, DEFAULT_DECIDER, 10, Duration.ofSeconds(10), null);

    private final Kind kind;
    private final Function<Throwable, Directive> decider;
    private final int maxRestarts;
    private final Duration window;
    private final Backoff backoff;

    private SupervisorStrategy(Kind kind, Function<Throwable, Directive> decider, int maxRestarts,
            Duration window, Backoff backoff) {
        this.kind = kind;
        this.decider = decider;
        this.maxRestarts = maxRestarts;
        this.window = window;
        this.backoff = backoff;
    }

    /** @return the default decider and limits, applied one-for-one */
    public static SupervisorStrategy oneForOne() {
        return DEFAULT;
    }

    /** @return the default decider and limits, applied all-for-one */
    public static SupervisorStrategy allForOne() {
        return DEFAULT.withKind(Kind.ALL_FOR_ONE);
    }

    /** @return the default decider and limits, applied rest-for-one */
    public static SupervisorStrategy restForOne() {
        return DEFAULT.withKind(Kind.REST_FOR_ONE);
    }

    /**
     * @param kind which children a directive applies to
     * @return a copy with that kind
     */
    public SupervisorStrategy withKind(Kind kind) {
        return new SupervisorStrategy(Objects.requireNonNull(kind, "kind"), decider, maxRestarts, window, backoff);
    }

    /**
     * Replaces the decider.
     *
     * @param decider maps a child's exception to a directive; must not return null
     * @return a copy with that decider
     */
    public SupervisorStrategy withDecider(Function<? super Throwable, Directive> decider) {
        Objects.requireNonNull(decider, "decider");
        return new SupervisorStrategy(kind, decider::apply, maxRestarts, window, backoff);
    }

    /**
     * Adds a rule in front of the current decider: an exception of {@code type} (or a subtype)
     * gets {@code directive}; anything else goes to the current decider.
     *
     * @param type the exception type
     * @param directive what to do with it
     * @return a copy with the rule
     */
    public SupervisorStrategy on(Class<? extends Throwable> type, Directive directive) {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(directive, "directive");
        Function<Throwable, Directive> previous = decider;
        return new SupervisorStrategy(kind, cause -> type.isInstance(cause) ? directive : previous.apply(cause),
                maxRestarts, window, backoff);
    }

    /**
     * Sets the restart intensity.
     *
     * @param maxRestarts how many restarts are allowed within the window; 0 stops at the first failure
     *     that would restart
     * @param window the sliding window; positive
     * @return a copy with that intensity
     */
    public SupervisorStrategy withMaxRestarts(int maxRestarts, Duration window) {
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must not be negative, not " + maxRestarts + ".");
        }
        if (window == null || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("The restart window must be positive, not " + window + ".");
        }
        return new SupervisorStrategy(kind, decider, maxRestarts, window, backoff);
    }

    /**
     * Adds an exponential backoff before each restart.
     *
     * @param minDelay the delay before the first restart
     * @param maxDelay the longest delay
     * @param randomFactor random stretch, from 0 to 1
     * @return a copy with that backoff
     */
    public SupervisorStrategy withBackoff(Duration minDelay, Duration maxDelay, double randomFactor) {
        return new SupervisorStrategy(kind, decider, maxRestarts, window, new Backoff(minDelay, maxDelay, randomFactor));
    }

    /** @return which children a directive applies to */
    public Kind kind() {
        return kind;
    }

    /** @return how many restarts are allowed within {@link #window()} */
    public int maxRestarts() {
        return maxRestarts;
    }

    /** @return the restart window */
    public Duration window() {
        return window;
    }

    /** @return the backoff, or {@code null} when restarts are immediate */
    public Backoff backoff() {
        return backoff;
    }

    /**
     * @param cause a child's exception
     * @return the directive for it; a decider that throws or returns null gives {@link Directive#ESCALATE}
     */
    public Directive decide(Throwable cause) {
        try {
            Directive directive = decider.apply(cause);
            return directive == null ? Directive.ESCALATE : directive;
        } catch (RuntimeException e) {
            cause.addSuppressed(e);
            return Directive.ESCALATE;
        }
    }

    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        parts.add(kind.name());
        parts.add("maxRestarts=" + maxRestarts + " within " + window);
        if (backoff != null) {
            parts.add("backoff=" + backoff);
        }
        return "SupervisorStrategy" + parts;
    }
}
