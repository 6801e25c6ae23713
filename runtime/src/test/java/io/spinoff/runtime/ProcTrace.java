package io.spinoff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What a process reports to its test, in order: the process adds entries from its own thread (or
 * from hooks on its turn), the test takes them with bounded waits.
 */
final class ProcTrace {

    /** How long a test waits for the next entry before failing. */
    static final long WAIT_MILLIS = 5_000;

    private final LinkedBlockingQueue<Object> entries = new LinkedBlockingQueue<>();

    /** @param entry what happened; any thread */
    void add(Object entry) {
        entries.add(entry);
    }

    /** @return the next entry, waiting at most {@link #WAIT_MILLIS} */
    Object next() throws InterruptedException {
        Object entry = entries.poll(WAIT_MILLIS, TimeUnit.MILLISECONDS);
        if (entry == null) {
            fail("the process reported nothing within " + WAIT_MILLIS + " ms");
        }
        return entry;
    }

    /** @param expected the next entry, in order */
    void expect(Object... expected) throws InterruptedException {
        List<Object> actual = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            actual.add(next());
        }
        assertEquals(List.of(expected), actual);
    }

    /** @return the next entry, which must be of the type */
    <T> T next(Class<T> type) throws InterruptedException {
        Object entry = next();
        if (!type.isInstance(entry)) {
            fail("expected a " + type.getSimpleName() + " from the process, got " + entry);
        }
        return type.cast(entry);
    }

    /** @return entries not taken yet, without waiting */
    List<Object> rest() {
        List<Object> rest = new ArrayList<>();
        entries.drainTo(rest);
        return rest;
    }

    /** Waits at most 5 s for a stage's value. */
    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Waits at most 5 s for a stage to fail, and returns its failure, of the expected type. */
    static <X extends Throwable> X failure(Class<X> expected, CompletionStage<?> stage) throws Exception {
        try {
            Object value = stage.toCompletableFuture().get(WAIT_MILLIS, TimeUnit.MILLISECONDS);
            return fail("expected " + expected.getSimpleName() + " but the stage completed with " + value);
        } catch (ExecutionException e) {
            if (!expected.isInstance(e.getCause())) {
                throw new AssertionError("expected " + expected.getSimpleName() + " but the stage failed with "
                        + e.getCause(), e.getCause());
            }
            return expected.cast(e.getCause());
        } catch (TimeoutException e) {
            return fail("expected " + expected.getSimpleName() + " within " + WAIT_MILLIS
                    + " ms, but the stage was still pending");
        }
    }
}
