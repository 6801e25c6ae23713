package io.spinoff.runtime.internal.timer;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.CoreTicker;
import io.spinoff.runtime.CoreTickerActor;
import io.spinoff.runtime.SpawnOptions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A periodic timer outlives a failure of one of its firings. A firing runs on the scheduler thread
 * and may run user code on the way (a dead-letter listener, when the actor's bounded mailbox is
 * full); the scheduler cancels a periodic task for good when it throws, so an unguarded firing
 * would stop the actor's timer silently.
 */
class TimerFiringGuardTest {

    @Test
    void aFiringThatThrowsDoesNotStopAPeriodicTimer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger handled = new AtomicInteger();
        LinkedBlockingQueue<CoreTickerActor.Delivery> deliveries = new LinkedBlockingQueue<>() {
            @Override
            public boolean add(CoreTickerActor.Delivery delivery) {
                if (handled.getAndIncrement() == 0) {
                    // The first tick holds the actor, so that the next firings find its mailbox full.
                    try {
                        release.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return super.add(delivery);
            }
        };
        AtomicInteger listenerCalls = new AtomicInteger();
        try (ActorSystem system = ActorSystem.builder("timerGuard").parallelism(2).jmx(false).build()) {
            system.addDeadLetterListener(letter -> {
                if (listenerCalls.getAndIncrement() == 0) {
                    throw new AssertionError("a listener that fails once, with an Error");
                }
            });
            CoreTicker ticker = system.spawn(CoreTicker.class, () -> new CoreTickerActor(deliveries), "ticker",
                    SpawnOptions.boundedMailbox(1));
            ticker.startAtFixedRate("beat", 0, 5);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (listenerCalls.get() < 3 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertTrue(listenerCalls.get() >= 1, "the mailbox never overflowed");
            release.countDown();
            // Ticks go on after the failed firing: at least 5 more deliveries.
            for (int i = 0; i < 5; i++) {
                assertNotNull(deliveries.poll(2, TimeUnit.SECONDS), "the periodic timer stopped after a firing failed"
                        + " (tick " + i + " after the release)");
            }
        }
    }
}
