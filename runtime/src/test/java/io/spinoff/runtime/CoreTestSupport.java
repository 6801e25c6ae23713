package io.spinoff.runtime;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Bounded waits shared by the core runtime tests. */
final class CoreTestSupport {

    private CoreTestSupport() {}

    /** Waits at most 5 s for a stage's value. */
    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    /** Waits at most {@code millis} for a stage to fail, and returns its failure, of the expected type. */
    static <X extends Throwable> X failure(Class<X> expected, CompletionStage<?> stage, long millis) throws Exception {
        try {
            Object value = stage.toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
            return fail("expected " + expected.getSimpleName() + " but the stage completed with " + value);
        } catch (ExecutionException e) {
            return assertInstanceOf(expected, e.getCause());
        } catch (TimeoutException e) {
            return fail("expected " + expected.getSimpleName() + " within " + millis + " ms, but the stage was still pending");
        }
    }

    /** Polls a condition every 5 ms until it holds, for at most {@code millis}. */
    static void eventually(long millis, String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail(what + " did not happen within " + millis + " ms");
            }
            Thread.sleep(5);
        }
    }
}
