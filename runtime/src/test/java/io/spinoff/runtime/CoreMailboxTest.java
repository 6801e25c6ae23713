package io.spinoff.runtime;

import static io.spinoff.runtime.CoreTestSupport.await;
import static io.spinoff.runtime.CoreTestSupport.eventually;
import static io.spinoff.runtime.CoreTestSupport.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Bounded mailboxes and dead letters (SPEC §3, §8): never silent, always counted and observable. */
class CoreMailboxTest {

    private static final Duration LIMIT = Duration.ofSeconds(15);

    @Test
    void aFullBoundedMailboxRefusesMessagesCountsThemAndFailsAsks() {
        assertTimeoutPreemptively(LIMIT, () -> {
            int capacity = 4;
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (ActorSystem system = ActorSystem.create("coreBoundedMailbox")) {
                try {
                    List<DeadLetter> letters = new CopyOnWriteArrayList<>();
                    system.addDeadLetterListener(letters::add);
                    CoreGate gate = system.spawn(CoreGate.class, () -> new CoreGateActor(entered, release), "gate",
                            SpawnOptions.boundedMailbox(capacity));
                    CompletionStage<Void> held = gate.hold();
                    assertTrue(entered.await(5, TimeUnit.SECONDS), "the actor is busy in hold()");

                    for (int i = 0; i < capacity; i++) {
                        gate.ping();
                    }
                    assertEquals(0, system.metrics().mailboxOverflows(), "up to the capacity, nothing is refused");
                    for (int i = 0; i < 3; i++) {
                        gate.ping();
                    }
                    assertEquals(3, system.metrics().mailboxOverflows());
                    assertEquals(3, system.metrics().deadLetters());
                    assertEquals(3, letters.size());
                    for (DeadLetter letter : letters) {
                        assertEquals("/user/gate", letter.recipient());
                        assertEquals(new CoreGateMessage.Ping(), letter.message());
                    }

                    MailboxOverflowException e = failure(MailboxOverflowException.class, gate.pings(), 100);
                    assertTrue(e.getMessage().contains("/user/gate"), e.getMessage());
                    assertEquals(4, system.metrics().mailboxOverflows());

                    release.countDown();
                    await(held);
                    // hold()'s reply comes before the actor has taken the queued pings, so the
                    // mailbox may still be full for a moment: an ask refused then is counted too.
                    int refused = 0;
                    Integer handled = null;
                    while (handled == null) {
                        try {
                            handled = await(gate.pings());
                        } catch (java.util.concurrent.ExecutionException full) {
                            assertInstanceOf(MailboxOverflowException.class, full.getCause());
                            assertTrue(++refused < 1_000, "the actor never took its queued pings");
                            Thread.sleep(1);
                        }
                    }
                    assertEquals(capacity, handled, "the messages within capacity were all handled");
                    // Room again once the actor has caught up.
                    gate.ping();
                    assertEquals(capacity + 1, await(gate.pings()));
                    assertEquals(4 + refused, system.metrics().mailboxOverflows());
                } finally {
                    release.countDown();
                }
            }
        });
    }

    @Test
    void aBoundedMailboxNeedsAPositiveCapacity() {
        assertThrows(IllegalArgumentException.class, () -> SpawnOptions.boundedMailbox(0));
        assertThrows(IllegalArgumentException.class, () -> SpawnOptions.boundedMailbox(-1));
        assertThrows(IllegalArgumentException.class, () -> new SpawnOptions(-1));
    }

    @Test
    void tellsToAStoppedActorAreCountedAndObservableDeadLetters() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreDeadLettersStopped")) {
                List<DeadLetter> letters = new CopyOnWriteArrayList<>();
                system.addDeadLetterListener(letters::add);
                Counter counter = system.spawn(Counter.class, CounterActor::new, "gone");
                counter.increment(1);
                assertEquals(1, await(counter.get()));
                await(system.stop(counter));
                assertEquals(0, system.metrics().deadLetters());

                counter.increment(7);
                counter.increment(8);
                assertEquals(2, system.metrics().deadLetters());
                assertEquals(List.of(new DeadLetter("/user/gone", new CounterMessage.Increment(7), letters.get(0).reason()),
                        new DeadLetter("/user/gone", new CounterMessage.Increment(8), letters.get(1).reason())), letters);
                assertTrue(!letters.get(0).reason().isEmpty());
            }
        });
    }

    @Test
    void tellsToAnUnknownPathAreCountedAndObservableDeadLetters() {
        assertTimeoutPreemptively(LIMIT, () -> {
            try (ActorSystem system = ActorSystem.create("coreDeadLettersUnknown")) {
                List<DeadLetter> letters = new CopyOnWriteArrayList<>();
                system.addDeadLetterListener(letters::add);
                Counter nobody = system.lookup(Counter.class, "/user/nobody");
                nobody.increment(3);
                assertEquals(1, system.metrics().deadLetters());
                assertEquals(1, letters.size());
                assertEquals("/user/nobody", letters.get(0).recipient());
                assertEquals(new CounterMessage.Increment(3), letters.get(0).message());
            }
        });
    }

    @Test
    void messagesQueuedWhenAnActorStopsBecomeDeadLetters() {
        assertTimeoutPreemptively(LIMIT, () -> {
            CountDownLatch entered = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            try (ActorSystem system = ActorSystem.create("coreDeadLettersQueued")) {
                try {
                    List<DeadLetter> letters = new CopyOnWriteArrayList<>();
                    system.addDeadLetterListener(letters::add);
                    CoreGate gate = system.spawn(CoreGate.class, () -> new CoreGateActor(entered, release), "gate");
                    CompletionStage<Void> held = gate.hold();
                    assertTrue(entered.await(5, TimeUnit.SECONDS));
                    for (int i = 0; i < 5; i++) {
                        gate.ping();
                    }
                    CompletionStage<Void> stopped = system.stop(gate);
                    release.countDown();
                    await(held);
                    await(stopped);
                    // The queued pings are drained on the actor's last turn, which may end just after
                    // the termination future completes.
                    eventually(2_000, "the 5 queued pings becoming dead letters",
                            () -> system.metrics().deadLetters() == 5);
                    assertEquals(5, letters.size());
                    for (DeadLetter letter : letters) {
                        assertEquals(new CoreGateMessage.Ping(), letter.message());
                    }
                } finally {
                    release.countDown();
                }
            }
        });
    }
}
