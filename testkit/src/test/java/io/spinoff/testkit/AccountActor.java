package io.spinoff.testkit;

import io.spinoff.runtime.Actor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Implements {@link Account}. */
public final class AccountActor extends Actor implements Account {
    private int balance;

    AccountActor(int opening) {
        this.balance = opening;
    }

    @Override
    public CompletionStage<Integer> balance() {
        return CompletableFuture.completedFuture(balance);
    }

    @Override
    public void setBalance(int amount) {
        balance = amount;
    }

    @Override
    public CompletionStage<Boolean> withdraw(int amount) {
        boolean covered = balance >= amount;
        if (covered) {
            balance -= amount;
        }
        return CompletableFuture.completedFuture(covered);
    }
}
