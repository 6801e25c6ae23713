package io.spinoff.runtime;

import static io.spinoff.runtime.CoreTestSupport.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Stress tests, each bounded in time: many threads sending to one actor at once (no message lost
 * or handled concurrently, each sender's messages in the order sent), and many systems closed one
 * after the other (SPEC §3).
 */
class CoreStressTest {

    private static final int SENDERS = 8;

    @Test
    void eightThreadsTimesOneHundredThousandIncrementsCountExactly() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            int perSender = 100_000;
            try (ActorSystem system = ActorSystem.create("coreStressCount")) {
                Counter counter = system.spawn(Counter.class, CounterActor::new, "counter");
                runSenders(sender -> {
                    for (int i = 0; i < perSender; i++) {
                        counter.increment(1);
                    }
                });
                assertEquals(SENDERS * perSender, await(counter.get()));
            }
        });
    }

    @Test
    void messagesFromEachSenderArriveInTheOrderSent() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            int perSender = 25_000;
            try (ActorSystem system = ActorSystem.create("coreStressOrder")) {
                CoreLog log = system.spawn(CoreLog.class, CoreLogActor::new, "log");
                runSenders(sender -> {
                    for (int seq = 0; seq < perSender; seq++) {
                        log.append(sender, seq);
                    }
                });
                List<Integer> expected = IntStream.range(0, perSender).boxed().toList();
                for (int sender = 0; sender < SENDERS; sender++) {
                    List<Integer> received = await(log.sequenceOf(sender));
                    assertEquals(perSender, received.size(), "messages from sender " + sender);
                    assertEquals(expected, received, "order of the messages from sender " + sender);
                }
            }
        });
    }

    @Test
    void closeReturnsOnlyOnceEveryThreadOfTheSystemHasEnded() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            // A thread still winding down when close() returns is a race, so many systems are
            // closed, each checked as soon as close() returns; the first leftover ends the test.
            int systems = 2_000;
            for (int i = 0; i < systems; i++) {
                String prefix = "spinoff-coreStressClose" + i + "-";
                ActorSystem system = ActorSystem.builder("coreStressClose" + i).parallelism(2).build();
                if (i % 2 == 0) {
                    Counter counter = system.spawn(Counter.class, CounterActor::new, "counter");
                    counter.increment(1);
                    assertEquals(1, await(counter.get()));
                }
                system.close();
                List<String> leftovers = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.isAlive() && t.getName().startsWith(prefix))
                        .map(Thread::getName)
                        .toList();
                assertEquals(List.of(), leftovers, "threads still alive when close() of system " + i + " ("
                        + (i % 2 == 0 ? "used" : "unused") + ") returned");
            }
        });
    }

    /** Runs one body per sender thread, all released at once, and waits for them. */
    private static void runSenders(SenderBody body) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < SENDERS; s++) {
            int sender = s;
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                    body.send(sender);
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "core-stress-sender-" + s);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        go.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(20));
            assertTrue(!thread.isAlive(), thread.getName() + " did not finish sending");
        }
        if (failure.get() != null) {
            throw new AssertionError("a sender failed", failure.get());
        }
    }

    @FunctionalInterface
    private interface SenderBody {
        void send(int sender) throws Exception;
    }
}
