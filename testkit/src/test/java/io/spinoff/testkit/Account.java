package io.spinoff.testkit;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** A bank account, for the deterministic kit's race: a racy read-then-write and an atomic withdrawal. */
@ActorProtocol
public interface Account {
    /** Replies the balance. */
    CompletionStage<Integer> balance();

    /** Sets the balance: with {@link #balance()}, a check-then-act that two customers can race. */
    void setBalance(int amount);

    /** Takes the amount if the balance covers it, in one turn; replies whether it did. */
    CompletionStage<Boolean> withdraw(int amount);
}
