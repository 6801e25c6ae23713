package io.spinoff.runtime;

import static io.spinoff.runtime.ProcTrace.await;
import static io.spinoff.runtime.ProcTrace.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.ActorRef;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Asks answered by a process, await, watch, children and timers of a process (SPEC §5). */
class ProcessMessagingTest {

    private static final Duration LONG = Duration.ofSeconds(5);
    /** Real time for untimed work (a process reaching its receive) to settle. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    /** Answers each echo, fails "fail", leaves "ignore" unanswered; a release ends it. */
    private static Process echoServer(ProcTrace trace) {
        return new Process() {
            @Override
            protected void run() throws Exception {
                trace.add(self(ProcMail.class));
                while (true) {
                    Object message = receive(Object.class);
                    if (message instanceof ProcMailMessage.Release) {
                        return;
                    }
                    if (message instanceof ProcMailMessage.Echo echo) {
                        switch (echo.text()) {
                            case "fail" -> replyFailure(echo, new ProcFailure("refused " + echo.text()));
                            case "ignore" -> trace.add("ignored");
                            default -> reply(echo, "echo:" + echo.text());
                        }
                    }
                }
            }
        };
    }

    /** An exception a process fails an ask with. */
    static final class ProcFailure extends RuntimeException {
        ProcFailure(String message) {
            super(message);
        }
    }

