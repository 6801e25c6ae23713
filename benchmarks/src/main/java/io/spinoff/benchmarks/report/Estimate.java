package io.spinoff.benchmarks.report;

import io.spinoff.benchmarks.report.ForkStatistics.Contrast;
import java.util.List;
import java.util.Optional;

/**
 * A ratio (above 1: the first side is better) with its 95% intervals, or the reason it has none.
 *
 * @param point the ratio of the means of the fork means, or for a group their geometric mean
 * @param uncertainty the intervals, or why they are unavailable
 */
record Estimate(double point, Uncertainty uncertainty) {

    /** The intervals of an estimate, or the reason it has none. */
    sealed interface Uncertainty permits Intervals, Unavailable {}

    /**
     * @param bootstrap the percentile bootstrap interval over forks, on which targets are judged
     * @param welch the Welch interval on the logarithms of the fork means
     */
    record Intervals(Interval bootstrap, Interval welch) implements Uncertainty {}

    /** @param reason why there is no interval, e.g. {@code 1 fork} */
    record Unavailable(String reason) implements Uncertainty {}

    /**
     * The geometric mean of the contrasts' advantages, with both intervals if every side of every
     * contrast has at least 2 forks.
     *
     * @param name names the interval's random source (see {@link ReportSettings#random})
     */
    static Estimate of(List<Contrast> contrasts, String name, ReportSettings settings) {
        double point = contrasts.size() == 1 ? contrasts.get(0).point()
                : Math.exp(contrasts.stream().mapToDouble(c -> Math.log(c.point())).average().orElseThrow());
        if (!contrasts.stream().allMatch(Contrast::hasSpread)) {
            return new Estimate(point, new Unavailable("1 fork"));
        }
        return new Estimate(point, new Intervals(
                ForkStatistics.bootstrapGeometricMean(contrasts, settings.random(name), settings.resamples()),
                ForkStatistics.welchGeometricMean(contrasts)));
    }

    /** @return the bootstrap interval, if there is one */
    Optional<Interval> bootstrap() {
        return switch (uncertainty) {
            case Intervals intervals -> Optional.of(intervals.bootstrap());
            case Unavailable unavailable -> Optional.empty();
        };
    }
}
