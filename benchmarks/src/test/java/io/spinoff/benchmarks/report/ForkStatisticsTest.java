package io.spinoff.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.benchmarks.report.ForkStatistics.Contrast;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The intervals of {@link ForkStatistics} against values computed independently (SciPy). */
class ForkStatisticsTest {
    private static final double[] SPINOFF_MS = {10.0, 11.0, 12.5};
    private static final double[] PEKKO_MS = {20.0, 23.0, 21.0};

    @Test
    void welchMatchesStudentsTOnTheLogsWithSatterthwaitesDegreesOfFreedom() {
        Interval welch = ForkStatistics.welch(new Contrast(SPINOFF_MS, PEKKO_MS, MetricMode.AVERAGE_TIME));

        // scipy.stats.t.ppf(0.975, 3.3827) on the log fork means, as benchmarks/ratio.py computes it.
        assertEquals(1.5237586028229009, welch.lower(), 1e-9);
        assertEquals(2.4073179174530637, welch.upper(), 1e-9);
    }

    @Test
    void aThroughputRatioIsTheInverseOfTheSameNumbersAsTimes() {
        Interval time = ForkStatistics.welch(new Contrast(SPINOFF_MS, PEKKO_MS, MetricMode.AVERAGE_TIME));
        Interval throughput = ForkStatistics.welch(new Contrast(SPINOFF_MS, PEKKO_MS, MetricMode.THROUGHPUT));

        assertEquals(1 / time.upper(), throughput.lower(), 1e-12);
        assertEquals(1 / time.lower(), throughput.upper(), 1e-12);
    }

    @Test
    void theBootstrapDependsOnlyOnItsSeed() {
        Contrast contrast = new Contrast(SPINOFF_MS, PEKKO_MS, MetricMode.AVERAGE_TIME);

        Interval first = ForkStatistics.bootstrap(contrast, new SplittableRandom(42), 10_000);
        Interval second = ForkStatistics.bootstrap(contrast, new SplittableRandom(42), 10_000);

        assertEquals(first, second);
        assertTrue(first.contains(contrast.point()), first + " should contain " + contrast.point());
        // The resampled ratios cannot leave the range of the extreme fork means.
        assertTrue(first.lower() >= 20.0 / 12.5 && first.upper() <= 23.0 / 10.0, first.toString());
    }

    @Test
    void theGeometricMeanOfEqualContrastsHasTheSameCentreAsOne() {
        Contrast contrast = new Contrast(SPINOFF_MS, PEKKO_MS, MetricMode.AVERAGE_TIME);

        Interval one = ForkStatistics.welch(contrast);
        Interval two = ForkStatistics.welchGeometricMean(List.of(contrast, contrast));

        assertEquals(Math.sqrt(one.lower() * one.upper()), Math.sqrt(two.lower() * two.upper()), 1e-9);
        assertTrue(two.upper() - two.lower() < one.upper() - one.lower(), "twice the forks, a narrower interval");
    }

    @Test
    void jmhErrorIsThe999PercentStudentHalfWidthOverAllIterations() {
        // scipy.stats.t.ppf(0.9995, 4) * stdev([1, 2, 3, 4, 5]) / sqrt(5)
        assertEquals(6.088402636254714, ForkStatistics.jmhError(List.of(new double[] {1, 2}, new double[] {3, 4, 5})),
                1e-9);
        assertTrue(Double.isNaN(ForkStatistics.jmhError(List.of(new double[] {1}))));
    }

    @Test
    void anIntervalNeedsTwoForksPerSide() {
        Contrast contrast = new Contrast(new double[] {10}, PEKKO_MS, MetricMode.AVERAGE_TIME);

        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ForkStatistics.bootstrap(contrast, new SplittableRandom(1), 1000));

        assertTrue(e.getMessage().contains("at least 2 forks"), e.getMessage());
    }
}
