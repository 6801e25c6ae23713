package io.spinoff.examples.example3;

import io.spinoff.runtime.Actor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers each ping with a pong to the reference the ping carried. Run it on node beta:
 * {@code bin/startnode --name beta --bind tcp://127.0.0.1:7200 --actor io.spinoff.examples.example3.Ponger}.
 */
public final class Ponger extends Actor implements Pinged {

    private static final System.Logger LOG = System.getLogger(Ponger.class.getName());
    private int pings;

    @Override
    protected void preStart() {
        LOG.log(System.Logger.Level.INFO, "ponger ready at " + context().address());
    }

    @Override
    public void ping(int n, Ponged replyTo) {
        pings++;
        LOG.log(System.Logger.Level.INFO, "ping " + n + " from " + replyTo);
        replyTo.pong(n, context().address());
    }

    @Override
    public CompletionStage<Integer> count() {
        return CompletableFuture.completedFuture(pings);
    }
}
