package io.spinoff.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** A tally entity that stops itself when told to quit; its activations go to the log. */
public final class TallyActor extends LoggedEntity implements Tally {

    private long sum;

    public TallyActor(String id, ActivationLog log) {
        super(id, log);
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
