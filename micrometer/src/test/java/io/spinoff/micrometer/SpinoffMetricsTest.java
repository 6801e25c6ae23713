package io.spinoff.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.spinoff.api.ActorRef;
import io.spinoff.api.Ask;
import io.spinoff.api.AskTimeoutException;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.Process;
import io.spinoff.runtime.SpawnOptions;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The Micrometer binding read through a {@link SimpleMeterRegistry}: the same figures as {@code metrics()}. */
class SpinoffMetricsTest {

    /** Waits until released, without receiving: its bounded mailbox fills. */
    static final class Blocked extends Process {
        static final CountDownLatch RELEASE = new CountDownLatch(1);

        @Override
        protected void run() throws InterruptedException {
            RELEASE.await(20, TimeUnit.SECONDS);
        }
    }

    /** Replies "pong" to every ask, except "silent", which it leaves unanswered. */
    /** An ask answered with a string; local only, so it needs no generated codec. */
    record Ping(String text) implements Ask<String> {}

    static final class Ponger extends Process {
        @Override
        protected void run() throws InterruptedException {
            while (true) {
                Ping message = receive(Ping.class);
                if (!message.text().equals("silent")) {
                    reply(message, "pong");
                }
            }
        }
    }

    @Test
    void askLatencyIsTimedByOutcome() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (ActorSystem system = ActorSystem.create("micrometerAsks")) {
                SimpleMeterRegistry registry = new SimpleMeterRegistry();
                new SpinoffMetrics(system).bindTo(registry);
                ActorRef<Object> ponger = system.spawnProcess(Ponger::new, "ponger");
                for (int i = 0; i < 3; i++) {
                    assertEquals("pong", ponger.ask(new Ping("ping " + i)).get(5, TimeUnit.SECONDS));
                }
                CompletableFuture<String> silent = ponger.ask(new Ping("silent"), Duration.ofMillis(200));
                ExecutionException timedOut = assertThrows(ExecutionException.class, () -> silent.get(5, TimeUnit.SECONDS));
                assertInstanceOf(AskTimeoutException.class, timedOut.getCause());

                Timer replies = registry.get("spinoff.ask.latency").tags("outcome", "reply", "system", "micrometerAsks").timer();
                assertEquals(3, replies.count());
                assertTrue(replies.totalTime(TimeUnit.NANOSECONDS) > 0);
                Timer timeouts = registry.get("spinoff.ask.latency").tags("outcome", "timeout").timer();
                // The future fails on the tick's executor; the observer runs there just after.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                while (timeouts.count() == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(10);
                }
                assertEquals(1, timeouts.count());
                assertTrue(timeouts.totalTime(TimeUnit.MILLISECONDS) >= 190, timeouts.totalTime(TimeUnit.MILLISECONDS) + " ms");
                assertEquals(0, registry.get("spinoff.ask.latency").tags("outcome", "failure").timer().count());
            }
        });
    }

    @Test
    void gaugesAndCountersMatchTheSystemsMetricsWithSystemAndNodeTags() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (ActorSystem system = ActorSystem.create("micrometerTest")) {
                try {
                    SimpleMeterRegistry registry = new SimpleMeterRegistry();
                    new SpinoffMetrics(system, Tags.of("app", "test")).bindTo(registry);

                    ActorRef<Object> blocked = system.spawnProcess(Blocked::new, "blocked", SpawnOptions.boundedMailbox(2));
                    for (int i = 0; i < 5; i++) {
                        blocked.tell("message " + i);
                    }
                    system.ref("/user/nobody").tell("lost");

                    Tags tags = Tags.of("system", "micrometerTest", "node", "micrometerTest", "app", "test");
                    assertEquals(1.0, registry.get("spinoff.actors.live").tags(tags).gauge().value());
                    assertEquals(3.0, registry.get("spinoff.mailbox.overflows").tags(tags).functionCounter().count());
                    assertEquals(system.metrics().mailboxOverflows(),
                            (long) registry.get("spinoff.mailbox.overflows").functionCounter().count());
                    assertEquals(4.0, registry.get("spinoff.dead.letters").tags(tags).functionCounter().count(),
                            "three overflows and one letter to nobody");
                    assertEquals(system.metrics().deadLetters(),
                            (long) registry.get("spinoff.dead.letters").functionCounter().count());
                    assertEquals(0.0, registry.get("spinoff.restarts").tags(tags).functionCounter().count());
                    assertEquals(0.0, registry.get("spinoff.frames.dropped").tags(tags).functionCounter().count());
                    assertEquals(0.0, registry.get("spinoff.asks.pending").tags(tags).gauge().value());
                    assertEquals(2.0, registry.get("spinoff.mailbox.depth").tags(tags).gauge().value(),
                            "the bounded mailbox holds its capacity");
                    assertEquals(0.0, registry.get("spinoff.peers").tags(tags).gauge().value());
                } finally {
                    Blocked.RELEASE.countDown();
                }
            }
        });
    }
}
