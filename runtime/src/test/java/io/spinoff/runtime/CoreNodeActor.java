package io.spinoff.runtime;

import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Implements {@link CoreNode}; {@code postStop} adds the actor's address to {@code stopped}. */
public final class CoreNodeActor extends Actor implements CoreNode {
    private final Queue<String> stopped;

    public CoreNodeActor(Queue<String> stopped) {
        this.stopped = stopped;
    }

    @Override
    public CompletionStage<CoreNode> spawnChild(String name) {
        return CompletableFuture.completedFuture(
                context().spawn(CoreNode.class, () -> new CoreNodeActor(stopped), name));
    }

    @Override
    public CompletionStage<CoreNode> spawnUnnamedChild() {
        return CompletableFuture.completedFuture(context().spawn(CoreNode.class, () -> new CoreNodeActor(stopped)));
    }

    @Override
    public CompletionStage<String> address() {
        return CompletableFuture.completedFuture(context().address());
    }

    @Override
    protected void postStop() {
        stopped.add(context().address());
    }
}
