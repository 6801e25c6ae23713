package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.benchmarks.PipelineTrace.Trace;
import io.spinoff.benchmarks.PipelineTraceAnalysis.Report;
import io.spinoff.benchmarks.PipelineTraceAnalysis.ThreadPart;
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
        Report report = PipelineTraceAnalysis.analyse(handMade(), 4, 10 * US, List.of());

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
        // 140 µs hold no whole 4 ms window.
        assertArrayEquals(new int[] {0, 0, 0}, report.windowCompletions());

        String text = report.format("hand-made");
        assertTrue(text.contains("a: 2 works"), text);
        assertTrue(text.contains("1 stretched"), text);
    }

    /**
     * Two working stages, four messages all sent at 0 µs, on threads a and b (times in µs):
     * <pre>
     *        stage 1               stage 2             sink
     * m0     0-10 a                10-20 b             20
     * m1     10-20 a               20-30 a             30
     * m2     230-240 b             5000-5010 a         5010
     * m3     2000-2100 b           5010-5020 a         5030
     * </pre>
     * Both stages work at once during 10–20; b waits 20–230 and 240–2000 while stage 1 has a
     * message ready; a waits 30–5000, with stage 1 or stage 2 having a message ready and not
     * running all the time but 230–240 (stage 1 runs m2, stage 2 has nothing yet).
     */
    private static Trace twoStages() {
        Trace trace = new Trace(2, 8);
        trace.threads.add(new Trace.Traced("a", null));
        trace.threads.add(new Trace.Traced("b", null));
        long[][][] works = {
                {{0, 10, 0}, {10, 20, 0}, {230, 240, 1}, {2000, 2100, 1}},
                {{10, 20, 1}, {20, 30, 0}, {5000, 5010, 0}, {5010, 5020, 0}}};
        long[] arrivals = {20, 30, 5010, 5030};
        for (int k = 0; k < 4; k++) {
            trace.sent[k] = 0;
            for (int s = 0; s < 2; s++) {
                trace.start[s][k] = works[s][k][0] * US;
                trace.end[s][k] = works[s][k][1] * US;
                trace.thread[s][k] = (byte) works[s][k][2];
            }
            trace.start[2][k] = arrivals[k] * US;
            trace.end[2][k] = arrivals[k] * US;
        }
        Arrays.fill(trace.count, 4);
        return trace;
    }

    @Test
    void analysisOfTwoStagesGivesOverlapsLongGapsAndTheSlowestWindowWorkedOutByHand() {
        Report report = PipelineTraceAnalysis.analyse(twoStages(), 4, 10 * US, List.of());

        assertEquals(5030 * US, report.nanos());
        assertArrayEquals(new long[] {5010 * US, 5030 * US, 5030 * US}, report.latencyPercentiles());
        // Two stages at once 10 µs, one 150 µs, none the other 4,870 µs.
        assertArrayEquals(new double[] {4870.0 / 5030, 150.0 / 5030, 10.0 / 5030, 0}, report.busyShares(), 1e-9);

        ThreadPart a = report.threads().get(0);
        assertEquals(5, a.works());
        assertEquals(1, a.stageSwitches());
        assertArrayEquals(new long[] {3, 0, 0, 0, 1, 0}, a.gapCounts());
        assertEquals(4970 * US, a.longGapNanos());
        assertEquals(4960 * US, a.longGapWaitingNanos());
        ThreadPart b = report.threads().get(1);
        assertEquals(3, b.works());
        assertEquals(1, b.stageSwitches());
        assertEquals(1, b.stretched());
        assertArrayEquals(new long[] {0, 0, 0, 1, 1, 0}, b.gapCounts());
        assertEquals(1970 * US, b.longGapNanos());
        assertEquals(1970 * US, b.longGapWaitingNanos());

        // Whole 1 ms buckets 0-4 (bucket 5, 5000-5030 µs, is partial): windows 0-3 (2 arrivals)
        // and 1-4 (none); the slowest, 1000-5000 µs, has stage work only during 2000-2100.
        assertArrayEquals(new int[] {0, 0, 2}, report.windowCompletions());
        assertArrayEquals(new double[] {3900.0 / 4000, 100.0 / 4000, 0, 0}, report.slowBusyShares(), 1e-9);
        // Waits before stage 1: 0, 10, 230, 2000; stage 2: 0, 0, 4760, 2910; the sink: 0, 0, 0, 10.
        assertArrayEquals(new double[] {560 * US, 1917.5 * US, 2.5 * US}, report.meanWait(), 1e-6);
    }

    @Test
    void aRecordOfTooManyThreadsIsRefused() {
        Trace trace = handMade();
        trace.tooManyThreads = true;
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> PipelineTraceAnalysis.analyse(trace, 4, 10 * US, List.of()));
        assertTrue(failure.getMessage().contains("more than 127 threads ran the pipeline"), failure.getMessage());
    }

    @Test
    void theRecordIsSizedFromTheWorkAndRefusedWhenItWouldNotFitTheHeap() {
        // 10 µs per stage on two carriers: at most one message per 15 µs; room for twice that.
        assertEquals(533_333, PipelineTrace.capacity(4_000_000_000L, 10_000, 1L << 30));
        IllegalArgumentException failure = assertThrows(IllegalArgumentException.class,
                () -> PipelineTrace.capacity(4_000_000_000L, 0, 100L << 20));
        assertTrue(failure.getMessage().contains("more than half of the heap (100 MiB); record fewer seconds or"
                + " give the JVM more heap (-Xmx)"), failure.getMessage());
    }

    @Test
    void aStageThatRecordedAnotherNumberOfMessagesIsNamed() {
        Trace trace = handMade();
        trace.count[1] = 3;
        IllegalStateException failure = assertThrows(IllegalStateException.class,
                () -> PipelineTraceAnalysis.analyse(trace, 4, 10 * US, List.of()));
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
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> PipelineTrace.run("spinoff", "0", 1, 0, 1, 1_000));
        assertTrue(zero.getMessage().contains("a number such as 64; got '0'"), zero.getMessage());
        IllegalArgumentException executor = assertThrows(IllegalArgumentException.class,
                () -> PipelineTrace.run("pekko", "fj-7", 1, 0, 1, 1_000));
        assertTrue(executor.getMessage().contains("Pekko's setting is one of its executors, fj-5, fj-64, fj-256,"
                + " affinity; got 'fj-7'"), executor.getMessage());
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
