package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PipelineBenchmarkTest {

    static final long WORK_NANOS = 10_000;
    static final int MESSAGES = 500;

    /**
     * Every message arrives, and none faster than its three stages' work (with room for the
     * calibration's error): a pipeline that skipped the work would fail.
     */
    private static void assertWholeRun(Histogram latencies) {
        assertEquals(MESSAGES, latencies.getTotalCount());
        assertTrue(latencies.getMinValue() >= PipelineBenchmark.STAGES * WORK_NANOS / 2,
                "fastest message " + latencies.getMinValue() + " ns, less than the work of its stages");
    }

    @Test
    void spinoffPipelineDeliversEveryMessageAfterTheWorkOfEachStage() {
        try (ActorSystem system = SpinoffActors.system("pipeline-test", 64)) {
            assertWholeRun(PipelineBenchmark.runSpinoff(system, WORK_NANOS, MESSAGES));
        }
    }

    @Test
    void pekkoPipelineDeliversEveryMessageAfterTheWorkOfEachStage() {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system =
                PekkoActors.system("pipeline-test", "fj-64");
        try {
            assertWholeRun(PipelineBenchmark.runPekko(system, WORK_NANOS, MESSAGES));
        } finally {
            PekkoActors.terminate(system);
        }
    }

    @Test
    void baselinePipelineDeliversEveryMessageAfterTheWorkOfEachStage() {
        assertWholeRun(PipelineBenchmark.runBaseline(WORK_NANOS, MESSAGES));
    }

    @Test
    void aLostMessageFailsTheRun() {
        PipelineBenchmark.Meter meter = new PipelineBenchmark.Meter(Duration.ofMillis(100));
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> PipelineBenchmark.drive(meter, sentNanos -> { }, 1));
        assertTrue(failure.getMessage().contains("expected 1 messages at the sink"), failure.getMessage());
    }

    @Test
    void percentilesAreAppendedInTheReportFormat(@TempDir Path directory) throws IOException {
        String previous = System.setProperty("spinoff.results.dir", directory.toString());
        try {
            Histogram latencies = new Histogram(3);
            latencies.recordValueWithCount(20_000, 500);
            latencies.recordValueWithCount(40_000, 490);
            latencies.recordValueWithCount(60_000, 9);
            latencies.recordValue(80_000);
            PipelineBenchmark.report("spinoff", "64", 10, 1, latencies);
            PipelineBenchmark.report("pekko", "fj-64", 10, 1, latencies);
            PipelineBenchmark.report("spinoff", "64", 10, 32, latencies);
        } finally {
            if (previous == null) {
                System.clearProperty("spinoff.results.dir");
            } else {
                System.setProperty("spinoff.results.dir", previous);
            }
        }
        List<String> lines = Files.readAllLines(directory.resolve(PipelineBenchmark.csv(10, 1)));
        assertEquals(List.of("framework,setting,percentile,micros",
                "spinoff,64,50,20.0", "spinoff,64,99,40.0", "spinoff,64,99.9,60.0",
                "pekko,fj-64,50,20.0", "pekko,fj-64,99,40.0", "pekko,fj-64,99.9,60.0"), lines);
        assertEquals("latency-pipeline-10us-refill32.csv", PipelineBenchmark.csv(10, 32));
        assertEquals(List.of("framework,setting,percentile,micros",
                "spinoff,64,50,20.0", "spinoff,64,99,40.0", "spinoff,64,99.9,60.0"),
                Files.readAllLines(directory.resolve(PipelineBenchmark.csv(10, 32))));
    }

    @Test
    void aFullWindowWaitsForTheRefillBeforeTheSourceSendsAgain() throws Exception {
        PipelineBenchmark.Meter meter = new PipelineBenchmark.Meter(Duration.ofSeconds(10), 32);
        for (int i = 0; i < PipelineBenchmark.IN_FLIGHT; i++) {
            meter.admit();
        }
        CountDownLatch admitted = new CountDownLatch(1);
        Thread source = Thread.ofPlatform().start(() -> {
            meter.admit();
            admitted.countDown();
        });
        // Arrivals before the source finds the window full would let it send at once.
        while (source.getState() != Thread.State.TIMED_WAITING && admitted.getCount() == 1) {
            Thread.onSpinWait();
        }
        for (int i = 0; i < 31; i++) {
            meter.arrived(System.nanoTime());
        }
        assertFalse(admitted.await(200, TimeUnit.MILLISECONDS), "admitted with 31 free places, before the refill of 32");
        meter.arrived(System.nanoTime());
        assertTrue(admitted.await(10, TimeUnit.SECONDS), "not admitted once 32 places were free");
        source.join();
    }

    /**
     * A source and a sink on two threads: the window never holds more than its size, and no
     * arrival's wake-up is lost (a lost one would leave the source waiting until the timeout).
     */
    @Test
    void noWakeUpIsLostAndTheWindowIsNeverExceeded() throws Exception {
        for (int refill : new int[] {1, 7, 32, PipelineBenchmark.IN_FLIGHT}) {
            PipelineBenchmark.Meter meter = new PipelineBenchmark.Meter(Duration.ofSeconds(10), refill);
            BlockingQueue<Long> pipe = new LinkedBlockingQueue<>();
            int messages = 200_000;
            AtomicLong delivered = new AtomicLong();
            AtomicLong widest = new AtomicLong();
            Thread sink = Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < messages; i++) {
                        long sent = pipe.take();
                        widest.accumulateAndGet(pipe.size() + 1, Math::max);
                        delivered.incrementAndGet();
                        meter.arrived(sent);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Histogram latencies = PipelineBenchmark.drive(meter, pipe::add, messages);
            sink.join();
            assertEquals(messages, latencies.getTotalCount(), "refill " + refill);
            assertTrue(widest.get() <= PipelineBenchmark.IN_FLIGHT, "refill " + refill + ": " + widest.get()
                    + " messages in the window");
        }
    }

    @Test
    void aRefillOutsideTheWindowIsRefused() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> new PipelineBenchmark.Meter(Duration.ofSeconds(1), 0));
        assertTrue(refused.getMessage().startsWith("Pipeline: the refill must be 1 to 256"), refused.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new PipelineBenchmark.Meter(Duration.ofSeconds(1), PipelineBenchmark.IN_FLIGHT + 1));
    }
}
