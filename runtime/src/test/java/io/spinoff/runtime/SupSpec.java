package io.spinoff.runtime;

import java.util.List;
import java.util.Objects;

/**
 * The shape of a {@link SupActor} and of its subtree: its name, the strategy it applies to its
 * children, whether it handles death notices, and the children it starts in {@code preStart} and
 * again in {@code postRestart} (as an Erlang supervisor starts its child specs).
 *
 * @param name the actor's name
 * @param strategy the strategy for its children, or null for the default
 * @param watcher whether the actor overrides {@code onTerminated} (recording notices in the
 *     journal) instead of keeping the death pact
 * @param watchChildren whether the actor watches each child it starts
 * @param children the children, started in this order
 */
public record SupSpec(String name, SupervisorStrategy strategy, boolean watcher, boolean watchChildren,
        List<SupSpec> children) {

    /** Checks the components. */
    public SupSpec {
        Objects.requireNonNull(name, "name");
        children = List.copyOf(children);
    }

    /**
     * @param name the actor's name
     * @param children its children, in start order
     * @return a plain actor with the default strategy
     */
    public static SupSpec of(String name, SupSpec... children) {
        return new SupSpec(name, null, false, false, List.of(children));
    }

    /**
     * @param newStrategy the strategy for its children
     * @return a copy with that strategy
     */
    public SupSpec withStrategy(SupervisorStrategy newStrategy) {
        return new SupSpec(name, newStrategy, watcher, watchChildren, children);
    }

    /** @return a copy that records death notices instead of failing on them */
    public SupSpec asWatcher() {
        return new SupSpec(name, strategy, true, watchChildren, children);
    }

    /** @return a copy that watches its children and records their death notices */
    public SupSpec watchingChildren() {
        return new SupSpec(name, strategy, true, true, children);
    }

    /**
     * @param newChildren the children, in start order
     * @return a copy with those children
     */
    public SupSpec withChildren(List<SupSpec> newChildren) {
        return new SupSpec(name, strategy, watcher, watchChildren, newChildren);
    }
}
