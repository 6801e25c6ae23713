package io.spinoff.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The single-activation checker: every activation and stop of an entity, on any node of the
 * test's JVM, in the order they happened. An entity activated while it is active anywhere is a
 * violation, recorded with both nodes.
 */
public final class ActivationLog {

    private final Map<String, String> active = new ConcurrentHashMap<>();
    private final List<String> violations = java.util.Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger activations = new AtomicInteger();
    private final AtomicInteger stops = new AtomicInteger();

    void activated(String id, String node) {
        activations.incrementAndGet();
        String before = active.putIfAbsent(id, node);
        if (before != null) {
            violations.add(id + " activated on " + node + " while active on " + before);
        }
    }

    void stopped(String id, String node) {
        stops.incrementAndGet();
        if (!active.remove(id, node)) {
            violations.add(id + " stopped on " + node + " but was active on " + active.get(id));
        }
    }

    /** @return the violations so far */
    public List<String> violations() {
        synchronized (violations) {
            return List.copyOf(violations);
        }
    }

    /** @return the node each active entity runs on */
    public Map<String, String> active() {
        return Map.copyOf(active);
    }

    public int activations() {
        return activations.get();
    }

    public int stops() {
        return stops.get();
    }
}
