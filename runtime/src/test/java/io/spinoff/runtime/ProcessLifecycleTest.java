package io.spinoff.runtime;

import static io.spinoff.runtime.ProcTrace.await;
import static io.spinoff.runtime.ProcTrace.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.ActorRef;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A process's lifecycle: normal end, failure and supervision, interrupting stops (SPEC §5). */
class ProcessLifecycleTest {

    private static final Duration LONG = Duration.ofSeconds(5);
    /** Real time for untimed work (a process reaching its receive) to settle. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    @Test
    @Timeout(20)
    void runReturningStopsTheProcessNormallyAfterPreStartAndBeforePostStop() throws Exception {
        try (ActorSystem system = ActorSystem.create("procNormal")) {
            ProcTrace trace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void preStart() {
                    trace.add("preStart");
                }

                @Override
                protected void run() throws Exception {
                    trace.add("run");
                    receive(ProcMailMessage.Release.class);
                    trace.add("returning");
                }

                @Override
                protected void postStop() {
                    trace.add("postStop");
                }
            }, "normal");
            ProcMailProtocol.INSTANCE.proxy(ref).release();
            trace.expect("preStart", "run", "returning", "postStop");
            Terminated end = await(system.whenTerminated(ref));
            assertEquals(Terminated.Reason.STOPPED, end.reason());
            assertEquals(0, system.metrics().restarts());
        }
    }

    @Test
    @Timeout(20)
    void aFailingRunIsRestartedByTheDefaultStrategyWithTheMailboxKeptAndUnansweredAsksFailed() throws Exception {
        try (ActorSystem system = ActorSystem.builder("procRestart").askTimeout(Duration.ofSeconds(30)).build()) {
            ProcTrace trace = new ProcTrace();
            AtomicInteger made = new AtomicInteger();
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                private final int incarnation = made.incrementAndGet();

                @Override
                protected void run() throws Exception {
                    trace.add("run " + incarnation);
                    if (incarnation == 1) {
                        receive(ProcMailMessage.Echo.class); // taken, never answered
                        receive(ProcMailMessage.A.class);
                        throw new IllegalStateException("first instance fails");
                    }
                    trace.add("kept b" + receive(ProcMailMessage.B.class, LONG).seq());
                    ProcMailMessage.Echo echo = receive(ProcMailMessage.Echo.class, LONG);
                    reply(echo, "second instance: " + echo.text());
                    receive(ProcMailMessage.Release.class);
                }

                @Override
                protected void preRestart(Throwable reason) {
                    trace.add("preRestart " + incarnation + " " + reason.getMessage());
                }

                @Override
                protected void postRestart(Throwable reason) {
                    trace.add("postRestart " + incarnation);
                }
            }, "restarting");
            ProcMail mail = ProcMailProtocol.INSTANCE.proxy(ref);
            trace.expect("run 1");
            CompletionStage<String> unanswered = mail.echo("lost");
            mail.b(7); // queued before the failure, and not taken by the first instance
            mail.a(1); // makes the first instance fail
            trace.expect("preRestart 1 first instance fails", "postRestart 2", "run 2", "kept b7");
            ActorStoppedException lost = failure(ActorStoppedException.class, unanswered);
            assertTrue(lost.getMessage().contains("/user/restarting") && lost.getMessage().contains("restarted"),
                    lost.getMessage());
            assertEquals("second instance: again", await(mail.echo("again")));
            assertEquals(2, made.get());
            assertEquals(1, system.metrics().restarts());
            mail.release();
            assertEquals(Terminated.Reason.STOPPED, await(system.whenTerminated(ref)).reason());
        }
    }

    @Test
    @Timeout(20)
    void aResumeStrategyRunsRunAgainOnTheSameInstanceWithTheMailboxKept() throws Exception {
        try (ActorSystem system = ActorSystem.create("procResume")) {
            ProcTrace trace = new ProcTrace();
            AtomicInteger made = new AtomicInteger();
            SupervisorStrategy resume = SupervisorStrategy.DEFAULT
                    .withDecider(cause -> SupervisorStrategy.Directive.RESUME);
            ProcSupervisor supervisor = system.spawn(ProcSupervisor.class, () -> new ProcSupervisorActor(() -> {
                made.incrementAndGet();
                return new Process() {
                    private int runs;

                    @Override
                    protected void run() throws Exception {
                        runs++;
                        trace.add(this);
                        trace.add("run " + runs);
                        if (runs == 1) {
                            receive(ProcMailMessage.A.class);
                            throw new IllegalStateException("first run fails");
                        }
                        trace.add("kept b" + receive(ProcMailMessage.B.class, LONG).seq());
                        receive(ProcMailMessage.Release.class);
                    }
                };
            }, resume), "supervisor");
            String address = await(supervisor.startChild("child"));
            assertEquals("/user/supervisor/child", address);
            ActorRef<Object> ref = system.ref(address);
            ProcMail mail = ProcMailProtocol.INSTANCE.proxy(ref);
            Process first = trace.next(Process.class);
            trace.expect("run 1");
            mail.b(3);
            mail.a(1);
            assertSame(first, trace.next(Process.class), "the resumed run() runs on the same instance");
            trace.expect("run 2", "kept b3");
            assertEquals(1, made.get());
            assertEquals(0, system.metrics().restarts());
            mail.release();
            assertEquals(Terminated.Reason.STOPPED, await(system.whenTerminated(ref)).reason());
        }
    }

    @Test
    @Timeout(20)
    void aStopStrategyEndsAFailingProcessAsFailed() throws Exception {
        try (ActorSystem system = ActorSystem.create("procStopStrategy")) {
            ProcTrace trace = new ProcTrace();
            SupervisorStrategy stop = SupervisorStrategy.DEFAULT.withDecider(cause -> SupervisorStrategy.Directive.STOP);
            ProcSupervisor supervisor = system.spawn(ProcSupervisor.class, () -> new ProcSupervisorActor(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    trace.add("run");
                    receive(ProcMailMessage.Release.class);
                    throw new IllegalStateException("fails when released");
                }

                @Override
                protected void postStop() {
                    trace.add("postStop");
                }
            }, stop), "supervisor");
            ActorRef<Object> ref = system.ref(await(supervisor.startChild("child")));
            trace.expect("run");
            ProcMailProtocol.INSTANCE.proxy(ref).release();
            trace.expect("postStop");
            Terminated end = await(system.whenTerminated(ref));
            assertEquals(Terminated.Reason.FAILED, end.reason());
            assertEquals("fails when released", end.cause().getMessage());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"receive", "receiveWithin", "sleep", "await"})
    @Timeout(20)
    void stoppingABlockedProcessInterruptsItPromptlyAndRunsPostStop(String blockedIn) throws Exception {
        try (ActorSystem system = ActorSystem.create("procStop")) {
            ProcTrace trace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    trace.add(Thread.currentThread());
                    try {
                        switch (blockedIn) {
                            case "receive" -> receive(ProcMailMessage.A.class);
                            case "receiveWithin" -> receive(m -> false, Duration.ofMinutes(5));
                            case "sleep" -> sleep(Duration.ofMinutes(5));
                            default -> await(new CompletableFuture<>(), Duration.ofMinutes(5));
                        }
                        trace.add("not interrupted");
                    } catch (InterruptedException e) {
                        trace.add("interrupted");
                        throw e;
                    }
                }

                @Override
                protected void postStop() {
                    trace.add("postStop");
                }
            }, "blocked");
            Thread thread = trace.next(Thread.class);
            ProcessReceiveTest.awaitParked(thread);
            long start = System.nanoTime();
            system.stop(ref).toCompletableFuture().get(5, TimeUnit.SECONDS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 1_000, "stopping a process blocked in " + blockedIn + " took " + millis + " ms");
            trace.expect("interrupted", "postStop");
            thread.join(5_000);
            assertTrue(!thread.isAlive(), "the process thread ended");
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    @Timeout(20)
    void aStoppingProcessThatKeepsItsInterruptStillCompletesContextOperations() throws Exception {
        // One carrier thread, which the test holds while the process cleans up: the process's
        // unwatch must wait for its turn instead of giving up because its interrupt is set.
        try (ActorSystem system = ActorSystem.builder("procStopCleanup").parallelism(1).build()) {
            ProcTrace trace = new ProcTrace();
            CountDownLatch proceed = new CountDownLatch(1);
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CoreGate gate = system.spawn(CoreGate.class, () -> new CoreGateActor(entered, release), "gate");
            Counter watched = system.spawn(Counter.class, CounterActor::new, "watched");
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    watch(watched);
                    trace.add(Thread.currentThread());
                    try {
                        receive(ProcMailMessage.A.class);
                    } catch (InterruptedException e) {
                        trace.add("interrupted");
                        proceed.await();
                        // The usual idiom: keep the interrupt, clean up, then end.
                        Thread.currentThread().interrupt();
                        trace.add("cleaning up");
                        try {
                            unwatch(watched);
                            trace.add("unwatched");
                        } catch (RuntimeException cleanupFailure) {
                            trace.add(cleanupFailure.toString());
                        }
                        trace.add("interrupt kept " + Thread.currentThread().isInterrupted());
                        throw e;
                    }
                }
            }, "cleanup");
            Thread thread = trace.next(Thread.class);
            CompletionStage<Void> stopped = system.stop(ref);
            trace.expect("interrupted");
            CompletionStage<Void> held = gate.hold();
            assertTrue(entered.await(5, TimeUnit.SECONDS), "the gate holds the only carrier thread");
            proceed.countDown();
            trace.expect("cleaning up");
            // Parked waiting for the turn (or, wrongly, already ended): then let the turn run.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING
                    && thread.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            release.countDown();
            await(held);
            stopped.toCompletableFuture().get(5, TimeUnit.SECONDS);
            trace.expect("unwatched", "interrupt kept true");
        }
    }

    @Test
    @Timeout(20)
    void aProcessIgnoringTheStopIsTerminatedByForceAfterTheStopTimeoutAndInterruptedAgain() throws Exception {
        ManualTime time = ManualTime.create();
        try (ActorSystem system = ActorSystem.builder("procForced").stopTimeout(Duration.ofMillis(300))
                .manualTime(time).jmx(false).build()) {
            ProcTrace trace = new ProcTrace();
            ProcSupervisor supervisor = system.spawn(ProcSupervisor.class,
                    () -> new ProcSupervisorActor(() -> new Process() {
                        @Override
                        protected void run() throws Exception {
                            trace.add(Thread.currentThread());
                            try {
                                receive(ProcMailMessage.A.class);
                            } catch (InterruptedException first) {
                                trace.add("ignored the first interrupt");
                            }
                            try {
                                receive(ProcMailMessage.A.class);
                            } catch (InterruptedException second) {
                                trace.add("ended at the second");
                            }
                        }

                        @Override
                        protected void postStop() {
                            trace.add("postStop");
                        }
                    }, SupervisorStrategy.DEFAULT), "supervisor");
            ActorRef<Object> child = system.ref(await(supervisor.startChild("stubborn")));
            Thread thread = trace.next(Thread.class);
            assertTrue(time.awaitIdle(SETTLE), "the process waits in its receive");
            CompletableFuture<Terminated> childEnd = system.whenTerminated(child).toCompletableFuture();
            CompletableFuture<Void> stopped = system.stop(supervisor).toCompletableFuture();
            trace.expect("ignored the first interrupt");
            assertTrue(time.awaitIdle(SETTLE), "the process waits in its second receive");
            time.advance(Duration.ofMillis(299));
            assertFalse(childEnd.isDone() || stopped.isDone(), "terminated by force before the stop timeout");
            assertEquals(List.of(), trace.rest(), "the process was interrupted again before the stop timeout");
            time.advance(Duration.ofMillis(1));
            assertEquals(Terminated.Reason.STOPPED, childEnd.get(5, TimeUnit.SECONDS).reason());
            stopped.get(5, TimeUnit.SECONDS);
            trace.expect("ended at the second");
            thread.join(5_000);
            assertTrue(!thread.isAlive(), "the process thread ended");
            assertEquals(List.of(), trace.rest(), "postStop does not run after a forced stop");
        }
    }

    /**
     * A process that ignores the stop is terminated by force; an ask that reached its cell while it
     * was stopping (and so was never handed to the process) fails at once, not at its timeout.
     */
    @Test
    @Timeout(20)
    void anAskQueuedOnAProcessTerminatedByForceFailsAtOnce() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Thread> processThread = new java.util.concurrent.atomic.AtomicReference<>();
        ManualTime time = ManualTime.create();
        // Both timeouts are on the clock, and it never reaches the ask's: only the stop can fail it.
        try (ActorSystem system = ActorSystem.builder("procForcedAsk").stopTimeout(Duration.ofMillis(300))
                .askTimeout(Duration.ofSeconds(10)).manualTime(time).jmx(false).build()) {
            ProcSupervisor supervisor = system.spawn(ProcSupervisor.class,
                    () -> new ProcSupervisorActor(() -> new Process() {
                        @Override
                        protected void run() {
                            processThread.set(Thread.currentThread());
                            while (!released.get()) {
                                try {
                                    receive(ProcMailMessage.A.class);
                                } catch (InterruptedException ignored) {
                                    interrupted.countDown();
                                }
                            }
                        }
                    }, SupervisorStrategy.DEFAULT), "supervisor");
            try {
                ProcMail child = system.lookup(ProcMail.class, await(supervisor.startChild("stubborn")));
                assertTrue(time.awaitIdle(SETTLE), "the process waits in its receive");
                CompletableFuture<Void> stopped = system.stop(supervisor).toCompletableFuture();
                assertTrue(interrupted.await(5, TimeUnit.SECONDS), "the process was asked to stop");
                CompletableFuture<String> queued = child.echo("late").toCompletableFuture();
                assertTrue(time.awaitIdle(SETTLE), "the process waits in its receive again");
                assertFalse(queued.isDone() || stopped.isDone(), "ended before the stop timeout");
                time.advance(Duration.ofMillis(300));
                stopped.get(5, TimeUnit.SECONDS);
                java.util.concurrent.ExecutionException failed = org.junit.jupiter.api.Assertions.assertThrows(
                        java.util.concurrent.ExecutionException.class, () -> queued.get(5, TimeUnit.SECONDS));
                org.junit.jupiter.api.Assertions.assertInstanceOf(ActorStoppedException.class, failed.getCause());
                assertEquals(Duration.ofMillis(300), time.elapsed(), "the clock never reached the ask's timeout");
            } finally {
                released.set(true);
                Thread thread = processThread.get();
                if (thread != null) {
                    thread.interrupt();
                }
            }
        }
    }

    @Test
    @Timeout(20)
    void anAllForOneRestartInterruptsABlockedSiblingProcessAndRunsItsNewInstance() throws Exception {
        try (ActorSystem system = ActorSystem.create("procAllForOne")) {
            ProcTrace trace = new ProcTrace();
            ProcSupervisor supervisor = system.spawn(ProcSupervisor.class, () -> new ProcSupervisorActor(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    String name = context().address().substring("/user/supervisor/".length());
                    trace.add("run " + name);
                    try {
                        if (receive(ProcMailMessage.A.class).seq() == 1) {
                            throw new IllegalStateException(name + " fails");
                        }
                    } catch (InterruptedException e) {
                        trace.add("interrupted " + name);
                        throw e;
                    }
                }
            }, SupervisorStrategy.allForOne()), "supervisor");
            ActorRef<Object> first = system.ref(await(supervisor.startChild("first")));
            trace.expect("run first");
            ActorRef<Object> second = system.ref(await(supervisor.startChild("second")));
            trace.expect("run second");
            ProcMailProtocol.INSTANCE.proxy(first).a(1);
            // The second child is blocked: its restart interrupts it and waits for run() to end
            // before the new instance runs. The first child's restart goes on independently.
            List<Object> seen = List.of(trace.next(), trace.next(), trace.next());
            assertEquals(Set.of("run first", "interrupted second", "run second"), Set.copyOf(seen));
            assertTrue(seen.indexOf("interrupted second") < seen.indexOf("run second"), seen.toString());
            assertEquals(2, system.metrics().restarts());
            ProcMailProtocol.INSTANCE.proxy(first).a(2);
            ProcMailProtocol.INSTANCE.proxy(second).a(2);
            assertEquals(Terminated.Reason.STOPPED, await(system.whenTerminated(first)).reason());
            assertEquals(Terminated.Reason.STOPPED, await(system.whenTerminated(second)).reason());
            assertEquals(List.of(), trace.rest());
        }
    }

    @Test
    @Timeout(20)
    void aProcessStopsItselfFromItsOwnThread() throws Exception {
        try (ActorSystem system = ActorSystem.create("procStopSelf")) {
            ProcTrace trace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    context().stop(context().self());
                    trace.add("stop returned");
                    try {
                        receive(ProcMailMessage.A.class);
                        trace.add("received");
                    } catch (InterruptedException e) {
                        trace.add("interrupted");
                        throw e;
                    }
                }

                @Override
                protected void postStop() {
                    trace.add("postStop");
                }
            }, "selfStopping");
            trace.expect("stop returned", "interrupted", "postStop");
            assertEquals(Terminated.Reason.STOPPED, await(system.whenTerminated(ref)).reason());
        }
    }

    @Test
    @Timeout(30)
    void closingTheSystemFromAProcessReturnsAndStopsTheProcess() throws Exception {
        ActorSystem system = ActorSystem.create("procCloseInside");
        try (system) {
            ProcTrace trace = new ProcTrace();
            system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    trace.add(Thread.currentThread());
                    context().system().close();
                    trace.add("close returned");
                    try {
                        receive(ProcMailMessage.A.class);
                    } catch (InterruptedException e) {
                        trace.add("interrupted");
                        throw e;
                    }
                }
            }, "closer");
            Thread thread = trace.next(Thread.class);
            trace.expect("close returned", "interrupted");
            system.whenClosed().toCompletableFuture().get(20, TimeUnit.SECONDS);
            thread.join(5_000);
            assertTrue(!thread.isAlive(), "the process thread ended");
        }
    }

    @Test
    @Timeout(20)
    void stoppingAProcessFailsTheAsksItTookAndTheAsksStillQueued() throws Exception {
        try (ActorSystem system = ActorSystem.builder("procStopAsks").askTimeout(Duration.ofSeconds(30)).build()) {
            ProcTrace trace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    trace.add("took " + receive(ProcMailMessage.Echo.class).text());
                    receive(ProcMailMessage.A.class);
                }
            }, "asks");
            ProcMail mail = ProcMailProtocol.INSTANCE.proxy(ref);
            CompletionStage<String> taken = mail.echo("taken");
            trace.expect("took taken");
            CompletionStage<String> queued = mail.echo("queued");
            system.stop(ref).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertTrue(failure(ActorStoppedException.class, taken).getMessage().contains("stopped"));
            failure(ActorStoppedException.class, queued);
            failure(ActorStoppedException.class, mail.echo("after"));
        }
    }

    @Test
    @Timeout(20)
    void runReturningWithAnAskUnansweredFailsItPromptly() throws Exception {
        try (ActorSystem system = ActorSystem.builder("procReturnAsks").askTimeout(Duration.ofSeconds(30)).build()) {
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    receive(ProcMailMessage.Echo.class);
                }
            }, "returns");
            ProcMail mail = ProcMailProtocol.INSTANCE.proxy(ref);
            ActorStoppedException e = failure(ActorStoppedException.class, mail.echo("left"));
            assertTrue(e.getMessage().contains("/user/returns"), e.getMessage());
            await(system.whenTerminated(ref));
        }
    }
}
