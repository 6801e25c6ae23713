package io.spinoff.runtime.internal.dispatch;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spinoff.api.AskTimeoutException;
import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** The ask-timeout tick runs no user code: a user's exception or blocking call cannot stop it. */
class AskTimeoutTickTest {

    private static final Duration ASK_TIMEOUT = Duration.ofMillis(200);

    @Test
    void aMessageWhoseToStringThrowsDoesNotStopLaterTimeouts() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (ActorSystem system = ActorSystem.builder("tickToString").askTimeout(ASK_TIMEOUT).build()) {
                AskTickIgnorer ignorer = system.spawn(AskTickIgnorer.class, AskTickIgnorerActor::new, "ignorer");
                CompletionStage<String> opaque = ignorer.ignore(new AskTickIgnorer.Opaque(1));
                Thread.sleep(ASK_TIMEOUT.toMillis() + 100);
                CompletionStage<String> later = ignorer.ignoreText("later");

                AskTimeoutException laterFailure = timedOut(later, 3_000);
                assertTrue(laterFailure.getMessage().contains("later"), laterFailure.getMessage());
                AskTimeoutException opaqueFailure = timedOut(opaque, 1_000);
                assertTrue(opaqueFailure.getMessage().contains("toString threw " + IllegalStateException.class.getName()),
                        opaqueFailure.getMessage());
            }
        });
    }

    @Test
    void aCallbackThatBlocksDoesNotStallLaterTimeouts() {
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            CountDownLatch release = new CountDownLatch(1);
            try (ActorSystem system = ActorSystem.builder("tickCallback").parallelism(2).askTimeout(ASK_TIMEOUT).build()) {
                AskTickIgnorer ignorer = system.spawn(AskTickIgnorer.class, AskTickIgnorerActor::new, "ignorer");
                CountDownLatch blocking = new CountDownLatch(1);
                ignorer.ignoreText("first").whenComplete((value, failure) -> {
                    blocking.countDown();
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                assertTrue(blocking.await(3, TimeUnit.SECONDS), "the first ask did not time out");
                CompletionStage<String> later = ignorer.ignoreText("later");
                timedOut(later, 3_000);
                release.countDown();
            } finally {
                release.countDown();
            }
        });
    }

    private static AskTimeoutException timedOut(CompletionStage<?> stage, long millis) throws InterruptedException {
        try {
            Object value = stage.toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
            return fail("expected AskTimeoutException, got " + value);
        } catch (ExecutionException e) {
            return assertInstanceOf(AskTimeoutException.class, e.getCause());
        } catch (TimeoutException e) {
            return fail("the ask was still pending after " + millis + " ms");
        }
    }
}
