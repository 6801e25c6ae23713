package io.spinoff.benchmarks.report;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * The statistics of the report, all on fork means: the forks of a benchmark are its independent
 * repetitions (a fresh JVM each), while the iterations within one fork share its JIT decisions,
 * heap layout and thread placement, so they are not independent and are only averaged.
 *
 * <p>Two intervals are given for a ratio of two sides: a percentile bootstrap that resamples each
 * side's fork means independently, and a Welch interval on the logarithms of the fork means. The
 * bootstrap takes a {@link SplittableRandom} so that the same seed gives the same interval.
 */
final class ForkStatistics {
    /** The two-sided confidence level of the intervals. */
    static final double CONFIDENCE = 0.95;

    /** The confidence level of JMH's own score error. */
    private static final double JMH_CONFIDENCE = 0.999;

    private ForkStatistics() {}

    /**
     * The advantage of side {@code a} over side {@code b} (see {@link MetricMode#advantage}), from
     * their fork means.
     *
     * @param a the fork means of the first side
     * @param b the fork means of the second side
     * @param mode which way is better
     */
    record Contrast(double[] a, double[] b, MetricMode mode) {
        Contrast {
            a = a.clone();
            b = b.clone();
        }

        /** @return the advantage of the means of the fork means */
        double point() {
            return mode.advantage(mean(a), mean(b));
        }

        /** @return whether both sides have the 2 forks an interval needs */
        boolean hasSpread() {
            return a.length >= 2 && b.length >= 2;
        }
    }

    /** @return the arithmetic mean of {@code values} */
    static double mean(double[] values) {
        if (values.length == 0) {
            throw new IllegalStateException("a mean needs at least one value, got none");
        }
        double sum = 0;
        for (double value : values) {
            sum += value;
        }
        return sum / values.length;
    }

    /** @return the sample variance (divisor n - 1) of at least 2 values */
    static double variance(double[] values) {
        requireSpread(values.length);
        double mean = mean(values);
        double sum = 0;
        for (double value : values) {
            sum += (value - mean) * (value - mean);
        }
        return sum / (values.length - 1);
    }

    /**
     * The percentile bootstrap interval of the advantage of {@code contrast.a} over
     * {@code contrast.b}: each resample draws as many fork means as each side has, with
     * replacement and independently per side, and takes the advantage of the two means.
     */
    static Interval bootstrap(Contrast contrast, SplittableRandom random, int resamples) {
        return bootstrapGeometricMean(List.of(contrast), random, resamples);
    }

    /**
     * The percentile bootstrap interval of the geometric mean of several advantages: each resample
     * draws the forks of every side of every contrast anew and takes the geometric mean of the
     * resampled advantages.
     */
    static Interval bootstrapGeometricMean(List<Contrast> contrasts, SplittableRandom random, int resamples) {
        if (contrasts.isEmpty() || resamples < 2) {
            throw new IllegalStateException("a bootstrap needs at least one contrast and 2 resamples, got "
                    + contrasts.size() + " and " + resamples);
        }
        for (Contrast contrast : contrasts) {
            requireSpread(Math.min(contrast.a.length, contrast.b.length));
        }
        double[] estimates = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double logSum = 0;
            for (Contrast contrast : contrasts) {
                logSum += Math.log(contrast.mode.advantage(resampledMean(contrast.a, random),
                        resampledMean(contrast.b, random)));
            }
            estimates[r] = Math.exp(logSum / contrasts.size());
        }
        Arrays.sort(estimates);
        double tail = (1 - CONFIDENCE) / 2;
        return new Interval(percentile(estimates, tail), percentile(estimates, 1 - tail));
    }

    /**
     * The Welch interval of the advantage of {@code contrast.a} over {@code contrast.b}: Student's
     * t on the difference of the mean logarithms of the fork means, with the Welch-Satterthwaite
     * degrees of freedom, taken back by the exponential. Its centre is the ratio of the geometric
     * means of the forks, which differs slightly from the ratio of the arithmetic means.
     */
    static Interval welch(Contrast contrast) {
        return welchGeometricMean(List.of(contrast));
    }

    /**
     * The Welch interval of the geometric mean of several advantages: the mean of their logarithms
     * has the sum of the sides' variances over the number of contrasts squared, and the
     * Welch-Satterthwaite degrees of freedom of that sum.
     */
    static Interval welchGeometricMean(List<Contrast> contrasts) {
        if (contrasts.isEmpty()) {
            throw new IllegalStateException("a Welch interval needs at least one contrast, got none");
        }
        int n = contrasts.size();
        double centre = 0;
        double variance = 0;
        double dfDenominator = 0;
        for (Contrast contrast : contrasts) {
            double[] logA = logs(contrast.a);
            double[] logB = logs(contrast.b);
            double logAdvantage = mean(logA) - mean(logB);
            centre += (contrast.mode.lowerIsBetter() ? -logAdvantage : logAdvantage) / n;
            for (double[] side : List.of(logA, logB)) {
                double term = variance(side) / side.length / ((double) n * n);
                variance += term;
                dfDenominator += term * term / (side.length - 1);
            }
        }
        if (variance == 0) {
            return new Interval(Math.exp(centre), Math.exp(centre));
        }
        double degreesOfFreedom = variance * variance / dfDenominator;
        double t = new TDistribution(degreesOfFreedom).inverseCumulativeProbability(1 - (1 - CONFIDENCE) / 2);
        double halfWidth = t * Math.sqrt(variance);
        return new Interval(Math.exp(centre - halfWidth), Math.exp(centre + halfWidth));
    }

    /**
     * JMH's score error: the half-width of the 99.9% Student interval of the mean of all measured
     * iterations, every iteration of every fork counted as one observation. It is what JMH prints
     * after "±"; it treats iterations as independent and so understates the spread between forks.
     *
     * @return the half-width, or NaN when there is a single iteration
     */
    static double jmhError(List<double[]> forks) {
        double[] all = forks.stream().flatMapToDouble(Arrays::stream).toArray();
        if (all.length < 2) {
            return Double.NaN;
        }
        double t = new TDistribution(all.length - 1).inverseCumulativeProbability(1 - (1 - JMH_CONFIDENCE) / 2);
        return t * Math.sqrt(variance(all) / all.length);
    }

    /** @return the value at quantile {@code q} of sorted {@code values}, interpolated linearly */
    static double percentile(double[] sorted, double q) {
        double position = q * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
    }

    private static double resampledMean(double[] values, SplittableRandom random) {
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            sum += values[random.nextInt(values.length)];
        }
        return sum / values.length;
    }

    private static double[] logs(double[] values) {
        double[] logs = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] > 0)) {
                throw new IllegalStateException("a ratio needs positive scores, got " + values[i]);
            }
            logs[i] = Math.log(values[i]);
        }
        return logs;
    }

    private static void requireSpread(int forks) {
        if (forks < 2) {
            throw new IllegalStateException("an interval needs at least 2 forks per side, got " + forks);
        }
    }
}
