package io.spinoff.runtime;

import io.spinoff.api.ActorProtocol;
import io.spinoff.api.AskTimeout;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/** Replies, failures and timeouts of asks, for the core runtime tests. */
@ActorProtocol
public interface CoreEcho {
    /** Replies {@code "echo:" + text}. */
    CompletionStage<String> echo(String text);

    /** Adds to the actor's total, which a restart resets. */
    void add(int by);

    /** Replies the total. */
    CompletionStage<Integer> total();

    /** Throws {@link CoreFailure} from an ask. */
    CompletionStage<String> explode(String message);

    /** Throws {@link CoreFailure} from a tell. */
    void crash(String message);

    /** Returns a stage that fails with {@link CoreFailure} after the delay (at once for 0). */
    CompletionStage<String> failLater(String message, long delayMillis);

    /** Returns null instead of a stage. */
    CompletionStage<String> nothing();

    /** Returns a stage that never completes; the system's ask timeout applies. */
    CompletionStage<String> never();

    /** Returns a stage that never completes; times out after 700 ms. */
    @AskTimeout(700)
    CompletionStage<String> neverWithin700Millis();

    /** Returns a stage that never completes; times out after one second. */
    @AskTimeout(value = 1, unit = TimeUnit.SECONDS)
    CompletionStage<String> neverWithinOneSecond();
}
