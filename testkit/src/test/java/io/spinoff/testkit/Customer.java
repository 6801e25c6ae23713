package io.spinoff.testkit;

import io.spinoff.runtime.Process;
import java.time.Duration;

/**
 * A process that withdraws once from an account and reports what it got to {@code paid} (the
 * amount, or 0 when refused). The racy customer reads the balance, then writes it back less the
 * amount: between the two, another customer may do the same (a lost update).
 */
final class Customer extends Process {
    private final Account account;
    private final int amount;
    private final Counter paid;
    private final boolean atomic;

    Customer(Account account, int amount, Counter paid, boolean atomic) {
        this.account = account;
        this.amount = amount;
        this.paid = paid;
        this.atomic = atomic;
    }

    @Override
    protected void run() throws Exception {
        Duration patience = Duration.ofSeconds(5);
        if (atomic) {
            paid.increment(await(account.withdraw(amount), patience) ? amount : 0);
            return;
        }
        int balance = await(account.balance(), patience);
        if (balance >= amount) {
            account.setBalance(balance - amount);
            paid.increment(amount);
        } else {
            paid.increment(0);
        }
    }
}
