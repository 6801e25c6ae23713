package io.spinoff.runtime.internal.remote;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.ActorSystemAccess;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

/** Helpers of the transport's own tests: nodes on loopback and a view of their transport. */
final class TransportTestSupport {

    private TransportTestSupport() {}

    /** @return a node bound to a free loopback port, with a quick failure detector */
    static ActorSystem node(String name) {
        return builder(name).build();
    }

    static ActorSystem.Builder builder(String name) {
        return ActorSystem.builder(name).bind("tcp://127.0.0.1:0")
                .heartbeatInterval(Duration.ofMillis(200)).downAfter(Duration.ofSeconds(3));
    }

    static RemoteTransport transport(ActorSystem system) {
        return ActorSystemAccess.runtime(system).transport();
    }

    static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** @return the cause the stage failed with, within the time */
    static Throwable failure(CompletionStage<?> stage, long millis) throws InterruptedException, TimeoutException {
        try {
            stage.toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the stage completed normally");
    }

    /** Waits until the condition holds, at most the time; @return whether it held */
    static boolean eventually(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }
}
