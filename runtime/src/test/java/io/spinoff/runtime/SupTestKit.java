package io.spinoff.runtime;

import io.spinoff.runtime.internal.cell.ActorCell;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waiting and looking up, for the fault-tolerance tests. Every wait is bounded. */
final class SupTestKit {

    /** The longest a test waits for something that should happen promptly. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private SupTestKit() {}

    /**
     * @param stage a reply
     * @param <T> its type
     * @return its value, waiting at most {@link #WAIT}
     */
    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError("Expected a value but the stage failed with " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError("No value within " + WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    /**
     * @param stage a reply expected to fail
     * @return the exception it failed with, waiting at most {@link #WAIT}
     */
    static Throwable failureOf(CompletionStage<?> stage) {
        try {
            Object value = stage.toCompletableFuture().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            throw new AssertionError("Expected a failure but got " + value);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            throw new AssertionError("Neither a value nor a failure within " + WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", e);
        }
    }

    /**
     * Waits until a condition holds, at most {@link #WAIT}.
     *
     * @param what the condition in words, for the failure message
     * @param condition the condition
     */
    static void eventually(String what, BooleanSupplier condition) {
        eventually(() -> what, condition);
    }

    /**
     * @param what the condition in words, computed only on failure (it may describe the state)
     * @param condition the condition
     */
    static void eventually(Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Not within " + WAIT + ": " + what.get());
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted", e);
            }
        }
    }

    /**
     * @param system a system
     * @param count how many actors should be alive
     */
    static void awaitLiveActors(ActorSystem system, long count) {
        eventually(() -> "liveActors() == " + count + ", is " + system.metrics().liveActors(),
                () -> system.metrics().liveActors() == count);
    }

    /**
     * @param system a system
     * @param path an actor's path
     * @return the live cell at that path, or null
     */
    static ActorCell cell(ActorSystem system, String path) {
        return ActorCell.cellOf(system.ref(path));
    }

    /**
     * @param system a system
     * @param path an actor's path
     * @return whether a live actor is there
     */
    static boolean alive(ActorSystem system, String path) {
        return cell(system, path) != null;
    }

    /**
     * @param system a system
     * @param path the path of a {@link SupActor}
     * @return a proxy of whatever actor lives there now
     */
    static SupWorker worker(ActorSystem system, String path) {
        return system.lookup(SupWorker.class, path);
    }

    /**
     * @param worker a {@link SupActor}
     * @return the id of its current instance
     */
    static int instanceOf(SupWorker worker) {
        return (Integer) await(worker.run(actor -> actor.id));
    }

    /**
     * Stops an actor and waits for its termination.
     *
     * @param system its system
     * @param proxy the actor
     */
    static void stopAndAwait(ActorSystem system, Object proxy) {
        await(system.stop(proxy));
    }
}
