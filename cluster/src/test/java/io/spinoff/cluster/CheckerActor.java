package io.spinoff.cluster;

import io.spinoff.runtime.Actor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Keeps which node runs each entity. An entity reports its activation and its stop with asks it
 * waits for, so a stop is recorded before the entity's lease can go, and so before any other
 * member can activate the entity: an activation while the entity is recorded active elsewhere is
 * a real double activation.
 */
public final class CheckerActor extends Actor implements Checker {

    private final Map<String, String> active = new HashMap<>();
    private final List<String> violations = new ArrayList<>();
    private int activations;

    @Override
    public CompletionStage<Boolean> activated(String id, String node) {
        activations++;
        String before = active.putIfAbsent(id, node);
        if (before != null) {
            violations.add(id + " activated on " + node + " while active on " + before);
        }
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Boolean> stopped(String id, String node) {
        if (!active.remove(id, node)) {
            violations.add(id + " stopped on " + node + " but was recorded on " + active.get(id));
        }
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<Boolean> nodeDead(String node) {
        active.values().removeIf(node::equals);
        return CompletableFuture.completedFuture(true);
    }

    @Override
    public CompletionStage<List<String>> violations() {
        return CompletableFuture.completedFuture(List.copyOf(violations));
    }

    @Override
    public CompletionStage<Integer> activations() {
        return CompletableFuture.completedFuture(activations);
    }
}
