package io.spinoff.runtime;

import static io.spinoff.runtime.SupTestKit.WAIT;
import static io.spinoff.runtime.SupTestKit.alive;
import static io.spinoff.runtime.SupTestKit.await;
import static io.spinoff.runtime.SupTestKit.awaitLiveActors;
import static io.spinoff.runtime.SupTestKit.cell;
import static io.spinoff.runtime.SupTestKit.eventually;
import static io.spinoff.runtime.SupTestKit.failureOf;
import static io.spinoff.runtime.SupTestKit.instanceOf;
import static io.spinoff.runtime.SupTestKit.stopAndAwait;
import static io.spinoff.runtime.SupTestKit.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.SupervisorStrategy.Directive;
import io.spinoff.runtime.internal.cell.ActorCell;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Escalation through levels, restart intensity, backoff and the guardian's strategy. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SupervisionEscalationTest {

    private static final SupervisorStrategy ESCALATE_ALL = SupervisorStrategy.DEFAULT.withDecider(cause -> Directive.ESCALATE);

    @RegisterExtension
    final SupLogCapture log = new SupLogCapture();

    // ------------------------------------------------------------------ escalation

    /** g (decides) → p (escalates) → c (escalates) → gc (fails). */
    @ParameterizedTest
    @EnumSource(value = Directive.class, names = {"RESUME", "RESTART", "STOP"})
    void grandchildFailureEscalatedTwiceReachesTheGrandparentsStrategy(Directive directive) throws Exception {
        SupJournal journal = new SupJournal();
        SupSpec tree = SupSpec.of("g",
                        SupSpec.of("p",
                                SupSpec.of("c", SupSpec.of("gc")).withStrategy(ESCALATE_ALL))
                                .withStrategy(ESCALATE_ALL))
                .withStrategy(journal.recording(directive)).watchingChildren();
        try (ActorSystem system = ActorSystem.create("escalation")) {
            SupWorker g = SupActor.spawn(system, journal, tree);
            awaitLiveActors(system, 4);
            SupWorker p = worker(system, "/user/g/p");
            SupWorker gc = worker(system, "/user/g/p/c/gc");
            int pBefore = instanceOf(p);
            ActorCell cBefore = cell(system, "/user/g/p/c");
            ActorCell gcBefore = cell(system, "/user/g/p/c/gc");
            gc.increment();
            gc.increment();

            SupFailure failure = new SupFailure("gc fails, " + directive + " at g");
            gc.fail(failure);
            gc.increment();
            CompletionStage<Integer> gcCount = gc.count();

            assertSame(failure, journal.nextDecision(), "g's decider sees gc's own exception");
            switch (directive) {
                case RESUME -> {
                    assertEquals(3, await(gcCount), "the resume travels back down to gc, which keeps its state");
                    assertEquals(pBefore, instanceOf(p));
                    assertSame(cBefore, cell(system, "/user/g/p/c"));
                    assertEquals(0, system.metrics().restarts());
                }
                case RESTART -> {
                    assertInstanceOf(ActorStoppedException.class, failureOf(gcCount),
                            "the old gc is stopped with p's restart");
                    eventually("p restarted with new children", () -> alive(system, "/user/g/p/c/gc")
                            && cell(system, "/user/g/p/c/gc") != gcBefore);
                    assertNotEquals(pBefore, instanceOf(p), "p has a new instance");
                    assertNotSame(cBefore, cell(system, "/user/g/p/c"), "c is a new actor");
                    assertTrue(cBefore.isTerminated() && gcBefore.isTerminated());
                    assertEquals(0, await(worker(system, "/user/g/p/c/gc").count()));
                    assertEquals(List.of("gc", "c"), journal.names("postStop"), "p's subtree stopped bottom-up");
                    assertEquals(List.of("p"), journal.names("preRestart"));
                    assertEquals(1, system.metrics().restarts(), "only p restarts; c and gc are started anew");
                    awaitLiveActors(system, 4);
                }
                case STOP -> {
                    Terminated notice = journal.nextNotice("/user/g");
                    assertEquals("/user/g/p", notice.address());
                    assertEquals(Terminated.Reason.FAILED, notice.reason());
                    assertSame(failure, notice.cause());
                    assertInstanceOf(ActorStoppedException.class, failureOf(gcCount));
                    assertTrue(cBefore.isTerminated() && gcBefore.isTerminated());
                    awaitLiveActors(system, 1);
                }
                default -> throw new AssertionError(directive);
            }
            assertNull(journal.decisions().poll(50, TimeUnit.MILLISECONDS), "g decided exactly once");
            assertEquals(0, await(g.count()), "g itself never failed");
            stopAndAwait(system, g);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void escalationFromATopLevelActorStopsIt() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.builder("top-escalation")
                .guardianStrategy(ESCALATE_ALL).build()) {
            SupWorker watcher = SupActor.spawn(system, journal, SupSpec.of("watcher").asWatcher());
            SupWorker top = SupActor.spawn(system, journal, SupSpec.of("top", SupSpec.of("child")).withStrategy(ESCALATE_ALL));
            await(watcher.run(actor -> {
                actor.context().watch(top);
                return null;
            }));
            awaitLiveActors(system, 3);
            SupFailure failure = new SupFailure("escalated to the guardian");
            worker(system, "/user/top/child").fail(failure);
            Terminated notice = journal.nextNotice("/user/watcher");
            assertEquals(Terminated.Reason.FAILED, notice.reason());
            assertSame(failure, notice.cause());
            stopAndAwait(system, watcher);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    // ------------------------------------------------------------------ restart intensity

    private static SupSpec intensityTree(SupJournal journal, SupervisorStrategy strategy) {
        return SupSpec.of("root", SupSpec.of("sup", SupSpec.of("w")).withStrategy(strategy).watchingChildren())
                .withStrategy(journal.recording(Directive.RESUME));
    }

    @Test
    void restartBeyondTheIntensityStopsTheChildAndEscalates() throws Exception {
        SupJournal journal = new SupJournal();
        SupervisorStrategy strategy = SupervisorStrategy.DEFAULT.withMaxRestarts(3, Duration.ofMillis(300));
        ManualTime time = ManualTime.create();
        try (ActorSystem system = ActorSystem.builder("intensity").manualTime(time).jmx(false).build()) {
            SupWorker root = SupActor.spawn(system, journal, intensityTree(journal, strategy));
            awaitLiveActors(system, 3);
            SupWorker w = worker(system, "/user/root/sup/w");
            ActorCell wCell = cell(system, "/user/root/sup/w");
            // The failures come 99 ms apart on the clock: at 0, 99, 198 and 297 ms, all within 300 ms.
            for (int i = 1; i <= 3; i++) {
                w.fail(new SupFailure("restart " + i));
                assertEquals(0, await(w.count()));
                time.advance(Duration.ofMillis(99));
            }
            assertEquals(3, journal.restarts("/user/root/sup/w"), "three restarts within the window pass");
            assertEquals(3, system.metrics().restarts());
            assertTrue(journal.decisions().isEmpty(), "nothing escalated yet");

            SupFailure fourth = new SupFailure("the fourth within the window");
            w.fail(fourth);
            Terminated notice = journal.nextNotice("/user/root/sup");
            assertEquals(Terminated.Reason.FAILED, notice.reason(), "the child is stopped");
            assertSame(fourth, notice.cause());
            assertSame(fourth, journal.nextDecision(), "and the failure escalates to the supervisor's supervisor");
            assertTrue(wCell.isTerminated());
            assertEquals(3, system.metrics().restarts());
            assertEquals(0, await(worker(system, "/user/root/sup").count()), "root resumed sup");
            awaitLiveActors(system, 2);
            stopAndAwait(system, root);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void restartsSpacedBeyondTheWindowNeverStopTheChild() throws Exception {
        SupJournal journal = new SupJournal();
        SupervisorStrategy strategy = SupervisorStrategy.DEFAULT.withMaxRestarts(1, Duration.ofMillis(300));
        ManualTime time = ManualTime.create();
        try (ActorSystem system = ActorSystem.builder("intensity-spaced").manualTime(time).jmx(false).build()) {
            SupWorker root = SupActor.spawn(system, journal, intensityTree(journal, strategy));
            awaitLiveActors(system, 3);
            SupWorker w = worker(system, "/user/root/sup/w");
            for (int i = 1; i <= 3; i++) {
                w.fail(new SupFailure("spaced failure " + i));
                assertEquals(0, await(w.count()));
                assertEquals(i, journal.restarts("/user/root/sup/w"));
                // One restart a window is allowed: the next failure comes just past it, on the clock.
                time.advance(Duration.ofMillis(301));
            }
            assertTrue(alive(system, "/user/root/sup/w"));
            assertTrue(journal.decisions().isEmpty(), "nothing escalated: " + journal.decisions());
            assertTrue(journal.noticesOf("/user/root/sup").isEmpty());
            assertEquals(3, system.metrics().restarts());
            stopAndAwait(system, root);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void zeroRestartsStopsAtTheFirstFailure() throws Exception {
        SupJournal journal = new SupJournal();
        SupervisorStrategy strategy = SupervisorStrategy.DEFAULT.withMaxRestarts(0, Duration.ofSeconds(1));
        try (ActorSystem system = ActorSystem.create("intensity-zero")) {
            SupWorker root = SupActor.spawn(system, journal, intensityTree(journal, strategy));
            awaitLiveActors(system, 3);
            SupFailure failure = new SupFailure("first and last");
            worker(system, "/user/root/sup/w").fail(failure);
            assertSame(failure, journal.nextNotice("/user/root/sup").cause());
            assertSame(failure, journal.nextDecision());
            assertEquals(0, system.metrics().restarts());
            stopAndAwait(system, root);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void guardianIntensityStopsATopLevelActor() {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.builder("guardian-intensity")
                .guardianStrategy(SupervisorStrategy.DEFAULT.withMaxRestarts(1, Duration.ofSeconds(10))).build()) {
            SupWorker top = SupActor.spawn(system, journal, SupSpec.of("top"));
            top.fail(new SupFailure("first"));
            assertEquals(0, await(top.count()));
            top.fail(new SupFailure("second"));
            await(system.whenTerminated(top));
            assertFalse(alive(system, "/user/top"));
            assertEquals(1, system.metrics().restarts());
            assertEquals(0, system.metrics().liveActors());
        }
    }

    // ------------------------------------------------------------------ backoff

    @Test
    void backoffDelaysEachRestartAndGrows() {
        SupJournal journal = new SupJournal();
        Duration min = Duration.ofMillis(100);
        double randomFactor = 0.2;
        SupervisorStrategy strategy = SupervisorStrategy.DEFAULT.withBackoff(min, Duration.ofSeconds(1), randomFactor);
        ManualTime time = ManualTime.create();
        try (ActorSystem system = ActorSystem.builder("backoff").manualTime(time).jmx(false).build()) {
            SupWorker root = SupActor.spawn(system, journal, intensityTree(journal, strategy));
            awaitLiveActors(system, 3);
            String path = "/user/root/sup/w";
            SupWorker w = worker(system, path);
            Duration[] delays = new Duration[3];
            for (int n = 1; n <= 3; n++) {
                int before = instanceOf(w);
                w.fail(new SupFailure("restart " + n));
                assertTrue(time.awaitIdle(WAIT), "the supervisor handled the failure");
                Duration delay = time.untilNext().orElseThrow(() -> new AssertionError("no restart is scheduled"));
                Duration expected = min.multipliedBy(1L << (n - 1));
                delays[n - 1] = delay;
                Duration longest = Duration.ofNanos((long) (expected.toNanos() * (1 + randomFactor)));
                assertTrue(delay.compareTo(expected) >= 0 && delay.compareTo(longest) <= 0,
                        "restart " + n + " in " + delay + ", expected between " + expected + " and " + longest);
                time.advance(delay.minusNanos(1));
                assertEquals(n - 1, journal.restarts(path), "restart " + n + " came before its backoff");
                time.advance(Duration.ofNanos(1));
                assertEquals(n, journal.restarts(path), "restart " + n + " at the end of its backoff");
                assertNotEquals(before, instanceOf(w));
            }
            assertTrue(delays[2].compareTo(delays[0]) > 0, "consecutive restarts wait longer");
            stopAndAwait(system, root);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void backoffDelaysAreExponentialStretchedAndCapped() {
        SupervisorStrategy.Backoff backoff = new SupervisorStrategy.Backoff(Duration.ofMillis(10), Duration.ofMillis(300), 0.5);
        for (int i = 0; i < 100; i++) {
            assertBetween(backoff.delay(1), 10, 15);
            assertBetween(backoff.delay(2), 20, 30);
            assertBetween(backoff.delay(3), 40, 60);
            assertBetween(backoff.delay(10), 300, 450);
            assertBetween(backoff.delay(1_000), 300, 450);
            assertBetween(backoff.delay(0), 10, 15);
        }
        SupervisorStrategy.Backoff exact = new SupervisorStrategy.Backoff(Duration.ofMillis(10), Duration.ofMillis(300), 0);
        assertEquals(Duration.ofMillis(40), exact.delay(3));
        // A maxDelay beyond what nanoseconds hold means "no cap" in practice; it must not overflow.
        SupervisorStrategy.Backoff uncapped = new SupervisorStrategy.Backoff(Duration.ofDays(1),
                ChronoUnit.FOREVER.getDuration(), 1);
        assertTrue(uncapped.delay(Integer.MAX_VALUE).compareTo(Duration.ofDays(1L << 15)) >= 0);
        assertTrue(uncapped.delay(1).compareTo(Duration.ofDays(1)) >= 0);
    }

    private static void assertBetween(Duration actual, long minMillis, long maxMillis) {
        assertTrue(actual.compareTo(Duration.ofMillis(minMillis)) >= 0 && actual.compareTo(Duration.ofMillis(maxMillis)) <= 0,
                actual + " not within [" + minMillis + ", " + maxMillis + "] ms");
    }

    // ------------------------------------------------------------------ the guardian's strategy

    @ParameterizedTest
    @EnumSource(Directive.class)
    void guardianStrategyAppliesToTopLevelActors(Directive directive) throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.builder("guardian")
                .guardianStrategy(SupervisorStrategy.DEFAULT.withDecider(cause -> directive)).build()) {
            SupWorker watcher = SupActor.spawn(system, journal, SupSpec.of("watcher").asWatcher());
            SupWorker top = SupActor.spawn(system, journal, SupSpec.of("top", SupSpec.of("child")));
            await(watcher.run(actor -> {
                actor.context().watch(top);
                return null;
            }));
            awaitLiveActors(system, 3);
            int before = instanceOf(top);
            top.increment();
            top.increment();
            SupFailure failure = new SupFailure("top fails, guardian " + directive);
            top.fail(failure);
            top.increment();
            top.increment();
            top.increment();
            CompletionStage<Integer> count = top.count();
            switch (directive) {
                case RESUME -> {
                    assertEquals(5, await(count));
                    assertEquals(before, instanceOf(top));
                }
                case RESTART -> {
                    assertEquals(3, await(count));
                    assertNotEquals(before, instanceOf(top));
                    assertEquals(1, system.metrics().restarts());
                }
                case STOP, ESCALATE -> {
                    assertInstanceOf(ActorStoppedException.class, failureOf(count));
                    Terminated notice = journal.nextNotice("/user/watcher");
                    assertEquals(Terminated.Reason.FAILED, notice.reason());
                    assertSame(failure, notice.cause());
                    assertFalse(alive(system, "/user/top/child"));
                }
            }
            awaitLiveActors(system, directive == Directive.STOP || directive == Directive.ESCALATE ? 1 : 3);
            stopAndAwait(system, watcher);
            if (alive(system, "/user/top")) {
                stopAndAwait(system, top);
            }
            assertEquals(0, system.metrics().liveActors());
        }
    }
}
