package io.spinoff.runtime;

import static io.spinoff.runtime.CoreTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Scheduling (SPEC §3): an actor handles a bounded batch of messages, then yields its carrier
 * thread to other actors.
 */
class CoreSchedulingTest {

    @Test
    void aBusyActorYieldsItsThreadAfterABatch() {
        assertTimeoutPreemptively(Duration.ofSeconds(15), () -> {
            int throughput = 5;
            int flood = 1_000;
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            BlockingQueue<CoreTickerActor.Delivery> handled = new LinkedBlockingQueue<>();
            try (ActorSystem system = ActorSystem.builder("coreSchedulingBatch")
                    .parallelism(1).throughput(throughput).build()) {
                try {
                    // Occupy the only carrier thread, so that both mailboxes fill before either runs.
                    CoreGate gate = system.spawn(CoreGate.class, () -> new CoreGateActor(entered, release), "gate");
                    CompletionStage<Void> held = gate.hold();
                    assertTrue(entered.await(5, TimeUnit.SECONDS));
                    CoreTicker busy = system.spawn(CoreTicker.class, () -> new CoreTickerActor(handled), "busy");
                    CoreTicker other = system.spawn(CoreTicker.class, () -> new CoreTickerActor(handled), "other");
                    for (int i = 0; i < flood; i++) {
                        busy.tick("busy");
                    }
                    other.tick("other");
                    release.countDown();
                    await(held);

                    List<String> order = new ArrayList<>();
                    for (int i = 0; i <= flood; i++) {
                        CoreTickerActor.Delivery delivery = handled.poll(5, TimeUnit.SECONDS);
                        assertNotNull(delivery, "message " + i);
                        order.add(delivery.key());
                    }
                    int position = order.indexOf("other");
                    assertTrue(position >= 0);
                    // The busy actor was scheduled first; the other one must get the thread after a
                    // batch or two of the busy one, not after its whole mailbox.
                    assertTrue(position <= 4 * throughput, "the other actor ran only after " + position
                            + " messages of the busy one (throughput " + throughput + ")");
                    assertEquals(flood, order.stream().filter("busy"::equals).count());
                } finally {
                    release.countDown();
                }
            }
        });
    }
}
