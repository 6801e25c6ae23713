package io.spinoff.runtime;

import static io.spinoff.runtime.ProcTrace.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.ActorRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Processes at scale: tens of thousands blocked at once, and blocked processes holding no thread
 * that actors or other processes need (SPEC §5). Bounded in time; no timing is asserted.
 */
class ProcessScaleTest {

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void fiftyThousandProcessesBlockInReceiveThenAllFinishAndCloseLeavesNoThread() throws Exception {
        int count = 50_000;
        String name = "procScale";
        AtomicReferenceArray<Thread> threads = new AtomicReferenceArray<>(count);
        CountDownLatch blocked = new CountDownLatch(count);
        AtomicInteger receivedTheirOwn = new AtomicInteger();
        List<ActorRef<Object>> refs = new ArrayList<>(count);
        ActorSystem system = ActorSystem.create(name);
        try (system) {
            for (int i = 0; i < count; i++) {
                int index = i;
                refs.add(system.spawnProcess(() -> new Process() {
                    @Override
                    protected void run() throws Exception {
                        threads.set(index, Thread.currentThread());
                        blocked.countDown();
                        if (receive(ProcMailMessage.A.class).seq() == index) {
                            receivedTheirOwn.incrementAndGet();
                        }
                    }
                }, null));
            }
            assertTrue(blocked.await(60, TimeUnit.SECONDS),
                    (count - blocked.getCount()) + " of " + count + " processes started within 60 s");
            assertEquals(count, system.metrics().liveActors());
            for (int i = 0; i < count; i++) {
                refs.get(i).tell(new ProcMailMessage.A(i));
            }
            CompletableFuture<?>[] ends = new CompletableFuture<?>[count];
            for (int i = 0; i < count; i++) {
                ends[i] = system.whenTerminated(refs.get(i)).toCompletableFuture();
            }
            CompletableFuture.allOf(ends).get(60, TimeUnit.SECONDS);
            assertEquals(count, receivedTheirOwn.get());
            assertEquals(0, system.metrics().liveActors());
        }
        assertTrue(system.isClosed());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int i = 0; i < count; i++) {
            Thread thread = threads.get(i);
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            assertTrue(!thread.isAlive(), "process thread " + thread + " still alive after close()");
        }
        List<String> left = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("spinoff-" + name + "-"))
                .map(Thread::getName)
                .toList();
        assertEquals(List.of(), left, "threads of the system alive after close()");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void processesBlockedInReceiveSleepAndAwaitLeaveActorsAndNewProcessesRunning() throws Exception {
        // Virtual threads run on the JDK's scheduler, one carrier per core unless configured.
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism",
                Runtime.getRuntime().availableProcessors());
        int parallelism = Runtime.getRuntime().availableProcessors();
        int count = 3 * Math.max(carriers, parallelism);
        String name = "procNoPinning";
        CompletableFuture<String> gate = new CompletableFuture<>();
        AtomicReferenceArray<Thread> threads = new AtomicReferenceArray<>(count);
        CountDownLatch started = new CountDownLatch(count);
        AtomicInteger released = new AtomicInteger();
        List<ActorRef<Object>> refs = new ArrayList<>();
        ActorSystem system = ActorSystem.builder(name).parallelism(parallelism).build();
        try (system) {
            for (int i = 0; i < count; i++) {
                int index = i;
                refs.add(system.spawnProcess(() -> new Process() {
                    @Override
                    protected void run() throws Exception {
                        threads.set(index, Thread.currentThread());
                        started.countDown();
                        switch (index % 4) {
                            case 0 -> receive(ProcMailMessage.Release.class);
                            case 1 -> receive(m -> m instanceof ProcMailMessage.Release, Duration.ofMinutes(5));
                            case 2 -> await(gate, Duration.ofMinutes(5));
                            default -> sleep(Duration.ofMinutes(5));
                        }
                        released.incrementAndGet();
                    }
                }, "blocked-" + i));
            }
            assertTrue(started.await(20, TimeUnit.SECONDS), "every process started");
            for (int i = 0; i < count; i++) {
                ProcessReceiveTest.awaitParked(threads.get(i));
            }

            // An ordinary actor still gets a turn, and answers.
            Counter counter = system.spawn(Counter.class, CounterActor::new, "counter");
            counter.increment(3);
            assertEquals(3, await(counter.get()));
            // A new process still gets a carrier, receives an ask and replies.
            ActorRef<Object> echo = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    ProcMailMessage.Echo ask = receive(ProcMailMessage.Echo.class);
                    reply(ask, "echo:" + ask.text());
                }
            }, "echo");
            assertEquals("echo:free", await(ProcMailProtocol.INSTANCE.proxy(echo).echo("free")));

            int sleepers = count / 4;
            for (ActorRef<Object> ref : refs) {
                ProcMailProtocol.INSTANCE.proxy(ref).release();
            }
            gate.complete("open");
            for (int i = 0; i < count; i++) {
                if (i % 4 != 3) {
                    await(system.whenTerminated(refs.get(i)));
                }
            }
            assertEquals(count - sleepers, released.get());
            // The sleepers are still blocked; close() interrupts and stops them.
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        for (int i = 0; i < count; i++) {
            Thread thread = threads.get(i);
            thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            assertTrue(!thread.isAlive(), "process thread " + thread + " still alive after close()");
        }
        assertEquals(count - count / 4, released.get(), "the sleepers were interrupted, not woken");
    }
}
