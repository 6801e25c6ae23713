package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.benchmarks.PipelineTrace.Report;
import io.spinoff.benchmarks.PipelineTrace.ThreadPart;
import io.spinoff.benchmarks.PipelineTrace.Trace;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelineTraceTest {

    private static final long US = 1_000;

    /**
     * One working stage, four messages all sent at 0 µs, on two threads: thread a works 0–10 and
     * 10–20; thread b works 50–80 (stretched: three times the work) and, after a 40 µs gap, 120–130.
     * Arrivals at 10, 20, 80 and 140 µs.
     */
    private static Trace handMade() {
        Trace trace = new Trace(1, 8);
        trace.threads.add(new Trace.Traced("a", null));
        trace.threads.add(new Trace.Traced("b", null));
        long[][] works = {{0, 10, 0}, {10, 20, 0}, {50, 80, 1}, {120, 130, 1}};
        long[] arrivals = {10, 20, 80, 140};
        for (int k = 0; k < 4; k++) {
            trace.sent[k] = 0;
            trace.start[0][k] = works[k][0] * US;
            trace.end[0][k] = works[k][1] * US;
            trace.thread[0][k] = (byte) works[k][2];
            trace.start[1][k] = arrivals[k] * US;
            trace.end[1][k] = arrivals[k] * US;
        }
        trace.count[0] = 4;
        trace.count[1] = 4;
        return trace;
    }

    @Test
    void analysisOfAHandMadeTraceGivesTheFiguresWorkedOutByHand() {
        Report report = PipelineTrace.analyse(handMade(), 4, 10 * US, List.of());

        assertEquals(140 * US, report.nanos());
        assertArrayEquals(new long[] {80 * US, 140 * US, 140 * US}, report.latencyPercentiles());

        ThreadPart a = report.threads().get(0);
        assertEquals(2, a.works());
        assertEquals(20 * US, a.workNanos());
        assertEquals(0, a.stretched());
        assertArrayEquals(new long[] {1, 0, 0, 0, 0, 0}, a.gapCounts());
        ThreadPart b = report.threads().get(1);
        assertEquals(2, b.works());
        assertEquals(40 * US, b.workNanos());
        assertEquals(1, b.stretched());
        assertArrayEquals(new long[] {0, 0, 1, 0, 0, 0}, b.gapCounts());
        assertEquals(40 * US, b.gapNanos()[2]);

        // No stage works during 20-50, 80-120 and 130-140 µs: 80 of 140.
        assertEquals(80.0 / 140, report.busyShares()[0], 1e-9);
        assertEquals(60.0 / 140, report.busyShares()[1], 1e-9);
        assertEquals(0.0, report.busyShares()[2], 1e-9);
        // Waits before the stage: 0, 10, 50, 120 µs; before the sink: 0, 0, 0, 10 µs.
        assertArrayEquals(new double[] {45 * US, 2.5 * US}, report.meanWait(), 1e-6);
        // The slowest 1% by latency is the last message alone.
        assertArrayEquals(new double[] {120 * US, 10 * US}, report.slowMeanWait(), 1e-6);
        assertEquals(4, report.windowCompletions()[2]);

        String text = report.format("hand-made");
        assertTrue(text.contains("a: 2 works"), text);
        assertTrue(text.contains("1 stretched"), text);
    }

    @Test
    void aStageThatRecordedAnotherNumberOfMessagesIsNamed() {
        Trace trace = handMade();
        trace.count[1] = 3;
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> PipelineTrace.analyse(trace, 4, 10 * US, List.of()));
        assertTrue(failure.getMessage().contains("stage 1 recorded 3 messages, expected 4"), failure.getMessage());
    }

    @Test
    void anUnknownFrameworkOrSettingIsRefusedWithWhatToUse() {
        IllegalArgumentException framework = assertThrows(IllegalArgumentException.class,
                () -> PipelineTrace.run("akka", "64", 1, 0, 1, 1_000));
        assertTrue(framework.getMessage().contains("unknown framework 'akka'; use spinoff or pekko"),
                framework.getMessage());
        IllegalArgumentException setting = assertThrows(IllegalArgumentException.class,
                () -> PipelineTrace.run("spinoff", "fj-64", 1, 0, 1, 1_000));
        assertTrue(setting.getMessage().contains("a number such as 64"), setting.getMessage());
        IllegalArgumentException seconds = assertThrows(IllegalArgumentException.class,
                () -> PipelineTrace.positive("SECONDS", "4s"));
        assertTrue(seconds.getMessage().contains("SECONDS must be a positive whole number, got '4s'. Usage:"),
                seconds.getMessage());
        assertEquals(4, PipelineTrace.positive("SECONDS", "4"));
    }

    /** Every message of a real run is in the record once per stage, on the threads that ran it. */
    private static void assertWholeRecord(Report report) {
        assertTrue(report.messages() > 100, "only " + report.messages() + " messages recorded");
        int works = report.threads().stream().mapToInt(ThreadPart::works).sum();
        assertEquals(PipelineBenchmark.STAGES * report.messages(), works);
        assertEquals(1.0, Arrays.stream(report.busyShares()).sum(), 1e-9);
        assertTrue(report.latencyPercentiles()[0] >= PipelineBenchmark.STAGES * 20 * US / 2,
                "median latency " + report.latencyPercentiles()[0] + " ns, less than the stages' work");
        assertTrue(report.threads().stream().anyMatch(part -> part.works() == 0),
                "the source, which runs no stage, is reported too");
    }

    @Test
    void aSpinoffRunIsRecordedWhole() throws Exception {
        assertWholeRecord(PipelineTrace.run("spinoff", "64", 1, 200_000_000L, 300_000_000L, 20 * US));
    }

    @Test
    void aPekkoRunIsRecordedWhole() throws Exception {
        assertWholeRecord(PipelineTrace.run("pekko", "fj-64", 32, 200_000_000L, 300_000_000L, 20 * US));
    }
}
