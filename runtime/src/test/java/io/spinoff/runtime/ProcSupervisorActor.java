package io.spinoff.runtime;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** Spawns a process child and supervises it with the strategy it was made with. */
final class ProcSupervisorActor extends Actor implements ProcSupervisor {

    private final Supplier<? extends Process> childFactory;
    private final SupervisorStrategy strategy;

    ProcSupervisorActor(Supplier<? extends Process> childFactory, SupervisorStrategy strategy) {
        this.childFactory = Objects.requireNonNull(childFactory, "childFactory");
        this.strategy = Objects.requireNonNull(strategy, "strategy");
    }

    @Override
    public CompletionStage<String> startChild(String name) {
        return CompletableFuture.completedFuture(context().spawnProcess(childFactory, name).address());
    }

    @Override
    protected SupervisorStrategy supervisorStrategy() {
        return strategy;
    }
}
