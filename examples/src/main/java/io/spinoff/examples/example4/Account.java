package io.spinoff.examples.example4;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** A bank account, an entity of the cluster: one per id, wherever the cluster places it. */
@ActorProtocol
public interface Account {

    /**
     * Adds a signed amount, once per operation id: a repeated operation (a retry after a lost
     * reply) changes nothing and answers the balance again.
     *
     * @return the balance after it
     */
    CompletionStage<Long> apply(String operation, long amount);

    CompletionStage<Long> balance();
}
