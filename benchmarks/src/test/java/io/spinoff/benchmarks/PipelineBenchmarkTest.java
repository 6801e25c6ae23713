package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
            PipelineBenchmark.report("spinoff", "64", 10, latencies);
            PipelineBenchmark.report("pekko", "fj-64", 10, latencies);
        } finally {
            if (previous == null) {
                System.clearProperty("spinoff.results.dir");
            } else {
                System.setProperty("spinoff.results.dir", previous);
            }
        }
        List<String> lines = Files.readAllLines(directory.resolve(PipelineBenchmark.csv(10)));
        assertEquals(List.of("framework,setting,percentile,micros",
                "spinoff,64,50,20.0", "spinoff,64,99,40.0", "spinoff,64,99.9,60.0",
                "pekko,fj-64,50,20.0", "pekko,fj-64,99,40.0", "pekko,fj-64,99.9,60.0"), lines);
    }
}
