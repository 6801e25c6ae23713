package io.spinoff.runtime;

import static io.spinoff.runtime.ProcTrace.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.ActorRef;
import io.spinoff.runtime.internal.process.ProcessRunner;
import io.spinoff.runtime.internal.process.ProcessRunnerAccess;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a process holds on to: a bounded mailbox bounds its inbox, asks it never answers leave it
 * when their askers stop waiting, and a receive with a mark looks only at what came after it.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcessBoundsTest {

    private static ProcessRunner runnerOf(ActorRef<Object> ref) {
        return ((io.spinoff.runtime.internal.cell.LocalActorRef) ref).cell().processRunner();
    }

    private static void eventually(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "not within 10 s");
            Thread.sleep(5);
        }
    }

    @Test
    void aBoundedMailboxBoundsAProcessThatDoesNotReceive() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger received = new AtomicInteger();
        try (ActorSystem system = ActorSystem.create("process-bounded")) {
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    release.await();
                    while (true) {
                        receive(ProcMailMessage.A.class);
                        received.incrementAndGet();
                    }
                }
            }, "slow", SpawnOptions.boundedMailbox(10));
            ProcMail mail = system.lookup(ProcMail.class, ref.address());
            for (int i = 0; i < 10; i++) {
                mail.a(i);
            }
            ProcessRunner runner = runnerOf(ref);
            eventually(() -> runner.queued() == 10); // moved from the mailbox into the inbox
            for (int i = 10; i < 100; i++) {
                mail.a(i);
            }
            // The tells meet the capacity check on this thread; what overflows is refused at once.
            assertEquals(90, system.metrics().mailboxOverflows(), "10 queued in the inbox, 90 refused");
            assertEquals(10, runner.queued());
            release.countDown();
            eventually(() -> received.get() == 10);
            for (int i = 0; i < 10; i++) {
                mail.a(i); // room again once the process has taken them
            }
            eventually(() -> received.get() == 20);
            assertEquals(90, system.metrics().mailboxOverflows());
        }
    }

    @Test
    void asksAProcessNeverAnswersAreForgottenWhenTheirAskersStopWaiting() throws Exception {
        CountDownLatch handled = new CountDownLatch(200);
        List<Object> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (ActorSystem system = ActorSystem.builder("process-unanswered").askTimeout(Duration.ofMillis(100)).build()) {
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    while (true) {
                        Object message = receive(Object.class);
                        if (message instanceof ProcMailMessage.Release) {
                            // Late replies to asks whose askers gave up go to dead letters, quietly.
                            for (Object request : requests) {
                                reply(request, "too late");
                            }
                            return;
                        }
                        requests.add(message);
                        handled.countDown();
                    }
                }
            }, "silent");
            ProcMail mail = system.lookup(ProcMail.class, ref.address());
            List<CompletableFuture<String>> asks = new java.util.ArrayList<>();
            for (int i = 0; i < 200; i++) {
                asks.add(mail.echo("unanswered " + i).toCompletableFuture());
            }
            assertTrue(handled.await(10, TimeUnit.SECONDS));
            for (CompletableFuture<String> ask : asks) {
                CompletionException timedOut = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, ask::join);
                assertInstanceOf(io.spinoff.api.AskTimeoutException.class, timedOut.getCause());
            }
            ProcessRunner runner = runnerOf(ref);
            eventually(() -> ProcessRunnerAccess.pendingAsks(runner) == 0);
            long deadBefore = system.metrics().deadLetters();
            mail.release();
            await(system.whenTerminated(ref));
            assertEquals(Terminated.Reason.STOPPED, await(system.whenTerminated(ref)).reason(), "late replies are no error");
            assertEquals(deadBefore + 200, system.metrics().deadLetters(), "each late reply is a dead letter");
        }
    }

    @Test
    void aReceiveWithAMarkLooksOnlyAtWhatArrivedAfterTheMark() throws Exception {
        AtomicLong looked = new AtomicLong();
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        try (ActorSystem system = ActorSystem.create("process-mark")) {
            CountDownLatch backlogQueued = new CountDownLatch(1);
            ActorRef<Object> ref = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    ProcMail me = self(ProcMail.class);
                    backlogQueued.await();
                    ReceiveMark mark = mark();
                    me.b(2); // the request's answer, after the mark
                    Object answer = receive(message -> {
                        looked.incrementAndGet();
                        return message instanceof ProcMailMessage.B;
                    }, Duration.ofSeconds(5), mark);
                    outcome.complete(answer);
                    // Without a mark the earlier B, queued before the mark, comes first.
                    outcome.obtrudeValue(List.of(answer, receive(ProcMailMessage.B.class, Duration.ofSeconds(5))));
                }
            }, "marker");
            ProcMail mail = system.lookup(ProcMail.class, ref.address());
            mail.b(1); // matches the filter, but was queued before the mark
            for (int i = 0; i < 10_000; i++) {
                mail.a(i);
            }
            ProcessRunner runner = runnerOf(ref);
            eventually(() -> runner.queued() == 10_001); // every message in the inbox, before the mark
            backlogQueued.countDown();
            await(system.whenTerminated(ref));
        }
        assertEquals(List.of(new ProcMailMessage.B(2), new ProcMailMessage.B(1)), outcome.get());
        assertEquals(1, looked.get(), "the marked receive looked only at the one message after the mark");
    }
}
