package io.spinoff.runtime;

import static io.spinoff.runtime.CoreTestSupport.await;
import static io.spinoff.runtime.CoreTestSupport.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link Timers}: single and fixed-rate timers, cancellation, stop and restart (SPEC §3). The
 * tests run on a {@link ManualTime} clock, so that "not before its delay" and "never again" are
 * checked exactly, with no real waiting; one test keeps the machine's clock.
 */
class CoreTimersTest {

    private static final Duration LIMIT = Duration.ofSeconds(15);
    /** Real time for an untimed step (a turn) to settle; never reached when the step is right. */
    private static final Duration SETTLE = Duration.ofSeconds(5);

    private final BlockingQueue<CoreTickerActor.Delivery> deliveries = new LinkedBlockingQueue<>();
    private final ManualTime time = ManualTime.create();

    private ActorSystem manualSystem(String name) {
        return ActorSystem.builder(name).manualTime(time).jmx(false).build();
    }

    @Test
    void aSingleTimerDeliversOnceAfterItsDelay() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = manualSystem("coreTimerOnce")) {
                CoreTicker ticker = spawnTicker(system);
                ticker.startOnce("once", 150);
                assertTrue(await(ticker.isActive("once")));

                time.advance(Duration.ofMillis(149));
                assertEquals(List.of(), keys(), "delivered before its 150 ms delay");
                time.advance(Duration.ofMillis(1));
                assertEquals(List.of("once"), keys(), "the single timer delivered at its delay");
                time.advance(Duration.ofMinutes(10));
                assertEquals(List.of(), keys(), "a single timer delivers once");
                assertFalse(await(ticker.isActive("once")), "a single timer is done once delivered");
                assertEquals(Optional.empty(), time.untilNext(), "nothing left on the clock");
            }
        });
    }

    @Test
    void aSingleTimerOnTheMachinesClockDeliversAfterItsDelay() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreTimerOnceReal")) {
                CoreTicker ticker = spawnTicker(system);
                long start = System.nanoTime();
                ticker.startOnce("once", 50);
                CoreTickerActor.Delivery delivery = deliveries.poll(5, TimeUnit.SECONDS);
                assertNotNull(delivery, "the single timer delivered");
                assertEquals("once", delivery.key());
                long after = TimeUnit.NANOSECONDS.toMillis(delivery.nanoTime() - start);
                assertTrue(after >= 50, "delivered after " + after + " ms, before its 50 ms delay");
                assertFalse(await(ticker.isActive("once")), "a single timer is done once delivered");
            }
        });
    }

    @Test
    void aFixedRateTimerDeliversRepeatedly() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = manualSystem("coreTimerRate")) {
                CoreTicker ticker = spawnTicker(system);
                ticker.startAtFixedRate("rate", 30, 30);
                assertTrue(await(ticker.isActive("rate")));
                time.advance(Duration.ofMillis(29));
                assertEquals(List.of(), keys(), "delivered before its initial delay");
                for (int i = 1; i <= 5; i++) {
                    time.advance(Duration.ofMillis(1));
                    assertEquals(List.of("rate"), keys(), "delivery " + i + " at " + 30 * i + " ms");
                    time.advance(Duration.ofMillis(29));
                    assertEquals(List.of(), keys(), "a delivery between " + 30 * i + " and " + (30 * i + 29) + " ms");
                }
                time.advance(Duration.ofMillis(1 + 30 * 10));
                assertEquals(Collections.nCopies(11, "rate"), keys(), "one delivery per interval");
                assertTrue(await(ticker.isActive("rate")));
            }
        });
    }

    @Test
    void startingATimerWithTheKeyOfAnActiveOneReplacesIt() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = manualSystem("coreTimerReplace")) {
                CoreTicker ticker = spawnTicker(system);
                ticker.startOnce("key", 400);
                ticker.startOnce("key", 50);
                assertTrue(await(ticker.isActive("key")));
                time.advance(Duration.ofMillis(49));
                assertEquals(List.of(), keys(), "delivered before 50 ms");
                time.advance(Duration.ofMillis(1));
                assertEquals(List.of("key"), keys(), "the replacing timer delivered at 50 ms");
                time.advance(Duration.ofSeconds(1));
                assertEquals(List.of(), keys(), "the replaced timer delivered too");
                assertEquals(Optional.empty(), time.untilNext(), "the replaced timer is still scheduled");
            }
        });
    }

    @Test
    void aCancelledTimerDeliversNoMore() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = manualSystem("coreTimerCancel")) {
                CoreTicker ticker = spawnTicker(system);
                ticker.startAtFixedRate("rate", 0, 10);
                assertTrue(await(ticker.isActive("rate")));
                time.advance(Duration.ofMillis(20));
                assertEquals(List.of("rate", "rate", "rate"), keys(), "deliveries at 0, 10 and 20 ms");
                ticker.cancel("rate");
                // The ask is handled after the cancel: from its reply on, nothing may be delivered.
                assertFalse(await(ticker.isActive("rate")));
                time.advance(Duration.ofMinutes(1));
                assertEquals(List.of(), keys(), "a delivery after cancel");

                // A single timer cancelled before it fires never delivers.
                ticker.startOnce("once", 100);
                ticker.cancel("once");
                assertFalse(await(ticker.isActive("once")));
                time.advance(Duration.ofMinutes(1));
                assertEquals(List.of(), keys(), "a delivery of a cancelled single timer");
                assertEquals(Optional.empty(), time.untilNext(), "a cancelled timer is still scheduled");
            }
        });
    }

    @Test
    void timersAreCancelledWhenTheActorStopsWithoutDeadLetters() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = manualSystem("coreTimerStop")) {
                List<DeadLetter> letters = new CopyOnWriteArrayList<>();
                system.addDeadLetterListener(letters::add);
                CoreTicker ticker = spawnTicker(system);
                ticker.startAtFixedRate("rate", 0, 5);
                ticker.startOnce("once", 100);
                assertTrue(await(ticker.isActive("once")));
                time.advance(Duration.ofMillis(10));
                assertEquals(List.of("rate", "rate", "rate"), keys(), "deliveries at 0, 5 and 10 ms");
                long deadLetters = system.metrics().deadLetters();

                await(system.stop(ticker));
                time.advance(Duration.ofMinutes(1));
                assertEquals(List.of(), keys(), "a delivery after stop");
                assertEquals(deadLetters, system.metrics().deadLetters(), "dead letters after stop: " + letters);
                assertEquals(List.of(), letters);
                assertEquals(Optional.empty(), time.untilNext(), "a stopped actor's timer is still scheduled");
            }
        });
    }

    @Test
    void timersAreCancelledOnRestart() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = manualSystem("coreTimerRestart")) {
                AtomicInteger instances = new AtomicInteger();
                CoreTicker ticker = system.spawn(CoreTicker.class, () -> {
                    instances.incrementAndGet();
                    return new CoreTickerActor(deliveries);
                }, "ticker");
                ticker.startAtFixedRate("rate", 0, 10);
                assertTrue(await(ticker.isActive("rate")));
                time.advance(Duration.ofMillis(20));
                assertEquals(List.of("rate", "rate", "rate"), keys(), "deliveries at 0, 10 and 20 ms");

                ticker.crash();
                // Handled by the new instance, after the restart.
                assertFalse(await(ticker.isActive("rate")));
                assertEquals(2, instances.get(), "the actor restarted");
                time.advance(Duration.ofMinutes(1));
                assertEquals(List.of(), keys(), "a delivery after restart");

                // The new instance can start timers of its own.
                ticker.startOnce("again", 20);
                assertTrue(await(ticker.isActive("again")));
                time.advance(Duration.ofMillis(19));
                assertEquals(List.of(), keys());
                time.advance(Duration.ofMillis(1));
                assertEquals(List.of("again"), keys());
            }
        });
    }

    @Test
    void aTimerMessageNotOfTheActorsProtocolIsRefused() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = manualSystem("coreTimerForeign")) {
                CoreTicker ticker = spawnTicker(system);
                IllegalArgumentException notAMessage =
                        failure(IllegalArgumentException.class, ticker.startForeignTimer(false), 5_000);
                assertTrue(notAMessage.getMessage().contains("not a message"), notAMessage.getMessage());
                failure(IllegalArgumentException.class, ticker.startForeignTimer(true), 5_000);
                assertFalse(await(ticker.isActive("foreign")));
                assertEquals(Optional.empty(), time.untilNext(), "a refused timer was scheduled");
                time.advance(Duration.ofMinutes(1));
                assertEquals(List.of(), keys());
            }
        });
    }

    private CoreTicker spawnTicker(ActorSystem system) {
        return system.spawn(CoreTicker.class, () -> new CoreTickerActor(deliveries), "ticker");
    }

    /**
     * @return the keys delivered since the last call, in order; under manual time, what a firing
     *     caused has been handled by the time {@code advance} returns, so nothing is waited for
     */
    private List<String> keys() {
        assertTrue(time.awaitIdle(SETTLE), "the system did not go idle");
        List<CoreTickerActor.Delivery> taken = new ArrayList<>();
        deliveries.drainTo(taken);
        List<String> keys = new ArrayList<>();
        taken.forEach(delivery -> keys.add(delivery.key()));
        return keys;
    }
}
