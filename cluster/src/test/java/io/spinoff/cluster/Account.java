package io.spinoff.cluster;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** An entity protocol for the cluster tests: an account that counts what it received. */
@ActorProtocol
public interface Account {
    void deposit(long amount);

    CompletionStage<Long> add(long amount);

    CompletionStage<Long> balance();

    /** @return the node the entity runs on */
    CompletionStage<String> node();
}
