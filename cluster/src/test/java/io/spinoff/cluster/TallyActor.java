package io.spinoff.cluster;

import io.spinoff.runtime.Actor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A tally entity that stops itself when told to quit; its activations go to the log. */
public final class TallyActor extends Actor implements Tally {

    private final String id;
    private final ActivationLog log;
    private long sum;

    public TallyActor(String id, ActivationLog log) {
        this.id = id;
        this.log = log;
    }

    @Override
    protected void preStart() {
        log.activated(id, context().system().address());
    }

    @Override
    protected void postStop() {
        log.stopped(id, context().system().address());
    }

    @Override
    public CompletionStage<Long> add(long amount) {
        sum += amount;
        return CompletableFuture.completedFuture(sum);
    }

    @Override
    public void quit() {
        context().stop(context().self());
    }
}
