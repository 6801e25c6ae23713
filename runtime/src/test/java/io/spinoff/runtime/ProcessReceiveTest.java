package io.spinoff.runtime;

import static io.spinoff.runtime.ProcTrace.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.ActorRef;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** Selective receive, its timeouts, and its confinement to the process's own thread (SPEC §5). */
class ProcessReceiveTest {

    private static final Duration LONG = Duration.ofSeconds(5);
    /** Real time for untimed work (a process reaching its receive) to settle. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    @Test
    @Timeout(20)
    void receiveByTypeTakesTheFirstMatchAndLeavesTheOthersQueuedInOrder() throws Exception {
        try (ActorSystem system = ActorSystem.create("procSelective")) {
            ProcTrace trace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    receive(ProcMailMessage.Release.class);
                    trace.add("b" + receive(ProcMailMessage.B.class).seq());
                    trace.add("a" + receive(ProcMailMessage.A.class).seq());
                    trace.add("b" + receive(ProcMailMessage.B.class, LONG).seq());
                    trace.add("a" + receive(ProcMailMessage.A.class, LONG).seq());
                    trace.add("empty " + (receiveNothing(this)));
                }
            }, "selective");
            ProcMail mail = ProcMailProtocol.INSTANCE.proxy(ref);
            // The release comes last: once the process has it, the four are queued before it.
            mail.a(1);
            mail.b(1);
            mail.a(2);
            mail.b(2);
            mail.release();
            trace.expect("b1", "a1", "b2", "a2", "empty true");
            await(system.whenTerminated(ref));
        }
    }

    @Test
    @Timeout(20)
    void receiveWithAFilterTakesTheFirstMessageItAcceptsAndKeepsTheRestInOrder() throws Exception {
        try (ActorSystem system = ActorSystem.create("procFilter")) {
            ProcTrace trace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    receive(ProcMailMessage.Release.class);
                    trace.add(receive(m -> m instanceof ProcMailMessage.A a && a.seq() == 3, LONG));
                    trace.add(receive(m -> m instanceof ProcMailMessage.B, LONG));
                    for (int i = 0; i < 3; i++) {
                        trace.add(receive(m -> true, Duration.ZERO));
                    }
                    trace.add("empty " + receiveNothing(this));
                }
            }, "filter");
            ProcMail mail = ProcMailProtocol.INSTANCE.proxy(ref);
            mail.a(1);
            mail.b(1);
            mail.a(2);
            mail.b(2);
            mail.a(3);
            mail.release();
            trace.expect(new ProcMailMessage.A(3), new ProcMailMessage.B(1),
                    new ProcMailMessage.A(1), new ProcMailMessage.A(2), new ProcMailMessage.B(2),
                    "empty true");
            await(system.whenTerminated(ref));
        }
    }

    @Test
    @Timeout(20)
    void aWaitingReceiveSkipsArrivalsItDoesNotWantAndLeavesThemQueuedInOrder() throws Exception {
        try (ActorSystem system = ActorSystem.create("procWaiting")) {
            ProcTrace trace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    trace.add(Thread.currentThread());
                    trace.add("b" + receive(ProcMailMessage.B.class).seq());
                    trace.add("b" + receive(ProcMailMessage.B.class, LONG).seq());
                    for (int i = 0; i < 3; i++) {
                        trace.add("a" + receive(ProcMailMessage.A.class, Duration.ZERO).seq());
                    }
                }
            }, "waiting");
            ProcMail mail = ProcMailProtocol.INSTANCE.proxy(ref);
            Thread thread = trace.next(Thread.class);
            // Each arrival wakes the waiting receive, which must look at it and leave it queued.
            awaitParked(thread);
            mail.a(1);
            awaitParked(thread);
            mail.a(2);
            awaitParked(thread);
            mail.b(1);
            trace.expect("b1");
            awaitParked(thread);
            mail.a(3);
            awaitParked(thread);
            mail.b(2);
            trace.expect("b2", "a1", "a2", "a3");
            await(system.whenTerminated(ref));
        }
    }

    @Test
    @Timeout(20)
    void receiveTimesOutAtItsTimeoutNamingTheProcessAndTheTypeAndKeepsTheQueue() throws Exception {
        ManualTime time = ManualTime.create();
        try (ActorSystem system = ActorSystem.builder("procTimeout").manualTime(time).jmx(false).build()) {
            ProcTrace trace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    receive(ProcMailMessage.Release.class);
                    trace.add("waiting");
                    try {
                        receive(ProcMailMessage.A.class, Duration.ofMillis(200));
                        trace.add("received");
                    } catch (ReceiveTimeoutException e) {
                        trace.add(e.getMessage());
                    }
                    trace.add("b" + receive(ProcMailMessage.B.class, Duration.ZERO).seq());
                }
            }, "timeouts");
            ProcMail mail = ProcMailProtocol.INSTANCE.proxy(ref);
            mail.b(1);
            mail.release();
            trace.expect("waiting");
            assertTrue(time.awaitIdle(SETTLE), "the process waits in its receive");
            time.advance(Duration.ofMillis(199));
            assertEquals(List.of(), trace.rest(), "the 200 ms receive ended before its timeout");
            time.advance(Duration.ofMillis(1));
            String message = trace.next(String.class);
            assertTrue(message.contains("/user/timeouts"), message);
            assertTrue(message.contains(ProcMailMessage.A.class.getName()), message);
            assertTrue(message.contains("200 ms"), message);
            trace.expect("b1");
            await(system.whenTerminated(ref));
            assertEquals(Duration.ofMillis(200), time.elapsed());
        }
    }

    @Test
    @Timeout(20)
    void filterReceiveAndAwaitTimeOutAtTheirTimeoutsAndZeroLooksOnlyAtTheQueue() throws Exception {
        ManualTime time = ManualTime.create();
        try (ActorSystem system = ActorSystem.builder("procTimeout2").manualTime(time).jmx(false).build()) {
            ProcTrace trace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    trace.add(timed(() -> receive(m -> m instanceof String, Duration.ofMillis(150))));
                    trace.add(timed(() -> await(new CompletableFuture<>(), Duration.ofMillis(150))));
                    trace.add(timed(() -> receive(ProcMailMessage.A.class, Duration.ZERO)));
                    trace.add(assertThrows(IllegalArgumentException.class,
                            () -> receive(ProcMailMessage.A.class, Duration.ofMillis(-1))).getMessage());
                    receive(ProcMailMessage.Release.class);
                    trace.add("a" + receive(ProcMailMessage.A.class, Duration.ZERO).seq());
                }
            }, "timeouts2");
            assertTrue(time.awaitIdle(SETTLE), "the process waits in its receive");
            time.advance(Duration.ofMillis(149));
            assertEquals(List.of(), trace.rest(), "the 150 ms filter receive ended before its timeout");
            time.advance(Duration.ofMillis(1));
            String filter = trace.next(String.class);
            assertTrue(filter.startsWith("timeout ") && filter.contains("/user/timeouts2")
                    && filter.contains("the filter"), filter);
            time.advance(Duration.ofMillis(149));
            assertEquals(List.of(), trace.rest(), "the 150 ms await ended before its timeout");
            time.advance(Duration.ofMillis(1));
            String awaited = trace.next(String.class);
            assertTrue(awaited.startsWith("timeout ") && awaited.contains("/user/timeouts2"), awaited);
            // The clock does not move again: a zero timeout waits for nothing.
            String zero = trace.next(String.class);
            assertTrue(zero.startsWith("timeout "), zero);
            assertTrue(trace.next(String.class).contains("negative"));
            ProcMail mail = ProcMailProtocol.INSTANCE.proxy(ref);
            mail.a(7);
            mail.release();
            trace.expect("a7");
            await(system.whenTerminated(ref));
            assertEquals(Duration.ofMillis(300), time.elapsed());
        }
    }

    @Test
    @Timeout(20)
    void theReceiveFamilyThrowsOffTheProcessThreadAndTheMessageStaysQueued() throws Exception {
        try (ActorSystem system = ActorSystem.create("procConfined")) {
            ProcTrace trace = new ProcTrace();
            AtomicReference<Process> instance = new AtomicReference<>();
            ActorRef<Object> ref = system.spawnProcess(() -> {
                Process process = new Process() {
                    @Override
                    protected void run() throws Exception {
                        // A thread the process starts itself is not the process's thread either.
                        AtomicReference<Throwable> fromHelper = new AtomicReference<>();
                        Thread helper = Thread.ofPlatform().start(() -> {
                            try {
                                receive(ProcMailMessage.A.class, Duration.ZERO);
                            } catch (Throwable e) {
                                fromHelper.set(e);
                            }
                        });
                        helper.join();
                        trace.add(fromHelper.get());
                        receive(ProcMailMessage.Release.class);
                        trace.add("a" + receive(ProcMailMessage.A.class, Duration.ZERO).seq());
                    }
                };
                instance.set(process);
                return process;
            }, "confined");
            IllegalStateException helperFailure = trace.next(IllegalStateException.class);
            assertTrue(helperFailure.getMessage().contains("/user/confined"), helperFailure.getMessage());

            ProcMail mail = ProcMailProtocol.INSTANCE.proxy(ref);
            mail.a(1);
            Process process = instance.get();
            Object request = new ProcMailMessage.Echo("x");
            Executable[] outside = {
                () -> process.receive(ProcMailMessage.A.class),
                () -> process.receive(ProcMailMessage.A.class, Duration.ZERO),
                () -> process.receive(m -> true, Duration.ZERO),
                () -> process.reply(request, "y"),
                () -> process.replyFailure(request, new IllegalStateException("no")),
                () -> process.sleep(Duration.ofMillis(1)),
                () -> process.await(CompletableFuture.completedFuture(1), Duration.ZERO),
            };
            for (Executable call : outside) {
                IllegalStateException e = assertThrows(IllegalStateException.class, call);
                assertTrue(e.getMessage().contains("/user/confined") && e.getMessage().contains("own run()"),
                        e.getMessage());
            }
            mail.release();
            trace.expect("a1");
            await(system.whenTerminated(ref));
        }
    }

    @Test
    @Timeout(10)
    void aProcessMadeOutsideSpawnCannotReceive() {
        Process stray = new Process() {
            @Override
            protected void run() {}
        };
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> stray.receive(ProcMailMessage.A.class, Duration.ZERO));
        assertTrue(e.getMessage().contains("outside spawn"), e.getMessage());
    }

    /** @return whether a zero-timeout receive of anything finds nothing queued */
    private static boolean receiveNothing(Process process) throws InterruptedException {
        try {
            process.receive(m -> true, Duration.ZERO);
            return false;
        } catch (ReceiveTimeoutException e) {
            return true;
        }
    }

    private interface Blocking {
        void run() throws Exception;
    }

    /** @return "timeout MESSAGE" when the call timed out, else "returned" */
    private static String timed(Blocking call) throws Exception {
        try {
            call.run();
            return "returned";
        } catch (ReceiveTimeoutException e) {
            return "timeout " + e.getMessage();
        }
    }

    /** Waits until the virtual thread is parked (in a receive), polling its state. */
    static void awaitParked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TIMED_WAITING) {
            assertTrue(System.nanoTime() < deadline, thread + " did not park within 5 s: " + thread.getState());
            Thread.sleep(1);
        }
    }
}
