package io.spinoff.runtime;

import static io.spinoff.runtime.CoreTestSupport.await;
import static io.spinoff.runtime.CoreTestSupport.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link Timers}: single and fixed-rate timers, cancellation, stop and restart (SPEC §3). */
class CoreTimersTest {

    private static final Duration LIMIT = Duration.ofSeconds(15);
    /** How long the tests watch for a delivery that must not come. */
    private static final long QUIET_MILLIS = 250;

    private final BlockingQueue<CoreTickerActor.Delivery> deliveries = new LinkedBlockingQueue<>();

    @Test
    void aSingleTimerDeliversOnceAfterItsDelay() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreTimerOnce")) {
                CoreTicker ticker = spawnTicker(system);
                long start = System.nanoTime();
                ticker.startOnce("once", 150);
                assertTrue(await(ticker.isActive("once")));

                CoreTickerActor.Delivery delivery = deliveries.poll(5, TimeUnit.SECONDS);
                assertNotNull(delivery, "the single timer delivered");
                assertEquals("once", delivery.key());
                long after = TimeUnit.NANOSECONDS.toMillis(delivery.nanoTime() - start);
                assertTrue(after >= 150, "delivered after " + after + " ms, before its 150 ms delay");
                assertNull(deliveries.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS), "a single timer delivers once");
                assertFalse(await(ticker.isActive("once")), "a single timer is done once delivered");
            }
        });
    }

    @Test
    void aFixedRateTimerDeliversRepeatedly() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreTimerRate")) {
                CoreTicker ticker = spawnTicker(system);
                long start = System.nanoTime();
                ticker.startAtFixedRate("rate", 30, 30);
                for (int i = 0; i < 5; i++) {
                    CoreTickerActor.Delivery delivery = deliveries.poll(5, TimeUnit.SECONDS);
                    assertNotNull(delivery, "delivery " + (i + 1) + " of the fixed-rate timer");
                    assertEquals("rate", delivery.key());
                    long after = TimeUnit.NANOSECONDS.toMillis(delivery.nanoTime() - start);
                    assertTrue(after >= 30L * (i + 1), "delivery " + (i + 1) + " came after " + after + " ms");
                }
                assertTrue(await(ticker.isActive("rate")));
            }
        });
    }

    @Test
    void startingATimerWithTheKeyOfAnActiveOneReplacesIt() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreTimerReplace")) {
                CoreTicker ticker = spawnTicker(system);
                long start = System.nanoTime();
                ticker.startOnce("key", 400);
                ticker.startOnce("key", 50);
                CoreTickerActor.Delivery delivery = deliveries.poll(5, TimeUnit.SECONDS);
                assertNotNull(delivery);
                long after = TimeUnit.NANOSECONDS.toMillis(delivery.nanoTime() - start);
                assertTrue(after >= 50 && after < 400, "delivered after " + after + " ms");
                assertNull(deliveries.poll(600, TimeUnit.MILLISECONDS), "the replaced timer delivered too");
            }
        });
    }

    @Test
    void aCancelledTimerDeliversNoMore() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreTimerCancel")) {
                CoreTicker ticker = spawnTicker(system);
                ticker.startAtFixedRate("rate", 0, 10);
                awaitDeliveries(3);
                ticker.cancel("rate");
                // The ask is handled after the cancel: from its reply on, nothing may be delivered,
                // not even a tick the timer had already queued.
                assertFalse(await(ticker.isActive("rate")));
                deliveries.clear();
                assertNull(deliveries.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS), "a delivery after cancel");

                // A single timer cancelled before it fires never delivers.
                ticker.startOnce("once", 100);
                ticker.cancel("once");
                assertFalse(await(ticker.isActive("once")));
                assertNull(deliveries.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS), "a delivery of a cancelled single timer");
            }
        });
    }

    @Test
    void timersAreCancelledWhenTheActorStopsWithoutDeadLetters() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreTimerStop")) {
                List<DeadLetter> letters = new CopyOnWriteArrayList<>();
                system.addDeadLetterListener(letters::add);
                CoreTicker ticker = spawnTicker(system);
                ticker.startAtFixedRate("rate", 0, 5);
                ticker.startOnce("once", 100);
                awaitDeliveries(3);
                long deadLetters = system.metrics().deadLetters();

                await(system.stop(ticker));
                deliveries.clear();
                assertNull(deliveries.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS), "a delivery after stop");
                assertEquals(deadLetters, system.metrics().deadLetters(), "dead letters after stop: " + letters);
                assertEquals(List.of(), letters);
            }
        });
    }

    @Test
    void timersAreCancelledOnRestart() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreTimerRestart")) {
                AtomicInteger instances = new AtomicInteger();
                CoreTicker ticker = system.spawn(CoreTicker.class, () -> {
                    instances.incrementAndGet();
                    return new CoreTickerActor(deliveries);
                }, "ticker");
                ticker.startAtFixedRate("rate", 0, 10);
                awaitDeliveries(3);

                ticker.crash();
                // Handled by the new instance, after the restart.
                assertFalse(await(ticker.isActive("rate")));
                assertEquals(2, instances.get(), "the actor restarted");
                deliveries.clear();
                assertNull(deliveries.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS), "a delivery after restart");

                // The new instance can start timers of its own.
                ticker.startOnce("again", 20);
                CoreTickerActor.Delivery delivery = deliveries.poll(5, TimeUnit.SECONDS);
                assertNotNull(delivery);
                assertEquals("again", delivery.key());
            }
        });
    }

    @Test
    void aTimerMessageNotOfTheActorsProtocolIsRefused() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreTimerForeign")) {
                CoreTicker ticker = spawnTicker(system);
                IllegalArgumentException notAMessage =
                        failure(IllegalArgumentException.class, ticker.startForeignTimer(false), 5_000);
                assertTrue(notAMessage.getMessage().contains("not a message"), notAMessage.getMessage());
                failure(IllegalArgumentException.class, ticker.startForeignTimer(true), 5_000);
                assertFalse(await(ticker.isActive("foreign")));
                assertNull(deliveries.poll(100, TimeUnit.MILLISECONDS));
            }
        });
    }

    private CoreTicker spawnTicker(ActorSystem system) {
        return system.spawn(CoreTicker.class, () -> new CoreTickerActor(deliveries), "ticker");
    }

    private void awaitDeliveries(int count) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            assertNotNull(deliveries.poll(5, TimeUnit.SECONDS), "timer delivery " + (i + 1));
        }
    }
}
