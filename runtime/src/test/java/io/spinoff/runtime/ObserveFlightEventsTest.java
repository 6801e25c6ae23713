package io.spinoff.runtime;

import static io.spinoff.runtime.CoreTestSupport.await;
import static io.spinoff.runtime.CoreTestSupport.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spinoff.api.ActorRef;
import io.spinoff.api.AskTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/** Spinoff's Flight Recorder events (SPEC §8), read back through a {@link RecordingStream}. */
class ObserveFlightEventsTest {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    /** A stream of the Spinoff events of one system, collected as they are flushed. */
    private static final class Recorded implements AutoCloseable {
        final RecordingStream stream = new RecordingStream();
        final List<RecordedEvent> events = new CopyOnWriteArrayList<>();

        Recorded(String... names) {
            for (String name : names) {
                stream.enable(name);
            }
            stream.onEvent(events::add);
            stream.startAsync();
        }

        /** @return the first event of that name matching the filter, waiting up to 10 s for it */
        RecordedEvent await(String name, Predicate<RecordedEvent> filter) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() - deadline < 0) {
                for (RecordedEvent event : events) {
                    if (event.getEventType().getName().equals(name) && filter.test(event)) {
                        return event;
                    }
                }
                Thread.sleep(20);
            }
            return fail("no " + name + " event matched within 10 s; recorded: " + events.stream()
                    .map(e -> e.getEventType().getName()).toList());
        }

        @Override
        public void close() {
            stream.close();
        }
    }

    private static Predicate<RecordedEvent> system(String name) {
        return event -> name.equals(event.getString("system"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyEventTypeIsInTheSpinoffCategoryAndNamed() {
        for (Class<?> type : io.spinoff.runtime.internal.observe.Events.class.getClasses()) {
            FlightRecorder.register((Class<? extends jdk.jfr.Event>) type);
        }
        List<String> names = FlightRecorder.getFlightRecorder().getEventTypes().stream()
                .filter(type -> type.getCategoryNames().contains("Spinoff")).map(EventType::getName).toList();
        for (String expected : List.of("spinoff.ActorStarted", "spinoff.ActorStopped", "spinoff.ActorFailed",
                "spinoff.ActorRestarted", "spinoff.SupervisionDecision", "spinoff.DeadLetter", "spinoff.MailboxOverflow",
                "spinoff.AskTimedOut", "spinoff.NodeUp", "spinoff.NodeDown", "spinoff.FrameDropped",
                "spinoff.HandshakeFailed", "spinoff.ReceiveBlocked", "spinoff.SystemStatistics", "spinoff.LongTurn")) {
            assertTrue(names.contains(expected), expected + " is registered in category Spinoff: " + names);
        }
    }

    @Test
    void onlyTurnsLongerThanTheThresholdAreRecorded() {
        assertTimeoutPreemptively(LIMIT, () -> {
            List<RecordedEvent> turns = new CopyOnWriteArrayList<>();
            try (RecordingStream stream = new RecordingStream();
                    ActorSystem system = ActorSystem.builder("longTurn").jmx(false).build()) {
                stream.enable("spinoff.LongTurn").withThreshold(Duration.ofMillis(10));
                stream.onEvent("spinoff.LongTurn", turns::add);
                stream.startAsync();
                java.util.concurrent.LinkedBlockingQueue<CoreTickerActor.Delivery> slowQueue =
                        new java.util.concurrent.LinkedBlockingQueue<>() {
                            @Override
                            public boolean add(CoreTickerActor.Delivery delivery) {
                                try {
                                    Thread.sleep(40); // a slow handler
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                return super.add(delivery);
                            }
                        };
                CoreTicker slow = system.spawn(CoreTicker.class, () -> new CoreTickerActor(slowQueue), "slow");
                CoreEcho fast = system.spawn(CoreEcho.class, CoreEchoActor::new, "fast");
                for (int i = 0; i < 100; i++) {
                    fast.add(1);
                }
                assertEquals(100, await(fast.total()));
                // One turn in 16 per carrier is timed: a slow handler is caught within a few of its
                // turns. Each tick waits for the previous one, so that each has a turn of its own.
                for (int i = 0; i < 3 * io.spinoff.runtime.internal.dispatch.Dispatcher.TIMED_TURN_INTERVAL
                        && turns.stream().noneMatch(e -> "/user/slow".equals(e.getString("path"))); i++) {
                    slow.tick("tick " + i);
                    assertTrue(slowQueue.poll(10, TimeUnit.SECONDS) != null);
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (turns.stream().noneMatch(e -> "/user/slow".equals(e.getString("path")))
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                RecordedEvent turn = turns.stream().filter(e -> "/user/slow".equals(e.getString("path"))).findFirst()
                        .orElseGet(() -> fail("no LongTurn event for /user/slow; recorded: " + turns));
                assertEquals("longTurn", turn.getString("system"));
                assertEquals(CoreTickerActor.class.getName(), turn.getString("actorClass"));
                // The next tick can reach the mailbox while the turn that handled the previous one
                // is still finishing (the queue hands the delivery over before the turn ends), so a
                // turn holds one message or more, and takes 40 ms for each.
                int messages = turn.getInt("messages");
                assertTrue(messages >= 1, "messages " + messages);
                assertTrue(turn.getDuration().toMillis() >= 40L * messages,
                        "duration " + turn.getDuration() + " for " + messages + " messages");
                // A turn is recorded only when it took the threshold or more. (A fast actor's turn
                // may too, when the machine takes its carrier away for that long: so the test
                // checks the durations, not that the fast actor is absent.)
                assertTrue(turns.stream().allMatch(e -> e.getDuration().toMillis() >= 10),
                        "only turns of 10 ms or more are recorded: " + turns);
            }
        });
    }

    @Test
    void messagesHandledAreCountedAndReportedByTheStatistics() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.builder("handledCount").jmx(false).build()) {
                long before = system.metrics().messagesHandled();
                CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
                for (int i = 0; i < 1_000; i++) {
                    echo.add(1);
                }
                assertEquals(1_000, await(echo.total()));
                // The ask's own message is counted at the end of its turn, which may still run.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (system.metrics().messagesHandled() - before < 1_001 && System.nanoTime() < deadline) {
                    Thread.sleep(5);
                }
                assertEquals(1_001, system.metrics().messagesHandled() - before);
                assertEquals(system.metrics().messagesHandled(), system.mxBean().getMessagesHandled());
            }
        });
    }

    @Test
    void lifecycleFailureSupervisionAndRestartAreRecordedWithTheirFields() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Recorded recorded = new Recorded("spinoff.ActorStarted", "spinoff.ActorStopped", "spinoff.ActorFailed",
                    "spinoff.SupervisionDecision", "spinoff.ActorRestarted");
                    ActorSystem system = ActorSystem.create("observeLifecycle")) {
                CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
                await(echo.echo("started"));
                echo.crash("on purpose");
                assertEquals("echo:after", await(echo.echo("after")));
                await(system.stop(echo));

                RecordedEvent started = recorded.await("spinoff.ActorStarted", system("observeLifecycle"));
                assertEquals("/user/echo", started.getString("path"));
                assertEquals(CoreEchoActor.class.getName(), started.getString("actorClass"));

                RecordedEvent failed = recorded.await("spinoff.ActorFailed", system("observeLifecycle"));
                assertEquals("/user/echo", failed.getString("path"));
                assertEquals(CoreEchoActor.class.getName(), failed.getString("actorClass"));
                assertEquals(CoreFailure.class.getName(), failed.getString("exceptionClass"));
                assertEquals("on purpose", failed.getString("message"));
                assertEquals(0, failed.getLong("incarnation"));

                RecordedEvent decided = recorded.await("spinoff.SupervisionDecision", system("observeLifecycle"));
                assertEquals("/user", decided.getString("supervisor"));
                assertEquals("/user/echo", decided.getString("child"));
                assertEquals("RESTART", decided.getString("directive"));
                assertEquals("ONE_FOR_ONE", decided.getString("strategy"));
                assertEquals(1, decided.getInt("affected"));
                assertTrue(decided.getString("cause").contains("on purpose"), decided.getString("cause"));

                RecordedEvent restarted = recorded.await("spinoff.ActorRestarted", system("observeLifecycle"));
                assertEquals("/user/echo", restarted.getString("path"));
                assertEquals(1, restarted.getLong("incarnation"));
                assertTrue(restarted.getString("cause").contains("on purpose"), restarted.getString("cause"));

                RecordedEvent stopped = recorded.await("spinoff.ActorStopped", system("observeLifecycle"));
                assertEquals("/user/echo", stopped.getString("path"));
                assertEquals("STOPPED", stopped.getString("reason"));
                assertEquals("", stopped.getString("cause"));
            }
        });
    }

    @Test
    void deadLettersAndOverflowsRecordTheMessageTypeNeverItsContents() {
        assertTimeoutPreemptively(LIMIT, () -> {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (Recorded recorded = new Recorded("spinoff.DeadLetter", "spinoff.MailboxOverflow");
                    ActorSystem system = ActorSystem.create("observeOverflow")) {
                try {
                    CoreGate gate = system.spawn(CoreGate.class, () -> new CoreGateActor(entered, release), "gate",
                            SpawnOptions.boundedMailbox(1));
                    CompletionStage<Void> held = gate.hold();
                    assertTrue(entered.await(5, TimeUnit.SECONDS));
                    gate.ping();
                    gate.ping();
                    assertEquals(1, system.metrics().mailboxOverflows());

                    RecordedEvent overflow = recorded.await("spinoff.MailboxOverflow", system("observeOverflow"));
                    assertEquals("/user/gate", overflow.getString("target"));
                    assertEquals(CoreGateMessage.Ping.class.getName(), overflow.getString("messageType"));
                    assertEquals(1, overflow.getInt("capacity"));

                    RecordedEvent letter = recorded.await("spinoff.DeadLetter", system("observeOverflow"));
                    assertEquals("/user/gate", letter.getString("target"));
                    assertEquals(CoreGateMessage.Ping.class.getName(), letter.getString("messageType"));
                    assertTrue(letter.getString("reason").startsWith("mailbox full"), letter.getString("reason"));
                    release.countDown();
                    await(held);
                } finally {
                    release.countDown();
                }
            }
        });
    }

    @Test
    void anAskTimeoutIsRecordedWithTargetMessageTypeAndTimeout() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Recorded recorded = new Recorded("spinoff.AskTimedOut");
                    ActorSystem system = ActorSystem.create("observeAsk")) {
                CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "slow");
                failure(AskTimeoutException.class, echo.neverWithin700Millis(), 3_000);

                RecordedEvent timedOut = recorded.await("spinoff.AskTimedOut",
                        event -> "/user/slow".equals(event.getString("target")));
                assertEquals(CoreEchoMessage.NeverWithin700Millis.class.getName(), timedOut.getString("messageType"));
                assertEquals(Duration.ofMillis(700), timedOut.getDuration("timeout"));
            }
        });
    }

    /** Waits 300 ms for a String that never comes, then for one that comes. */
    public static final class Waiter extends Process {
        static final CountDownLatch WAITED = new CountDownLatch(1);

        @Override
        protected void run() throws InterruptedException {
            try {
                receive(String.class, Duration.ofMillis(300));
            } catch (ReceiveTimeoutException expected) {
                WAITED.countDown();
            }
            receive(String.class, Duration.ofSeconds(10));
        }
    }

    @Test
    void aReceiveBlockedPastTheThresholdIsRecordedWithItsDurationAndOutcome() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (Recorded recorded = new Recorded();
                    ActorSystem system = ActorSystem.create("observeReceive")) {
                recorded.stream.enable("spinoff.ReceiveBlocked").withThreshold(Duration.ofMillis(200));
                ActorRef<Object> waiter = system.spawnProcess(Waiter::new, "waiter");
                assertTrue(Waiter.WAITED.await(5, TimeUnit.SECONDS));
                Thread.sleep(250);
                waiter.tell("here");

                RecordedEvent timedOut = recorded.await("spinoff.ReceiveBlocked",
                        system("observeReceive").and(event -> !event.getBoolean("received")));
                assertEquals("/user/waiter", timedOut.getString("path"));
                assertEquals(Duration.ofMillis(300), timedOut.getDuration("timeout"));
                assertTrue(timedOut.getDuration().toMillis() >= 290, "lasted " + timedOut.getDuration());

                RecordedEvent came = recorded.await("spinoff.ReceiveBlocked",
                        system("observeReceive").and(event -> event.getBoolean("received")));
                assertEquals(Duration.ofSeconds(10), came.getDuration("timeout"));
                assertTrue(came.getDuration().toMillis() >= 200, "lasted " + came.getDuration());
            }
        });
    }

    @Test
    void theStatisticsEventReportsTheCountersAndTheDeepestMailboxes() {
        assertTimeoutPreemptively(LIMIT, () -> {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (Recorded recorded = new Recorded();
                    ActorSystem system = ActorSystem.create("observeStatistics")) {
                recorded.stream.enable("spinoff.SystemStatistics").withPeriod(Duration.ofMillis(100));
                try {
                    CoreGate gate = system.spawn(CoreGate.class, () -> new CoreGateActor(entered, release), "gate");
                    system.spawn(CoreEcho.class, CoreEchoActor::new, "idle");
                    CompletionStage<Void> held = gate.hold();
                    assertTrue(entered.await(5, TimeUnit.SECONDS));
                    for (int i = 0; i < 25; i++) {
                        gate.ping();
                    }
                    system.ref("/user/nobody").tell("lost");

                    RecordedEvent statistics = recorded.await("spinoff.SystemStatistics",
                            system("observeStatistics").and(event -> event.getLong("mailboxDepth") == 25));
                    assertEquals(2, statistics.getLong("liveActors"));
                    assertEquals(1, statistics.getLong("deadLetters"));
                    assertEquals(0, statistics.getLong("restarts"));
                    assertEquals("/user/gate=25", statistics.getString("deepestMailboxes"));
                    assertEquals(1, statistics.getLong("pendingAsks"), "the hold() ask waits for its reply");
                    assertTrue(statistics.getInt("carriers") >= 1, "the system's carrier threads");
                    assertTrue(statistics.getInt("busyCarriers") >= 1, "the gate's handler holds a carrier");
                    assertTrue(statistics.getInt("busyCarriers") <= statistics.getInt("carriers"));
                    assertEquals("", statistics.getString("peerQueues"), "not a node");
                    release.countDown();
                    await(held);
                } finally {
                    release.countDown();
                }
            }
        });
    }
}