    @Test
    @Timeout(20)
    void asksThroughAnyViewAreReceivedAsRecordsAndAnsweredWithReplyOrReplyFailure() throws Exception {
        try (ActorSystem system = ActorSystem.builder("procAsk").askTimeout(Duration.ofSeconds(30)).build()) {
            ProcTrace trace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> echoServer(trace), "echo");
            ProcMail fromSelf = trace.next(ProcMail.class);
            ProcMail fromRef = ProcMailProtocol.INSTANCE.proxy(ref);
            ProcMail fromLookup = system.lookup(ProcMail.class, "/user/echo");
            assertEquals("echo:one", await(fromSelf.echo("one")));
            assertEquals("echo:two", await(fromRef.echo("two")));
            assertEquals("echo:three", await(fromLookup.echo("three")));
            assertEquals("echo:four", await(ref.<String>ask(new ProcMailMessage.Echo("four"))));
            ProcFailure refused = failure(ProcFailure.class, fromRef.echo("fail"));
            assertEquals("refused fail", refused.getMessage());
            // A tell of an unrelated protocol is taken and dropped by this server: asks go on.
            CounterProtocol.INSTANCE.proxy(ref).increment(1);
            assertEquals("echo:five", await(fromRef.echo("five")));
            fromRef.release();
            await(system.whenTerminated(ref));
        }
    }

    @Test
    @Timeout(20)
    void anAskLeftUnansweredFailsWithActorStoppedExceptionWhenTheProcessStops() throws Exception {
        try (ActorSystem system = ActorSystem.builder("procUnanswered").askTimeout(Duration.ofSeconds(30)).build()) {
            ProcTrace trace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> echoServer(trace), "echo");
            trace.next(ProcMail.class);
            ProcMail mail = ProcMailProtocol.INSTANCE.proxy(ref);
            CompletionStage<String> ignored = mail.echo("ignore");
            trace.expect("ignored");
            assertTrue(!ignored.toCompletableFuture().isDone());
            mail.release();
            ActorStoppedException e = failure(ActorStoppedException.class, ignored);
            assertTrue(e.getMessage().contains("/user/echo") && e.getMessage().contains("ignore"), e.getMessage());
            await(system.whenTerminated(ref));
        }
    }

    @Test
    @Timeout(20)
    void replyAnswersEachAskOnceByIdentityAndRejectsTellsAndSecondReplies() throws Exception {
        try (ActorSystem system = ActorSystem.builder("procReplies").askTimeout(Duration.ofSeconds(30)).build()) {
            ProcTrace trace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    ProcMailMessage.A tell = receive(ProcMailMessage.A.class);
                    trace.add(assertThrows(IllegalArgumentException.class, () -> reply(tell, "no")).getMessage());
                    trace.add(assertThrows(IllegalArgumentException.class,
                            () -> replyFailure(tell, new ProcFailure("no"))).getMessage());
                    // Two equal records, asked separately: each is answered by its own identity.
                    ProcMailMessage.Echo first = receive(ProcMailMessage.Echo.class);
                    ProcMailMessage.Echo second = receive(ProcMailMessage.Echo.class);
                    trace.add(first.equals(second) && first != second);
                    reply(second, "to the second");
                    reply(first, "to the first");
                    trace.add(assertThrows(IllegalArgumentException.class, () -> reply(first, "again")).getMessage());
                    trace.add(assertThrows(IllegalArgumentException.class,
                            () -> reply(new ProcMailMessage.Echo("same"), "never asked")).getMessage());
                    // The same object asked twice: each reply answers the oldest ask of it.
                    ProcMailMessage.Echo shared = receive(ProcMailMessage.Echo.class);
                    assertSame(shared, receive(ProcMailMessage.Echo.class));
                    reply(shared, "older");
                    reply(shared, "newer");
                    receive(ProcMailMessage.Release.class);
                }
            }, "replies");
            ProcMail mail = ProcMailProtocol.INSTANCE.proxy(ref);
            mail.a(1);
            String notAnAsk = trace.next(String.class);
            assertTrue(notAnAsk.contains("not an unanswered ask") && notAnAsk.contains("/user/replies"), notAnAsk);
            assertTrue(trace.next(String.class).contains("not an unanswered ask"));
            CompletionStage<String> first = mail.echo("same");
            CompletionStage<String> second = mail.echo("same");
            assertEquals(true, trace.next());
            assertEquals("to the first", await(first));
            assertEquals("to the second", await(second));
            assertTrue(trace.next(String.class).contains("not an unanswered ask"));
            assertTrue(trace.next(String.class).contains("not an unanswered ask"));
            ProcMailMessage.Echo shared = new ProcMailMessage.Echo("shared");
            CompletionStage<String> older = ref.ask(shared);
            CompletionStage<String> newer = ref.ask(shared);
            assertEquals("older", await(older));
            assertEquals("newer", await(newer));
            mail.release();
            await(system.whenTerminated(ref));
        }
    }

    @Test
    @Timeout(30)
    void awaitingAnAskReplyWorksWithTenThousandUnrelatedMessagesQueued() throws Exception {
        try (ActorSystem system = ActorSystem.create("procAwait")) {
            ProcTrace trace = new ProcTrace();
            Counter counter = system.spawn(Counter.class, CounterActor::new, "counter");
            counter.increment(42);
            int queued = 10_000;
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    receive(ProcMailMessage.Release.class);
                    trace.add(await(counter.get(), LONG));
                    trace.add(assertThrows(ProcFailure.class, () -> await(
                            CompletableFuture.failedFuture(new ProcFailure("failed stage")), LONG)).getMessage());
                    trace.add(assertThrows(CompletionException.class, () -> await(
                            CompletableFuture.failedFuture(new IOException("checked")), LONG)).getCause());
                    int inOrder = 0;
                    for (int i = 0; i < queued; i++) {
                        if (receive(ProcMailMessage.A.class, Duration.ZERO).seq() == i) {
                            inOrder++;
                        }
                    }
                    trace.add(inOrder);
                }
            }, "awaiting");
            ProcMail mail = ProcMailProtocol.INSTANCE.proxy(ref);
            for (int i = 0; i < queued; i++) {
                mail.a(i);
            }
            mail.release();
            assertEquals(42, trace.next());
            assertEquals("failed stage", trace.next());
            assertEquals("checked", trace.next(IOException.class).getMessage());
            assertEquals(queued, trace.next());
            await(system.whenTerminated(ref));
        }
    }

    @Test
    @Timeout(20)
    void aWatchedActorsStopArrivesAsATerminatedMessageAndUnwatchStopsIt() throws Exception {
        try (ActorSystem system = ActorSystem.create("procWatch")) {
            ProcTrace trace = new ProcTrace();
            Counter first = system.spawn(Counter.class, CounterActor::new, "first");
            Counter second = system.spawn(Counter.class, CounterActor::new, "second");
            Counter third = system.spawn(Counter.class, CounterActor::new, "third");
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    watch(first);
                    trace.add("watching");
                    trace.add(receive(Terminated.class, LONG));
                    watch(second);
                    unwatch(second);
                    trace.add("unwatched");
                    receive(ProcMailMessage.Release.class);
                    watch(third);
                    trace.add("watching third");
                    trace.add(receive(Terminated.class, LONG));
                }
            }, "watcher");
            trace.expect("watching");
            await(system.stop(first));
            Terminated notice = trace.next(Terminated.class);
            assertEquals("/user/first", notice.address());
            assertEquals(Terminated.Reason.STOPPED, notice.reason());

            trace.expect("unwatched");
            // Stopped while unwatched: its notice, if it came, would be queued before the release.
            await(system.stop(second));
            ProcMailProtocol.INSTANCE.proxy(ref).release();
            trace.expect("watching third");
            await(system.stop(third));
            assertEquals("/user/third", trace.next(Terminated.class).address());
            await(system.whenTerminated(ref));
        }
    }

    @Test
    @Timeout(20)
    void aProcessSpawnsChildActorsAndChildProcessesFromRun() throws Exception {
        try (ActorSystem system = ActorSystem.create("procSpawn")) {
            ProcTrace trace = new ProcTrace();
            ProcTrace subTrace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    Counter child = spawn(Counter.class, CounterActor::new, "counter");
                    child.increment(5);
                    trace.add(await(child.get(), LONG));
                    Counter unnamed = spawn(Counter.class, CounterActor::new);
                    trace.add(await(unnamed.get(), LONG));
                    ActorRef<Object> sub = context().spawnProcess(() -> echoServer(subTrace), "sub");
                    trace.add(sub.address());
                    receive(ProcMailMessage.Release.class);
                }

                @Override
                protected void postStop() {
                    trace.add("parent postStop");
                }
            }, "spawner");
            assertEquals(5, trace.next());
            assertEquals(0, trace.next());
            subTrace.next(ProcMail.class); // the sub-process started
            assertEquals("/user/spawner/sub", trace.next());
            assertEquals(5, await(system.lookup(Counter.class, "/user/spawner/counter").get()));
            assertEquals("echo:child", await(system.lookup(ProcMail.class, "/user/spawner/sub").echo("child")));
            ActorRef<Object> counterRef = system.ref("/user/spawner/counter");
            ActorRef<Object> subRef = system.ref("/user/spawner/sub");
            ProcMailProtocol.INSTANCE.proxy(ref).release();
            trace.expect("parent postStop");
            await(system.whenTerminated(ref));
            await(system.whenTerminated(counterRef));
            await(system.whenTerminated(subRef));
        }
    }

    @Test
    @Timeout(20)
    void timersStartedFromAProcessDeliverIntoItsInbox() throws Exception {
        ManualTime time = ManualTime.create();
        try (ActorSystem system = ActorSystem.builder("procTimers").manualTime(time).jmx(false).build()) {
            ProcTrace trace = new ProcTrace();
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    Timers timers = context().timers();
                    timers.startSingleTimer("once", new ProcTick("once"), Duration.ofMillis(20));
                    trace.add(receive(ProcTick.class, LONG));
                    trace.add(timers.isTimerActive("once"));
                    timers.startTimerAtFixedRate("rate", new ProcMailMessage.A(1), Duration.ofMillis(5),
                            Duration.ofMillis(10));
                    for (int i = 0; i < 3; i++) {
                        trace.add(receive(ProcMailMessage.A.class, LONG));
                    }
                    trace.add(timers.isTimerActive("rate"));
                    timers.cancel("rate");
                    trace.add(timers.isTimerActive("rate"));
                    receive(ProcMailMessage.Release.class);
                }
            }, "ticking");
            assertTrue(time.awaitIdle(SETTLE), "the process waits in its receive");
            time.advance(Duration.ofMillis(19));
            assertEquals(List.of(), trace.rest(), "the 20 ms timer delivered early");
            time.advance(Duration.ofMillis(1));
            assertEquals(new ProcTick("once"), trace.next());
            assertEquals(false, trace.next(), "a single timer is done once delivered");
            // The fixed-rate timer started at 20 ms: it delivers at 25, 35 and 45 ms.
            for (int i = 0; i < 3; i++) {
                time.advance(Duration.ofMillis(i == 0 ? 4 : 9));
                assertEquals(List.of(), trace.rest(), "delivery " + (i + 1) + " came early");
                time.advance(Duration.ofMillis(1));
                assertEquals(new ProcMailMessage.A(1), trace.next());
            }
            trace.expect(true, false);
            assertEquals(Optional.empty(), time.untilNext(), "the cancelled timer is still scheduled");
            ProcMailProtocol.INSTANCE.proxy(ref).release();
            await(system.whenTerminated(ref));
        }
    }
}
