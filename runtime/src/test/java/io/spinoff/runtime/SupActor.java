package io.spinoff.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The configurable actor of the fault-tolerance tests. It records its lifecycle in a
 * {@link SupJournal}, counts increments as its state, starts the children of its {@link SupSpec}
 * in {@code preStart} and again in {@code postRestart}, and supervises them with the spec's
 * strategy. It keeps the death pact: it does not override {@code onTerminated}
 * ({@link SupWatcherActor} does).
 */
public class SupActor extends Actor implements SupWorker {

    final SupJournal journal;
    final SupSpec spec;
    /** Unique among every instance the journal has seen, so that a restart shows as a new id. */
    final int id;
    /** The actor's state. */
    int count;

    SupActor(SupJournal journal, SupSpec spec) {
        this.journal = journal;
        this.spec = spec;
        this.id = journal.nextInstance();
    }

    /**
     * @param journal where the actors record what happens
     * @param spec the actor's shape
     * @return a factory for spawn, making a {@link SupWatcherActor} when the spec says so
     */
    public static Supplier<SupActor> factory(SupJournal journal, SupSpec spec) {
        return spec.watcher() ? () -> new SupWatcherActor(journal, spec) : () -> new SupActor(journal, spec);
    }

    /**
     * Spawns a spec as a top-level actor.
     *
     * @param system the system
     * @param journal the journal
     * @param spec the shape of the subtree
     * @return the proxy of its root
     */
    public static SupWorker spawn(ActorSystem system, SupJournal journal, SupSpec spec) {
        return system.spawn(SupWorker.class, factory(journal, spec), spec.name());
    }

    /** @return this actor's path */
    String path() {
        return context().address();
    }

    @Override
    protected void preStart() {
        journal.started(path(), id);
        startChildren();
    }

    @Override
    protected void postRestart(Throwable reason) {
        journal.restarted(path(), id);
        startChildren();
    }

    @Override
    protected void preRestart(Throwable reason) {
        journal.record("preRestart", path(), id);
    }

    @Override
    protected void postStop() {
        journal.record("postStop", path(), id);
    }

    @Override
    protected SupervisorStrategy supervisorStrategy() {
        return spec.strategy() == null ? super.supervisorStrategy() : spec.strategy();
    }

    private void startChildren() {
        for (SupSpec child : spec.children()) {
            SupWorker proxy = context().spawn(SupWorker.class, factory(journal, child), child.name());
            if (spec.watchChildren()) {
                context().watch(proxy);
            }
        }
    }

    @Override
    public void increment() {
        count++;
    }

    @Override
    public CompletionStage<Integer> count() {
        return CompletableFuture.completedFuture(count);
    }

    @Override
    public void fail(RuntimeException failure) {
        throw failure;
    }

    @Override
    public CompletionStage<Integer> failAsk(RuntimeException failure) {
        throw failure;
    }

    @Override
    public void tick() {
        journal.tick(path());
    }

    @Override
    public void block(CountDownLatch entered, CountDownLatch release) {
        entered.countDown();
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        journal.record("unblocked", path(), id);
    }

    @Override
    public CompletionStage<Object> run(SupTask task) {
        try {
            return CompletableFuture.completedFuture(task.run(this));
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("A test task failed: " + e, e);
        }
    }
}
