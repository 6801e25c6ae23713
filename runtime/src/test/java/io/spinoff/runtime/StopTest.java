package io.spinoff.runtime;

import static io.spinoff.runtime.SupTestKit.alive;
import static io.spinoff.runtime.SupTestKit.await;
import static io.spinoff.runtime.SupTestKit.awaitLiveActors;
import static io.spinoff.runtime.SupTestKit.failureOf;
import static io.spinoff.runtime.SupTestKit.stopAndAwait;
import static io.spinoff.runtime.SupTestKit.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Stopping: children first in reverse start order, close in the same order, and the stop timeout.
 *
 * <p>The stop timeout tests keep the machine's clock: their stuck actor holds a turn, so its system
 * never goes idle, and a test on a {@link ManualTime} clock could neither tell when the parent has
 * scheduled the stop timer nor advance without waiting out each settling bound. A process that
 * ignores its stop waits in a receive instead; {@code ProcessLifecycleTest} times that on the clock.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class StopTest {

    private static final Duration STOP_TIMEOUT = Duration.ofMillis(300);

    @RegisterExtension
    final SupLogCapture log = new SupLogCapture();

    private static SupSpec family(String name) {
        return SupSpec.of(name, SupSpec.of(name + "1"),
                SupSpec.of(name + "2", SupSpec.of(name + "2a"), SupSpec.of(name + "2b")),
                SupSpec.of(name + "3"));
    }

    @Test
    void stoppingAParentStopsItsChildrenFirstYoungestFirst() {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("stop-order")) {
            SupWorker p = SupActor.spawn(system, journal, family("p"));
            awaitLiveActors(system, 6);
            stopAndAwait(system, p);
            assertEquals(List.of("p3", "p2b", "p2a", "p2", "p1", "p"), journal.names("postStop"));
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void closeStopsEveryActorInTheSameOrder() {
        SupJournal journal = new SupJournal();
        ActorSystem system = ActorSystem.create("close-order");
        try (system) {
            SupActor.spawn(system, journal, family("a"));
            SupActor.spawn(system, journal, family("b"));
            awaitLiveActors(system, 12);
        }
        assertEquals(List.of("b3", "b2b", "b2a", "b2", "b1", "b", "a3", "a2b", "a2a", "a2", "a1", "a"),
                journal.names("postStop"));
        assertEquals(0, system.metrics().liveActors());
        assertTrue(system.isClosed());
        system.close();
        assertThrows(IllegalStateException.class, () -> SupActor.spawn(system, journal, SupSpec.of("late")));
    }

    @Test
    void actorStopsItsOwnChild() {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("stop-child")) {
            SupWorker p = SupActor.spawn(system, journal, family("p"));
            awaitLiveActors(system, 6);
            SupWorker p2 = worker(system, "/user/p/p2");
            await(p.run(actor -> {
                actor.context().stop(p2);
                return null;
            }));
            await(system.whenTerminated(p2));
            assertEquals(List.of("p2b", "p2a", "p2"), journal.names("postStop"));
            assertFalse(alive(system, "/user/p/p2"));
            assertEquals(0, system.metrics().restarts(), "a stopped child is not restarted");
            awaitLiveActors(system, 3);
            stopAndAwait(system, p);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void stuckChildIsTerminatedByForceAfterTheStopTimeout() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.builder("stop-timeout").stopTimeout(STOP_TIMEOUT).parallelism(4).build()) {
            SupWorker p = SupActor.spawn(system, journal, SupSpec.of("p", SupSpec.of("stuck"), SupSpec.of("fine")));
            awaitLiveActors(system, 3);
            SupWorker stuck = worker(system, "/user/p/stuck");
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletionStage<Integer> queuedAsk;
            try {
                stuck.block(entered, release);
                stuck.increment();
                queuedAsk = stuck.count();
                assertTrue(entered.await(5, TimeUnit.SECONDS));

                long start = System.nanoTime();
                CompletableFuture<Void> stopped = system.stop(p).toCompletableFuture();
                stopped.get(5, TimeUnit.SECONDS);
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(elapsedMillis >= STOP_TIMEOUT.toMillis() - 20 && elapsedMillis < STOP_TIMEOUT.toMillis() + 1500,
                        "the parent stopped after " + elapsedMillis + " ms");
                assertEquals(List.of("fine", "p"), journal.names("postStop"), "the stuck child's postStop does not run");
                assertEquals(0, system.metrics().liveActors());
                assertFalse(alive(system, "/user/p/stuck"));
                assertInstanceOf(ActorStoppedException.class, failureOf(stuck.count()), "the terminated child takes no asks");
            } finally {
                release.countDown();
            }
            // The released thread finishes its handler and nothing more: what was queued behind goes
            // to dead letters rather than to an actor that has already terminated.
            SupTestKit.eventually("the stuck handler returned", () -> journal.names("unblocked").contains("stuck"));
            assertInstanceOf(ActorStoppedException.class, failureOf(queuedAsk));
            assertEquals(List.of("fine", "p"), journal.names("postStop"));
            assertEquals(0, system.metrics().liveActors());

            SupWorker again = SupActor.spawn(system, journal, SupSpec.of("p", SupSpec.of("stuck")));
            awaitLiveActors(system, 2);
            worker(system, "/user/p/stuck").increment();
            assertEquals(1, await(worker(system, "/user/p/stuck").count()), "the system works on");
            stopAndAwait(system, again);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    /**
     * A stuck actor terminated by force keeps no periodic timer running: once its handler returns,
     * nothing holds the terminated actor any more (a timer still firing would, for ever).
     */
    @Test
    void aStuckActorTerminatedByForceKeepsNoTimerRunning() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.builder("stop-timers").stopTimeout(STOP_TIMEOUT).parallelism(2).build()) {
            SupWorker p = SupActor.spawn(system, journal, SupSpec.of("p", SupSpec.of("stuck")));
            awaitLiveActors(system, 2);
            java.lang.ref.WeakReference<Object> stuckCell = new java.lang.ref.WeakReference<>(
                    SupTestKit.cell(system, "/user/p/stuck"));
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try {
                startTimerAndBlock(system, entered, release);
                assertTrue(entered.await(5, TimeUnit.SECONDS));
                system.stop(p).toCompletableFuture().get(5, TimeUnit.SECONDS);
                assertFalse(alive(system, "/user/p/stuck"));
            } finally {
                release.countDown();
            }
            SupTestKit.eventually("the stuck handler returned", () -> journal.names("unblocked").contains("stuck"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (stuckCell.get() != null && System.nanoTime() - deadline < 0) {
                System.gc();
                Thread.sleep(20);
            }
            assertTrue(stuckCell.get() == null, "the terminated actor is still reachable (its timer still runs)");
        }
    }

    /** Starts a 1 ms timer on /user/p/stuck, then blocks it; no proxy stays on the caller's frame. */
    private static void startTimerAndBlock(ActorSystem system, CountDownLatch entered, CountDownLatch release) {
        SupWorker stuck = worker(system, "/user/p/stuck");
        await(stuck.run(actor -> {
            actor.context().timers().startTimerAtFixedRate("tick", new SupWorkerMessage.Tick(),
                    Duration.ofMillis(1), Duration.ofMillis(1));
            return null;
        }));
        stuck.block(entered, release);
    }

    @Test
    void closeDoesNotWaitForeverForAStuckActor() throws Exception {
        SupJournal journal = new SupJournal();
        CountDownLatch release = new CountDownLatch(1);
        try {
            ActorSystem system = ActorSystem.builder("close-stuck").stopTimeout(STOP_TIMEOUT).parallelism(4).build();
            SupWorker stuck = SupActor.spawn(system, journal, SupSpec.of("stuck"));
            SupActor.spawn(system, journal, SupSpec.of("other"));
            CountDownLatch entered = new CountDownLatch(1);
            stuck.block(entered, release);
            assertTrue(entered.await(5, TimeUnit.SECONDS));
            long start = System.nanoTime();
            system.close();
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(elapsedMillis >= STOP_TIMEOUT.toMillis() - 20 && elapsedMillis < STOP_TIMEOUT.toMillis() * 2 + 1500,
                    "close took " + elapsedMillis + " ms");
            assertEquals(List.of("other"), journal.names("postStop"));
            assertEquals(0, system.metrics().liveActors());
        } finally {
            release.countDown();
        }
    }
}
