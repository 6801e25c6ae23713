package io.spinoff.runtime;

import static io.spinoff.runtime.CoreTestSupport.await;
import static io.spinoff.runtime.CoreTestSupport.eventually;
import static io.spinoff.runtime.CoreTestSupport.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@link ActorSystem#close()}: stop order, postStop, released threads, idempotence (SPEC §3). */
class CoreShutdownTest {

    private static final Duration LIMIT = Duration.ofSeconds(20);

    @Test
    void closeReleasesEveryThreadOfTheSystemAndStartsNoNonDaemonThread() {
        assertTimeoutPreemptively(LIMIT, () -> {
            String name = "coreCloseThreads";
            Set<Thread> nonDaemonBefore = liveThreads().stream().filter(t -> !t.isDaemon()).collect(Collectors.toSet());
            ActorSystem system = ActorSystem.builder(name).parallelism(4).build();
            try (system) {
                exercise(system, 20);
                assertTrue(liveThreads().stream().anyMatch(t -> t.getName().startsWith("spinoff-" + name + "-")),
                        "the system runs threads named spinoff-" + name + "-...");
            }
            assertTrue(system.isClosed());
            // Threads still finishing get a moment to end here; CoreStressTest checks that close()
            // itself waits for them.
            List<String> leftovers = aliveAfter(
                    t -> t.getName().startsWith("spinoff-" + name + "-") || !t.isDaemon() && !nonDaemonBefore.contains(t),
                    1_000);
            assertEquals(List.of(), leftovers, "threads alive after close()");
        });
    }

