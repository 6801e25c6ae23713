package io.spinoff.runtime;

import static io.spinoff.runtime.CoreTestSupport.await;
import static io.spinoff.runtime.CoreTestSupport.eventually;
import static io.spinoff.runtime.CoreTestSupport.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.AskTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Ask: replies, failures, timeouts and prompt failures for stopped or unknown actors (SPEC §3). */
class CoreAskTest {

    private static final Duration LIMIT = Duration.ofSeconds(15);

    @Test
    void askGetsTheReturnedStageAsItsReply() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreAskReply")) {
                CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
                assertEquals("echo:hello", await(echo.echo("hello")));
                echo.add(2);
                echo.add(3);
                assertEquals(5, await(echo.total()));
            }
        });
    }

    @Test
    void anAskMethodThatThrowsFailsTheCallerWithThatExceptionAndTheActorIsRestarted() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreAskThrows")) {
                AtomicInteger instances = new AtomicInteger();
                CoreEcho echo = system.spawn(CoreEcho.class, counting(instances), "echo");
                echo.add(5);
                assertEquals(5, await(echo.total()));

                CoreFailure thrown = failure(CoreFailure.class, echo.explode("bang"), 5_000);
                assertEquals("bang", thrown.getMessage());

                // The default supervision restarts the actor: a new instance, whose state starts over.
                assertEquals(0, await(echo.total()));
                assertEquals(2, instances.get());
                eventually(2_000, "the restart being counted", () -> system.metrics().restarts() == 1);
                // And it keeps working.
                assertEquals("echo:after", await(echo.echo("after")));
                echo.add(1);
                assertEquals(1, await(echo.total()));
            }
        });
    }

    @Test
    void aReturnedStageThatFailsLaterFailsOnlyTheCallersFuture() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreAskFailsLater")) {
                AtomicInteger instances = new AtomicInteger();
                CoreEcho echo = system.spawn(CoreEcho.class, counting(instances), "echo");
                echo.add(7);

                CoreFailure later = failure(CoreFailure.class, echo.failLater("later", 50), 5_000);
                assertEquals("later", later.getMessage());
                CoreFailure atOnce = failure(CoreFailure.class, echo.failLater("already failed", 0), 5_000);
                assertEquals("already failed", atOnce.getMessage());

                // Not a failure of the actor: same instance, state kept, no restart.
                assertEquals(7, await(echo.total()));
                assertEquals(1, instances.get());
                assertEquals(0, system.metrics().restarts());
            }
        });
    }

    @Test
    void anAskMethodReturningNullFailsTheCallerWithIllegalStateException() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreAskNull")) {
                AtomicInteger instances = new AtomicInteger();
                CoreEcho echo = system.spawn(CoreEcho.class, counting(instances), "echo");
                echo.add(3);
                IllegalStateException e = failure(IllegalStateException.class, echo.nothing(), 1_000);
                assertNotNull(e.getMessage());
                assertEquals(3, await(echo.total()));
                assertEquals(1, instances.get());
            }
        });
    }

    @Test
    void anAskWithoutReplyTimesOutAfterTheSystemDefault() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.builder("coreAskDefaultTimeout")
                    .askTimeout(Duration.ofMillis(300)).build()) {
                CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
                assertEquals(Duration.ofMillis(300), system.askTimeout());
                assertTimesOutAfter(300, echo::never);
                // The actor is not affected by the caller giving up.
                assertEquals("echo:still here", await(echo.echo("still here")));
            }
        });
    }

    @Test
    void anAskTimeoutAnnotationOverridesTheSystemDefault() {
        assertTimeoutPreemptively(LIMIT, () -> {
            ManualTime time = ManualTime.create();
            try (ActorSystem system = ActorSystem.builder("coreAskMethodTimeout").manualTime(time).jmx(false)
                    .askTimeout(Duration.ofMillis(300)).build()) {
                CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
                assertTimesOutOnTheClockAfter(time, 700, echo::neverWithin700Millis);
                assertTimesOutOnTheClockAfter(time, 1_000, echo::neverWithinOneSecond);
                assertTimesOutOnTheClockAfter(time, 300, echo::never);
            }
        });
    }

    @Test
    void anAskToAStoppedActorFailsPromptlyWithActorStoppedException() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreAskStopped")) {
                CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
                assertEquals("echo:x", await(echo.echo("x")));
                system.stop(echo).toCompletableFuture().get(2, TimeUnit.SECONDS);

                long deadLetters = system.metrics().deadLetters();
                long start = System.nanoTime();
                ActorStoppedException e = failure(ActorStoppedException.class, echo.echo("y"), 100);
                assertTrue(elapsedMillis(start) < 100, "failed after " + elapsedMillis(start) + " ms");
                assertTrue(e.getMessage().contains("/user/echo"), e.getMessage());
                assertTrue(system.metrics().deadLetters() > deadLetters, "the ask is a dead letter");
            }
        });
    }

    @Test
    void asksStillQueuedWhenTheActorStopsFailWithActorStoppedExceptionNotByTimeout() {
        assertTimeoutPreemptively(LIMIT, () -> {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (ActorSystem system = ActorSystem.builder("coreAskQueuedStop").askTimeout(Duration.ofSeconds(10)).build()) {
                try {
                    CoreGate gate = system.spawn(CoreGate.class, () -> new CoreGateActor(entered, release), "gate");
                    CompletionStage<Void> held = gate.hold();
                    assertTrue(entered.await(5, TimeUnit.SECONDS));
                    CompletionStage<Integer> queued = gate.pings();
                    CompletionStage<Void> stopped = system.stop(gate);
                    release.countDown();
                    await(held);
                    await(stopped);
                    failure(ActorStoppedException.class, queued, 1_000);
                } finally {
                    release.countDown();
                }
            }
        });
    }

    @Test
    void anAskToAnUnknownPathFailsPromptlyWithActorNotFoundException() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreAskUnknown")) {
                CoreEcho nobody = system.lookup(CoreEcho.class, "/user/nobody");
                long start = System.nanoTime();
                ActorNotFoundException e = failure(ActorNotFoundException.class, nobody.echo("hello?"), 100);
                assertTrue(elapsedMillis(start) < 100, "failed after " + elapsedMillis(start) + " ms");
                assertTrue(e.getMessage().contains("/user/nobody"), e.getMessage());

                // A child path under a live actor, where no child lives, is unknown too.
                system.spawn(CoreEcho.class, CoreEchoActor::new, "parent");
                failure(ActorNotFoundException.class,
                        system.lookup(CoreEcho.class, "/user/parent/missing").echo("hello?"), 100);
            }
        });
    }

    @Test
    void theCallersExceptionIsTheOneThrownNotAWrapper() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreAskSameException")) {
                CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
                CompletableFuture<String> reply = echo.explode("exact").toCompletableFuture();
                CoreFailure first = failure(CoreFailure.class, reply, 5_000);
                CoreFailure again = failure(CoreFailure.class, reply, 5_000);
                assertSame(first, again);
            }
        });
    }

    private static Supplier<CoreEcho> counting(AtomicInteger instances) {
        return () -> {
            instances.incrementAndGet();
            return new CoreEchoActor();
        };
    }

    /** Asserts that the ask fails with AskTimeoutException no earlier than the timeout and within it plus 200 ms. */
    private static void assertTimesOutAfter(long timeoutMillis, Supplier<CompletionStage<String>> ask) throws Exception {
        long start = System.nanoTime();
        CompletableFuture<Long> failedAt = ask.get().toCompletableFuture()
                .handle((value, failure) -> {
                    if (!(failure instanceof AskTimeoutException)) {
                        throw new AssertionError("expected AskTimeoutException, got " + value + " / " + failure);
                    }
                    return System.nanoTime();
                });
        long elapsed = TimeUnit.NANOSECONDS.toMillis(failedAt.get(timeoutMillis + 2_000, TimeUnit.MILLISECONDS) - start);
        assertTrue(elapsed >= timeoutMillis, "timed out after " + elapsed + " ms, before " + timeoutMillis + " ms");
        assertTrue(elapsed < timeoutMillis + 200, "timed out after " + elapsed + " ms, later than "
                + timeoutMillis + " + 200 ms");
    }

    /** Under manual time: the ask is pending a millisecond before its timeout, and failed with it at it. */
    private static void assertTimesOutOnTheClockAfter(ManualTime time, long timeoutMillis,
            Supplier<CompletionStage<String>> ask) throws Exception {
        CompletableFuture<String> reply = ask.get().toCompletableFuture();
        assertTrue(time.awaitIdle(Duration.ofSeconds(5)), "the ask was not handled");
        time.advance(Duration.ofMillis(timeoutMillis - 1));
        assertFalse(reply.isDone(), "the " + timeoutMillis + " ms ask ended a millisecond before its timeout: " + reply);
        time.advance(Duration.ofMillis(1));
        assertTrue(reply.isDone(), "the " + timeoutMillis + " ms ask is still pending at its timeout");
        failure(AskTimeoutException.class, reply, 0);
    }

    private static long elapsedMillis(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
