package io.spinoff.examples.example2;

import io.spinoff.runtime.Actor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A worker with a bug: every job whose number is a multiple of 5 throws. Its supervisor's default
 * strategy restarts it, so the next job finds a fresh instance (its count starts again at zero).
 */
public final class WorkerActor extends Actor implements Worker {

    private static final System.Logger LOG = System.getLogger(WorkerActor.class.getName());
    private int done;

    @Override
    protected void preStart() {
        LOG.log(System.Logger.Level.INFO, "worker started");
    }

    @Override
    protected void postRestart(Throwable reason) throws Exception {
        LOG.log(System.Logger.Level.INFO, "worker restarted after: " + reason.getMessage());
        super.postRestart(reason);
    }

    @Override
    public CompletionStage<String> work(int job) {
        if (job % 5 == 0) {
            throw new IllegalStateException("job " + job + " hit the bug");
        }
        done++;
        return CompletableFuture.completedFuture(job + "^2 = " + job * job + " (job " + done + " of this instance)");
    }

    @Override
    protected void postStop() {
        LOG.log(System.Logger.Level.INFO, "worker stopping after " + done + " jobs");
    }
}