    @Test
    void closeRunsEveryPostStopChildrenBeforeParentsYoungerSiblingsFirstAndIsIdempotent() {
        assertTimeoutPreemptively(LIMIT, () -> {
            Queue<String> stopped = new ConcurrentLinkedQueue<>();
            ActorSystem system = ActorSystem.create("coreCloseOrder");
            try (system) {
                CoreNode a = system.spawn(CoreNode.class, () -> new CoreNodeActor(stopped), "a");
                CoreNode b = system.spawn(CoreNode.class, () -> new CoreNodeActor(stopped), "b");
                CoreNode a1 = await(a.spawnChild("a1"));
                await(a.spawnChild("a2"));
                await(a1.spawnChild("a1x"));
                await(b.spawnChild("b1"));
                assertEquals(6, system.metrics().liveActors());

                system.close();
                assertEquals(List.of("/user/b/b1", "/user/b", "/user/a/a2", "/user/a/a1/a1x", "/user/a/a1", "/user/a"),
                        List.copyOf(stopped));
                assertEquals(0, system.metrics().liveActors());
                assertTrue(system.isClosed());

                long start = System.nanoTime();
                system.close();
                assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) < 1_000,
                        "a second close() returns at once");
                assertEquals(6, stopped.size(), "every postStop ran exactly once");

                // After close, actors are gone: asks fail at once and nothing can be spawned.
                failure(ActorStoppedException.class, a.address(), 1_000);
                assertThrows(IllegalStateException.class, () -> system.spawn(Counter.class, CounterActor::new, "late"));
                assertThrows(IllegalStateException.class, () -> system.spawn(Counter.class, CounterActor::new));
            }
            // try-with-resources closed it a third time; nothing changed.
            assertEquals(6, stopped.size());
        });
    }

    @Test
    void aSecondCloseWhileTheFirstIsUnderWayAlsoWaitsForTheEnd() {
        assertTimeoutPreemptively(LIMIT, () -> {
            CountDownLatch stopping = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            AtomicBoolean postStopDone = new AtomicBoolean();
            ActorSystem system = ActorSystem.create("coreCloseTwice");
            try {
                system.spawn(CoreAdder.class, () -> new CoreSlowStopActor(stopping, release, postStopDone), "slow");
                Thread first = new Thread(system::close, "core-close-first");
                first.setDaemon(true);
                first.start();
                assertTrue(stopping.await(5, TimeUnit.SECONDS), "the first close() reached postStop");

                AtomicReference<Boolean> doneWhenSecondReturned = new AtomicReference<>();
                Thread second = new Thread(() -> {
                    system.close();
                    doneWhenSecondReturned.set(postStopDone.get());
                }, "core-close-second");
                second.setDaemon(true);
                second.start();
                second.join(300);
                release.countDown();
                second.join(5_000);
                first.join(5_000);
                assertFalse(first.isAlive());
                assertFalse(second.isAlive());
                assertTrue(postStopDone.get());
                assertEquals(Boolean.TRUE, doneWhenSecondReturned.get(),
                        "a close() called while another is under way returned before every postStop had run");
            } finally {
                release.countDown();
                system.close();
            }
        });
    }

    @Test
    void liveActorsGoesUpOnSpawnAndDownOnStop() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreLiveActors")) {
                assertEquals(0, system.metrics().liveActors());
                Counter first = system.spawn(Counter.class, CounterActor::new, "first");
                Counter second = system.spawn(Counter.class, CounterActor::new);
                CoreNode parent = system.spawn(CoreNode.class, () -> new CoreNodeActor(new ConcurrentLinkedQueue<>()), "parent");
                await(parent.spawnChild("child"));
                assertEquals(4, system.metrics().liveActors());

                await(system.stop(first));
                assertEquals(3, system.metrics().liveActors());
                await(system.stop(parent));
                assertEquals(1, system.metrics().liveActors(), "stopping a parent stops its child");
                await(system.stop(second));
                assertEquals(0, system.metrics().liveActors());
                await(system.stop(second));
                assertEquals(0, system.metrics().liveActors(), "stopping a stopped actor changes nothing");
            }
        });
    }

    @Test
    void throwingHandlersAcrossManyActorsLeaveThePoolFullyWorking() {
        assertTimeoutPreemptively(LIMIT, () -> {
            int actors = 100;
            int tellFailures = 5;
            try (ActorSystem system = ActorSystem.create("coreFaultyHandlers")) {
                List<CoreEcho> faulty = new ArrayList<>();
                for (int i = 0; i < actors; i++) {
                    faulty.add(system.spawn(CoreEcho.class, CoreEchoActor::new, "faulty-" + i));
                }
                List<CompletionStage<String>> explosions = new ArrayList<>();
                for (CoreEcho echo : faulty) {
                    for (int i = 0; i < tellFailures; i++) {
                        echo.crash("tell " + i);
                    }
                    explosions.add(echo.explode("ask"));
                }
                for (CompletionStage<String> explosion : explosions) {
                    assertEquals("ask", failure(CoreFailure.class, explosion, 5_000).getMessage());
                }
                // Every failing message was dropped, every actor restarted and still answers.
                for (CoreEcho echo : faulty) {
                    assertEquals("echo:alive", await(echo.echo("alive")));
                }
                long expectedRestarts = (long) actors * (tellFailures + 1);
                eventually(5_000, "restarts() reaching " + expectedRestarts,
                        () -> system.metrics().restarts() == expectedRestarts);

                List<CompletableFuture<String>> replies = new ArrayList<>();
                for (int i = 0; i < 1000; i++) {
                    CoreEcho fresh = system.spawn(CoreEcho.class, CoreEchoActor::new, "fresh-" + i);
                    replies.add(fresh.echo("n" + i).toCompletableFuture());
                }
                CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0]))
                        .get(10, TimeUnit.SECONDS);
                for (int i = 0; i < 1000; i++) {
                    assertEquals("echo:n" + i, replies.get(i).getNow(null));
                }
                assertEquals(actors + 1000, system.metrics().liveActors());
            }
        });
    }

    /** Uses the carrier threads, the scheduler (timers, ask timeouts) and children. */
    private static void exercise(ActorSystem system, int counters) throws Exception {
        List<Counter> spawned = new ArrayList<>();
        for (int i = 0; i < counters; i++) {
            spawned.add(system.spawn(Counter.class, CounterActor::new, "counter-" + i));
        }
        for (Counter counter : spawned) {
            for (int i = 0; i < 100; i++) {
                counter.increment(1);
            }
        }
        for (Counter counter : spawned) {
            assertEquals(100, await(counter.get()));
        }
        BlockingQueue<CoreTickerActor.Delivery> ticks = new LinkedBlockingQueue<>();
        CoreTicker ticker = system.spawn(CoreTicker.class, () -> new CoreTickerActor(ticks), "ticker");
        ticker.startAtFixedRate("rate", 0, 5);
        assertNotNull(ticks.poll(5, TimeUnit.SECONDS), "a timer delivery");
        CoreNode node = system.spawn(CoreNode.class, () -> new CoreNodeActor(new ConcurrentLinkedQueue<>()), "node");
        await(node.spawnChild("child"));
    }

    /** Waits up to {@code graceMillis} for the matching threads to end; returns those still alive. */
    private static List<String> aliveAfter(Predicate<Thread> matching, long graceMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(graceMillis);
        List<String> alive = new ArrayList<>();
        for (Thread thread : liveThreads()) {
            if (matching.test(thread)) {
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                if (thread.isAlive()) {
                    alive.add(thread.getName() + (thread.isDaemon() ? " (daemon)" : " (non-daemon)"));
                }
            }
        }
        return alive;
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }
}
