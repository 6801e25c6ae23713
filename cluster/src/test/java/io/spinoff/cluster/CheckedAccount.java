package io.spinoff.cluster;

import io.spinoff.runtime.Actor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** An account entity of a member JVM that reports its activation and stop to the checker. */
public final class CheckedAccount extends Actor implements Account {

    private final String id;
    private final Checker checker;
    private long balance;

    CheckedAccount(String id, Checker checker) {
        this.id = id;
        this.checker = checker;
    }

    @Override
    protected void preStart() throws Exception {
        checker.activated(id, context().system().address()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    protected void postStop() throws Exception {
        checker.stopped(id, context().system().address()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Override
    public void deposit(long amount) {
        balance += amount;
    }

    @Override
    public CompletionStage<Long> add(long amount) {
        balance += amount;
        return CompletableFuture.completedFuture(balance);
    }

    @Override
    public CompletionStage<Long> balance() {
        return CompletableFuture.completedFuture(balance);
    }

    @Override
    public CompletionStage<String> node() {
        return CompletableFuture.completedFuture(context().system().address());
    }
}
