package io.spinoff.runtime;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;

/**
 * The protocol of the fault-tolerance tests' actor, {@link SupActor}. Local, so that a test can
 * send it exceptions, latches and code to run on the actor's turn.
 */
@ActorProtocol(local = true)
public interface SupWorker {

    /** Adds one to the actor's state. */
    void increment();

    /** @return the actor's state: how many increments this instance has handled */
    CompletionStage<Integer> count();

    /**
     * Throws {@code failure} from a tell, failing the actor.
     *
     * @param failure what to throw
     */
    void fail(RuntimeException failure);

    /**
     * Throws {@code failure} from an ask, failing the actor and the caller's future.
     *
     * @param failure what to throw
     * @return never returns normally
     */
    CompletionStage<Integer> failAsk(RuntimeException failure);

    /** A timer's message: counts a tick in the journal. */
    void tick();

    /**
     * Blocks the handler (and so its carrier thread) until {@code release} opens, at most 30 s.
     *
     * @param entered opened once the handler runs
     * @param release what the handler waits for
     */
    void block(CountDownLatch entered, CountDownLatch release);

    /**
     * Runs code on the actor's turn, with access to the instance.
     *
     * @param task the code
     * @return what the code returned
     */
    CompletionStage<Object> run(SupTask task);
}
