package io.spinoff.runtime;

import static io.spinoff.runtime.SupTestKit.await;
import static io.spinoff.runtime.SupTestKit.awaitLiveActors;
import static io.spinoff.runtime.SupTestKit.failureOf;
import static io.spinoff.runtime.SupTestKit.instanceOf;
import static io.spinoff.runtime.SupTestKit.stopAndAwait;
import static io.spinoff.runtime.SupTestKit.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.SupervisorStrategy.Directive;
import io.spinoff.runtime.internal.cell.ActorCell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Failures of the runtime's own dispatch path, injected through {@link ActorCell#injectFaults}:
 * they must never kill a carrier thread nor leave an actor stuck, and an ask whose message they
 * hit fails at once rather than by timeout.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class FaultInjectionTest {

    private static final SupervisorStrategy LENIENT =
            SupervisorStrategy.DEFAULT.withMaxRestarts(1_000_000, Duration.ofSeconds(10));

    @RegisterExtension
    final SupLogCapture log = new SupLogCapture();

    /** An injected failure of the runtime's code. */
    static final class SupInjectedFault extends RuntimeException {
        private static final long serialVersionUID = 1L;

        SupInjectedFault() {
            super("injected runtime fault");
        }
    }

    /** An injected {@link Error} that is not a {@link VirtualMachineError}. */
    static final class SupInjectedError extends Error {
        private static final long serialVersionUID = 1L;

        SupInjectedError() {
            super("injected error");
        }
    }

    /**
     * A failure while a carrier queues an actor again at the end of its turn (the actor used its
     * batch) must not escape the turn: the pool would mark the actor's task completed, never to
     * run it again, while its scheduled flag stayed set, and the actor would be stuck.
     */
    @Test
    void aFailureQueueingAnActorFromItsOwnTurnLeavesItRunning() throws Exception {
        try (ActorSystem system = ActorSystem.builder("execEscape").parallelism(2).throughput(1)
                .askTimeout(Duration.ofSeconds(2)).build()) {
            CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
            ActorCell target = ActorCell.cellOf(echo);
            CountDownLatch bothSent = new CountDownLatch(1);
            AtomicBoolean thrown = new AtomicBoolean();
            ActorCell.injectFaults(new ActorCell.FaultInjector() {
                @Override
                public void beforeDispatch(ActorCell cell, Object message) {
                    if (cell == target) {
                        try {
                            bothSent.await(5, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }
                }

                @Override
                public void beforeSubmit(ActorCell cell) {
                    if (cell == target && Thread.currentThread().getName().contains("-dispatcher-")
                            && thrown.compareAndSet(false, true)) {
                        throw new SupInjectedFault();
                    }
                }
            });
            try {
                CompletableFuture<String> first = echo.echo("1").toCompletableFuture();
                CompletableFuture<String> second = echo.echo("2").toCompletableFuture();
                bothSent.countDown();
                assertEquals("echo:1", first.get(5, TimeUnit.SECONDS));
                assertEquals("echo:2", second.get(5, TimeUnit.SECONDS), "the actor was left stuck");
                assertTrue(thrown.get(), "the fault was injected");
            } finally {
                ActorCell.injectFaults(null);
            }
            assertEquals("echo:3", echo.echo("3").toCompletableFuture().get(5, TimeUnit.SECONDS));
        }
    }

    /**
     * A pool that refuses a task while the system runs (its queue could not grow) has not shut
     * down: the actor is queued again shortly, and its mailbox is not emptied into dead letters.
     */
    @Test
    void aRefusalOfTheLivePoolIsRetriedAndDeadLettersNothing() throws Exception {
        try (ActorSystem system = ActorSystem.builder("refusal").parallelism(2).build()) {
            CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
            assertEquals("echo:0", echo.echo("0").toCompletableFuture().get(5, TimeUnit.SECONDS));
            ActorCell target = ActorCell.cellOf(echo);
            AtomicBoolean refused = new AtomicBoolean();
            ActorCell.injectFaults(new ActorCell.FaultInjector() {
                @Override
                public void beforeDispatch(ActorCell cell, Object message) {}

                @Override
                public void beforeSubmit(ActorCell cell) {
                    if (cell == target && refused.compareAndSet(false, true)) {
                        throw new RejectedExecutionException("Queue capacity exceeded");
                    }
                }
            });
            try {
                long deadLettersBefore = system.metrics().deadLetters();
                // An ask queues the actor only when it is idle, its last turn over: try a few times.
                for (int i = 1; i <= 20 && !refused.get(); i++) {
                    Thread.sleep(50);
                    assertEquals("echo:" + i, echo.echo(Integer.toString(i)).toCompletableFuture()
                            .get(5, TimeUnit.SECONDS));
                }
                assertTrue(refused.get(), "the refusal was injected");
                assertEquals(deadLettersBefore, system.metrics().deadLetters(), "dead letters");
            } finally {
                ActorCell.injectFaults(null);
            }
        }
    }

    @Test
    void randomFaultsInDispatchLeaveNoActorStuckAndNoThreadDead() throws Exception {
        long seed = Long.getLong("spinoff.test.seed", 0xfa017L);
        Random random = new Random(seed);
        SupJournal journal = new SupJournal();
        // Top-level actors are resumed (a restart would replace their children's cells, and the
        // test's proxies with them); their children are restarted.
        try (ActorSystem system = ActorSystem.builder("faults").parallelism(4).askTimeout(Duration.ofSeconds(3))
                .guardianStrategy(SupervisorStrategy.DEFAULT.withDecider(cause -> Directive.RESUME)).build()) {
            List<String> paths = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String top = "t" + t;
                SupActor.spawn(system, journal, SupSpec.of(top, SupSpec.of("a"), SupSpec.of("b"), SupSpec.of("c"))
                        .withStrategy(LENIENT));
                paths.add("/user/" + top);
                for (String child : List.of("a", "b", "c")) {
                    paths.add("/user/" + top + "/" + child);
                }
            }
            awaitLiveActors(system, paths.size());
            List<SupWorker> workers = paths.stream().map(path -> worker(system, path)).toList();
            List<ActorCell> cells = paths.stream().map(path -> SupTestKit.cell(system, path)).toList();

            AtomicInteger runtimeFaults = new AtomicInteger();
            AtomicInteger errors = new AtomicInteger();
            ActorCell.injectFaults((cell, message) -> {
                if (cell.system() != system) {
                    return;
                }
                int roll = random.nextInt(100);
                if (roll < 8) {
                    runtimeFaults.incrementAndGet();
                    throw new SupInjectedFault();
                } else if (roll < 12) {
                    errors.incrementAndGet();
                    throw new SupInjectedError();
                }
            });
            ConcurrentLinkedQueue<CompletableFuture<?>> asks = new ConcurrentLinkedQueue<>();
            try {
                List<Thread> senders = new ArrayList<>();
                for (int s = 0; s < 4; s++) {
                    long senderSeed = random.nextLong();
                    senders.add(Thread.ofPlatform().name("sender-" + s).start(() -> {
                        Random mine = new Random(senderSeed);
                        for (int i = 0; i < 1_000; i++) {
                            SupWorker target = workers.get(mine.nextInt(workers.size()));
                            if (mine.nextBoolean()) {
                                target.increment();
                            } else {
                                asks.add(target.count().toCompletableFuture());
                            }
                        }
                    }));
                }
                for (Thread sender : senders) {
                    sender.join(10_000);
                }
                int hit = 0;
                for (CompletableFuture<?> ask : asks) {
                    try {
                        ask.get(5, TimeUnit.SECONDS);
                    } catch (ExecutionException e) {
                        hit++;
                        assertTrue(e.getCause() instanceof SupInjectedFault || e.getCause() instanceof SupInjectedError,
                                "an ask hit by an injected fault fails with it at once, not by timeout (seed " + seed
                                        + "): " + e.getCause());
                    }
                }
                assertTrue(hit > 0 && runtimeFaults.get() > 0 && errors.get() > 0,
                        "faults were injected: seed " + seed + ", " + runtimeFaults + " runtime faults, " + errors + " errors");
            } finally {
                ActorCell.injectFaults(null);
            }

            assertTrue(system.metrics().restarts() > 0, "injected faults go to the supervisors");
            for (SupWorker worker : workers) {
                worker.count().toCompletableFuture().get(1, TimeUnit.SECONDS);
            }
            List<CompletableFuture<Integer>> many = new ArrayList<>();
            for (int i = 0; i < 10_000; i++) {
                many.add(workers.get(i % workers.size()).count().toCompletableFuture());
            }
            CompletableFuture.allOf(many.toArray(new CompletableFuture<?>[0])).get(10, TimeUnit.SECONDS);
            assertEquals(List.of(), log.recordsStartingWith("Uncaught failure"), "no carrier thread died");
            assertEquals(paths.size(), system.metrics().liveActors(), "no actor was stopped");
            assertEquals(cells, paths.stream().map(path -> SupTestKit.cell(system, path)).toList(), "nor replaced");
            for (int t = 0; t < 4; t++) {
                stopAndAwait(system, workers.get(t * 4));
            }
            assertEquals(0, system.metrics().liveActors());
        } finally {
            ActorCell.injectFaults(null);
        }
    }

    @Test
    void injectedErrorFailsTheAskAndRestartsTheActor() {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.builder("fault-error").askTimeout(Duration.ofSeconds(5)).build()) {
            SupWorker worker = SupActor.spawn(system, journal, SupSpec.of("w"));
            worker.increment();
            int before = instanceOf(worker);
            AtomicBoolean armed = new AtomicBoolean(true);
            try {
                ActorCell.injectFaults((cell, message) -> {
                    if (cell.system() == system && armed.compareAndSet(true, false)) {
                        throw new SupInjectedError();
                    }
                });
                long start = System.nanoTime();
                Throwable failure = failureOf(worker.count());
                assertInstanceOf(SupInjectedError.class, failure);
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "failed at once, not by timeout");
            } finally {
                ActorCell.injectFaults(null);
            }
            assertEquals(0, await(worker.count()), "the actor was restarted");
            assertNotEquals(before, instanceOf(worker));
            assertEquals(1, system.metrics().restarts());
            assertEquals(List.of(), log.recordsStartingWith("Uncaught failure"));
            stopAndAwait(system, worker);
            assertEquals(0, system.metrics().liveActors());
        } finally {
            ActorCell.injectFaults(null);
        }
    }

    @Test
    void injectedFaultOnATellKeepsTheQueuedMessages() {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("fault-tell")) {
            SupWorker worker = SupActor.spawn(system, journal, SupSpec.of("w"));
            AtomicBoolean armed = new AtomicBoolean(true);
            try {
                ActorCell.injectFaults((cell, message) -> {
                    if (cell.system() == system && armed.compareAndSet(true, false)) {
                        throw new SupInjectedFault();
                    }
                });
                worker.increment();
                worker.increment();
                worker.increment();
                assertEquals(2, await(worker.count()), "the hit message is lost, the actor restarted, the rest handled");
            } finally {
                ActorCell.injectFaults(null);
            }
            assertEquals(1, system.metrics().restarts());
            stopAndAwait(system, worker);
            assertEquals(0, system.metrics().liveActors());
        } finally {
            ActorCell.injectFaults(null);
        }
    }
}
