package io.spinoff.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An account entity. Its balance lives in memory, so it starts from 0 at each activation; what
 * it received is also written to the test's {@link Ledger}, which outlives activations, and each
 * activation and stop goes to the {@link ActivationLog}.
 */
public final class AccountActor extends LoggedEntity implements Account {

    private final Ledger ledger;
    private long balance;

    public AccountActor(String id, ActivationLog log, Ledger ledger) {
        super(id, log);
        this.ledger = ledger;
    }

    @Override
    public void deposit(long amount) {
        balance += amount;
        ledger.received(id, amount);
    }

    @Override
    public CompletionStage<Long> add(long amount) {
        deposit(amount);
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
