package io.spinoff.runtime.internal.supervision;

import io.spinoff.runtime.SupervisorStrategy;
import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.observe.FlightEvents;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a supervisor remembers about its children's failures, and its decisions: the directive
 * its strategy gives, the restart limit within the window, backoff, the incarnation numbers that
 * tell a failure of a replaced instance from a new one, and the children whose failure it
 * escalated. Made on the first failure of a child, so that an actor whose children never fail
 * pays one null field. Not API.
 *
 * <p><b>Threads:</b> the supervisor's <em>consumer only</em> (the thread running its turn), like
 * the system messages that drive it: a child's {@code Failed}, its termination, the supervisor's
 * own resume and restart. It needs no synchronization; what it sends to children goes through
 * their system mailboxes.
 *
 * @param <C> the cell type (the runtime's actor cell)
 */
public final class Supervisor<C extends Supervisor.Supervised<C>> {

    /** What the supervision needs of a cell; the actor cell implements it. */
    public interface Supervised<C> {
        /** @return the address, for log lines */
        String address();

        /** @return the path, for events */
        String path();

        /** @return the order in which it was started among all actors of its system */
        long startSequence();

        /** @return whether it has terminated; any thread */
        boolean isTerminated();

        /** Orders a resume; any thread. */
        void resumeFromSupervisor();

        /**
         * Orders a stop; any thread.
         *
         * @param failure why (the failure of the child that failed), or null for a sibling
         */
        void stopFromSupervisor(Throwable failure);

        /**
         * Orders a restart; any thread.
         *
         * @param cause the failure
         * @param incarnation the number the new instance gets
         */
        void restartFromSupervisor(Throwable cause, long incarnation);
    }

    /** What the supervisor's own cell does with a decision that involves itself. */
    public interface Own<C> {
        /** @return whether this cell is the user guardian (nothing above it to escalate to) */
        boolean isGuardian();

        /** @return the strategy of the current instance */
        SupervisorStrategy strategy();

        /** @return the children alive at this moment */
        Collection<C> liveChildren();

        /**
         * The supervisor fails with its child's failure, whose stack trace the child's record has.
         *
         * @param cause the failure
         * @param child the child that failed
         */
        void escalate(Throwable cause, C child);
    }

    private static final System.Logger LOG = SystemRuntime.LOG;

    private final SystemRuntime runtime;
    private final C self;
    private final Own<C> own;
    /** Per child: when it was restarted, oldest first, within the strategy's window. */
    private Map<C, ArrayDeque<Long>> restartTimes;
    /** Per child: the incarnation of the last restart this supervisor ordered for it. */
    private Map<C, Long> orderedIncarnations;
    /** Children whose failure this supervisor escalated: resumed with it. */
    private Set<C> escalated;

    /**
     * @param runtime the system's runtime (counters, scheduler, settings)
     * @param self the supervisor's cell
     * @param own what the supervisor's cell does for itself
     */
    public Supervisor(SystemRuntime runtime, C self, Own<C> own) {
        this.runtime = runtime;
        this.self = self;
        this.own = own;
    }

    /**
     * A child failed; its supervisor is running (not stopping or restarting) and the child is
     * live and its own.
     *
     * @param child the child
     * @param cause its failure
     * @param incarnation the child's incarnation at the failure
     */
    public void childFailed(C child, Throwable cause, long incarnation) {
        if (orderedIncarnations != null && incarnation < orderedIncarnations.getOrDefault(child, 0L)) {
            // The failing instance is one this supervisor has already ordered replaced (under
            // all-for-one, two children failing at once): the restart under way answers it.
            LOG.log(System.Logger.Level.DEBUG, "Ignoring a failure of a replaced instance of " + child.address()
                    + ": " + cause);
            return;
        }
        SupervisorStrategy strategy = own.strategy();
        SupervisorStrategy.Directive directive = strategy.decide(cause);
        if (directive == SupervisorStrategy.Directive.ESCALATE && own.isGuardian()) {
            // The child's failure is logged with its stack trace already (where it happened).
            LOG.log(System.Logger.Level.ERROR, "Failure of top-level actor " + child.address()
                    + " escalated to the user guardian; stopping it: " + cause);
            directive = SupervisorStrategy.Directive.STOP;
        }
        List<C> targets = targets(strategy.kind(), child);
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "Supervisor " + self.address() + " decided " + directive + " for "
                    + child.address() + " (" + strategy.kind() + ", " + targets.size() + " affected) after: " + cause);
        }
        FlightEvents.supervisionDecision(runtime.settings().name(), self.path(), child.path(), directive,
                strategy.kind(), targets.size(), cause);
        switch (directive) {
            case RESUME -> child.resumeFromSupervisor();
            case STOP -> stopAll(targets, child, cause);
            case ESCALATE -> {
                if (escalated == null) {
                    escalated = new HashSet<>();
                }
                escalated.add(child);
                own.escalate(cause, child);
            }
            case RESTART -> restart(strategy, child, targets, cause);
        }
    }

    private static <C extends Supervised<C>> void stopAll(List<C> targets, C child, Throwable cause) {
        for (C target : targets) {
            target.stopFromSupervisor(target == child ? cause : null);
        }
    }

    private void restart(SupervisorStrategy strategy, C child, List<C> targets, Throwable cause) {
        if (restartTimes == null) {
            restartTimes = new HashMap<>();
        }
        ArrayDeque<Long> times = restartTimes.computeIfAbsent(child, c -> new ArrayDeque<>());
        long now = runtime.clock().nanoTime();
        long window = strategy.window().toNanos();
        while (!times.isEmpty() && now - times.peekFirst() > window) {
            times.pollFirst();
        }
        if (times.size() >= strategy.maxRestarts()) {
            LOG.log(System.Logger.Level.WARNING, "Actor " + child.address() + " failed more than "
                    + strategy.maxRestarts() + " times within " + strategy.window() + "; stopping it and escalating");
            stopAll(targets, child, cause);
            if (!own.isGuardian()) {
                own.escalate(cause, child);
            }
            return;
        }
        times.addLast(now);
        SupervisorStrategy.Backoff backoff = strategy.backoff();
        Duration delay = backoff == null ? Duration.ZERO : backoff.delay(times.size());
        if (orderedIncarnations == null) {
            orderedIncarnations = new HashMap<>();
        }
        for (C target : targets) {
            runtime.countRestart();
            long next = orderedIncarnations.merge(target, 1L, Long::sum);
            if (delay.isZero()) {
                target.restartFromSupervisor(cause, next);
            } else {
                runtime.schedule(() -> target.restartFromSupervisor(cause, next), delay);
            }
        }
    }

    private List<C> targets(SupervisorStrategy.Kind kind, C child) {
        if (kind == SupervisorStrategy.Kind.ONE_FOR_ONE) {
            return List.of(child);
        }
        List<C> targets = new ArrayList<>();
        for (C sibling : own.liveChildren()) {
            if (kind == SupervisorStrategy.Kind.ALL_FOR_ONE || sibling.startSequence() >= child.startSequence()) {
                targets.add(sibling);
            }
        }
        targets.sort(Comparator.comparingLong(Supervised::startSequence));
        return targets;
    }

    /** The supervisor itself resumed: so do the children whose failure it escalated. */
    public void resumed() {
        if (escalated != null) {
            for (C child : escalated) {
                child.resumeFromSupervisor();
            }
            escalated = null;
        }
    }

    /** The supervisor itself restarts: its children stop, and no escalated child waits for a resume. */
    public void restarting() {
        escalated = null;
    }

    /** @param child a child that has terminated, forgotten */
    public void childTerminated(C child) {
        if (restartTimes != null) {
            restartTimes.remove(child);
        }
        if (orderedIncarnations != null) {
            orderedIncarnations.remove(child);
        }
        if (escalated != null) {
            escalated.remove(child);
        }
    }
}
