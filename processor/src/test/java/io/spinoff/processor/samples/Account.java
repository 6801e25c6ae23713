package io.spinoff.processor.samples;

import io.spinoff.api.ActorProtocol;
import io.spinoff.api.AskTimeout;
import java.util.concurrent.CompletionStage;

/** A protocol that inherits methods from a generic super-interface and has a static helper. */
@ActorProtocol
public interface Account extends Named<String> {
    void deposit(long cents);

    @AskTimeout(750)
    CompletionStage<Long> balance();

    /** Static methods are not messages. */
    static long euros(long cents) {
        return cents / 100;
    }
}
