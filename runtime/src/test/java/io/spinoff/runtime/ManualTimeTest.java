package io.spinoff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.ActorRef;
import io.spinoff.api.AskTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Systems on a manual clock: nothing timed happens until the test advances the time, and what is
 * due has happened (and been handled) when {@code advance} returns. No test here sleeps.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ManualTimeTest {

    private static ActorSystem system(ManualTime time) {
        return ActorSystem.builder("manual").manualTime(time).jmx(false).build();
    }

    @Test
    void aTimerFiresOnlyWhenTheTimeReachesIt() {
        ManualTime time = ManualTime.create();
        BlockingQueue<CoreTickerActor.Delivery> deliveries = new LinkedBlockingQueue<>();
        try (ActorSystem system = system(time)) {
            CoreTicker ticker = system.spawn(CoreTicker.class, () -> new CoreTickerActor(deliveries), "ticker");
            ticker.startOnce("once", 30_000);
            assertTrue(time.awaitIdle(Duration.ofSeconds(5)));
            assertEquals(Optional.of(Duration.ofSeconds(30)), time.untilNext());

            time.advance(Duration.ofSeconds(29));
            assertTrue(deliveries.isEmpty(), "nothing fires a second early");
            time.advance(Duration.ofSeconds(1));
            assertEquals(1, deliveries.size(), "fired and handled by the time advance returned");
            assertEquals("once", deliveries.poll().key());
            assertEquals(Duration.ofSeconds(30), time.elapsed());
            assertEquals(Optional.empty(), time.untilNext());
        }
    }

    @Test
    void aFixedRateTimerFiresOncePerIntervalInOrderWithOthers() {
        ManualTime time = ManualTime.create();
        BlockingQueue<CoreTickerActor.Delivery> deliveries = new LinkedBlockingQueue<>();
        try (ActorSystem system = system(time)) {
            CoreTicker ticker = system.spawn(CoreTicker.class, () -> new CoreTickerActor(deliveries), "ticker");
            ticker.startAtFixedRate("second", 1_000, 1_000);
            ticker.startOnce("half", 2_500);
            assertTrue(time.awaitIdle(Duration.ofSeconds(5)));
            time.advance(Duration.ofSeconds(10));
            List<String> keys = new ArrayList<>();
            deliveries.forEach(d -> keys.add(d.key()));
            assertEquals(List.of("second", "second", "half", "second", "second", "second", "second", "second",
                    "second", "second", "second"), keys);

            ticker.cancel("second");
            assertTrue(time.awaitIdle(Duration.ofSeconds(5)));
            deliveries.clear();
            time.advance(Duration.ofMinutes(5));
            assertTrue(deliveries.isEmpty(), "a cancelled timer fires no more");
        }
    }

    @Test
    void anAskTimesOutWhenTheTimeReachesItsTimeout() {
        ManualTime time = ManualTime.create();
        try (ActorSystem system = system(time)) {
            CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
            CompletableFuture<String> reply = echo.neverWithinOneSecond().toCompletableFuture();
            time.advance(Duration.ofMillis(999));
            assertFalse(reply.isDone(), "not a millisecond early");
            time.advance(Duration.ofMillis(1));
            assertTrue(reply.isCompletedExceptionally());
            assertInstanceOf(AskTimeoutException.class, assertThrows(Exception.class, reply::join).getCause());
            assertEquals("echo:x", echo.echo("x").toCompletableFuture().join(), "a real reply needs no time at all");
        }
    }

    /** Records what a process's timed operations gave, in order. */
    public static final class TimedProcess extends Process {
        final BlockingQueue<String> log;

        TimedProcess(BlockingQueue<String> log) {
            this.log = log;
        }

        @Override
        protected void run() throws Exception {
            try {
                receive(String.class, Duration.ofSeconds(10));
            } catch (ReceiveTimeoutException e) {
                log.add("receive timed out");
            }
            sleep(Duration.ofMinutes(1));
            log.add("slept");
            try {
                await(new CompletableFuture<String>(), Duration.ofSeconds(5));
            } catch (ReceiveTimeoutException e) {
                log.add("await timed out");
            }
            log.add("got " + receive(String.class, Duration.ofHours(1)));
        }
    }

    @Test
    void aProcessTimesItsReceiveSleepAndAwaitOnTheClock() throws Exception {
        ManualTime time = ManualTime.create();
        BlockingQueue<String> log = new LinkedBlockingQueue<>();
        try (ActorSystem system = system(time)) {
            ActorRef<Object> process = system.spawnProcess(() -> new TimedProcess(log), "timed");
            assertTrue(time.awaitIdle(Duration.ofSeconds(5)), "the process waits in its receive");
            time.advance(Duration.ofSeconds(9));
            assertTrue(log.isEmpty());
            time.advance(Duration.ofSeconds(1));
            assertEquals("receive timed out", log.poll());
            assertNull(log.poll(), "asleep");
            time.advance(Duration.ofSeconds(59));
            assertNull(log.poll());
            time.advance(Duration.ofSeconds(1));
            assertEquals("slept", log.poll());
            time.advance(Duration.ofSeconds(5));
            assertEquals("await timed out", log.poll());
            process.tell("mail");
            assertEquals("got mail", log.poll(5, TimeUnit.SECONDS), "a message ends a timed receive at once");
        }
    }

    @Test
    void backoffDelaysARestartUntilTheTimeReachesIt() {
        ManualTime time = ManualTime.create();
        // The ask below waits through the backoff: its timeout is longer (timed on the clock too).
        try (ActorSystem system = ActorSystem.builder("manual").manualTime(time).jmx(false).askTimeout(Duration.ofMinutes(1))
                .guardianStrategy(SupervisorStrategy.oneForOne().withMaxRestarts(3, Duration.ofMinutes(1))
                        .withBackoff(Duration.ofSeconds(10), Duration.ofSeconds(10), 0))
                .build()) {
            CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
            echo.add(5);
            echo.crash("first");
            assertTrue(time.awaitIdle(Duration.ofSeconds(5)));
            CompletionStage<Integer> total = echo.total();
            time.advance(Duration.ofSeconds(9));
            assertFalse(total.toCompletableFuture().isDone(), "the actor is still waiting for its restart");
            time.advance(Duration.ofSeconds(1));
            assertEquals(0, total.toCompletableFuture().join(), "restarted after 10 s of the clock, state reset");
        }
    }

    @Test
    void theRestartWindowIsMeasuredOnTheClock() {
        ManualTime time = ManualTime.create();
        try (ActorSystem system = ActorSystem.builder("manual").manualTime(time).jmx(false)
                .guardianStrategy(SupervisorStrategy.oneForOne().withMaxRestarts(2, Duration.ofMinutes(1)))
                .build()) {
            CoreEcho echo = system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
            CompletableFuture<Terminated> end = system.whenTerminated(echo).toCompletableFuture();
            for (int i = 0; i < 6; i++) {
                echo.crash("failure " + i);
                assertTrue(time.awaitIdle(Duration.ofSeconds(5)));
                // Two failures a minute are within the limit; the clock makes the minute pass.
                time.advance(Duration.ofSeconds(31));
            }
            assertFalse(end.isDone(), "six failures 31 s apart never make three within a minute");
            echo.crash("again");
            echo.crash("and again");
            echo.crash("and once more");
            assertEquals(Terminated.Reason.FAILED, end.orTimeout(5, TimeUnit.SECONDS).join().reason());
        }
    }

    @Test
    void aMessageToASleepingProcessLeavesTheSystemIdle() {
        ManualTime time = ManualTime.create();
        BlockingQueue<Object> woke = new LinkedBlockingQueue<>();
        try (ActorSystem system = system(time)) {
            ActorRef<Object> sleeper = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    sleep(Duration.ofMinutes(1));
                    woke.add(receive(Object.class));
                }
            }, "sleeper");
            assertTrue(time.awaitIdle(Duration.ofSeconds(5)));
            sleeper.tell("while asleep");
            // The arrival must not count the sleeping process as running: were it counted, the
            // system would never look idle until the minute passed.
            assertTrue(time.awaitIdle(Duration.ofSeconds(2)), "a message to a sleeping process made the system look busy");
            assertTrue(woke.isEmpty());
            time.advance(Duration.ofMinutes(1));
            assertEquals("while asleep", woke.poll());
        }
    }

    @Test
    void timeCannotGoBack() {
        ManualTime time = ManualTime.create();
        IllegalArgumentException back = assertThrows(IllegalArgumentException.class,
                () -> time.advance(Duration.ofSeconds(-1)));
        assertTrue(back.getMessage().contains("Time cannot go back"), back.getMessage());
    }
}
