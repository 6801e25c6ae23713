package io.spinoff.benchmarks.report;

import io.spinoff.benchmarks.report.Estimate.Intervals;
import io.spinoff.benchmarks.report.Estimate.Unavailable;
import io.spinoff.benchmarks.report.ForkStatistics.Contrast;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One row of the report: a benchmark class with one set of problem sizes, its best Spinoff and
 * best Pekko configurations, and how they compare.
 *
 * <p>Each side's best configuration is the one with the best mean of fork means. The ratio of
 * Spinoff to Pekko is above 1 when Spinoff is better (Pekko's time over Spinoff's, or Spinoff's
 * throughput over Pekko's); the efficiencies compare each side with the plain-Java baseline the
 * same way (the baseline's time over the side's: 1 means as fast as the baseline). The best
 * configurations are chosen on the same data as the intervals, so the intervals hold for that
 * choice.
 *
 * @param key the benchmark class and sizes
 * @param variants every configuration of every side measured for this row
 * @param spinoff Spinoff's best configuration, if Spinoff was measured
 * @param pekko Pekko's best configuration, if Pekko was measured
 * @param baseline the baseline, if the benchmark has one
 * @param spinoffVsPekko the ratio of the best configurations, if both sides were measured
 * @param spinoffEfficiency Spinoff against the baseline, if both were measured
 * @param pekkoEfficiency Pekko against the baseline, if both were measured
 */
record Comparison(RowKey key, List<Variant> variants, Optional<Variant> spinoff, Optional<Variant> pekko,
        Optional<Variant> baseline, Optional<Estimate> spinoffVsPekko, Optional<Estimate> spinoffEfficiency,
        Optional<Estimate> pekkoEfficiency) {

    Comparison {
        variants = List.copyOf(variants);
    }

    /**
     * The rows of the results: the Savina groups' members in the groups' order, then every other
     * class by name; within a class, by sizes.
     *
     * @throws ReportInputException if a row mixes modes or units, or an interval lacks forks
     *     while {@link ReportSettings#allowOneFork()} is off
     */
    static List<Comparison> of(JmhResults results, ReportSettings settings) {
        Map<RowKey, List<Variant>> rows = new LinkedHashMap<>();
        for (Variant variant : results.variants()) {
            rows.computeIfAbsent(variant.row(), key -> new ArrayList<>()).add(variant);
        }
        return rows.entrySet().stream()
                .map(row -> of(row.getKey(), row.getValue(), settings))
                .sorted(Comparator.comparing((Comparison c) -> order(c.key()))
                        .thenComparing(c -> c.key().simpleName())
                        .thenComparing(Comparison::key, RowKey.SIZE_ORDER))
                .toList();
    }

    /** @see #of(JmhResults, ReportSettings) */
    static Comparison of(RowKey key, List<Variant> variants, ReportSettings settings) {
        Variant first = variants.get(0);
        for (Variant variant : variants) {
            if (variant.mode() != first.mode() || !variant.unit().equals(first.unit())) {
                throw new ReportInputException(key.label() + ": " + first.describe() + " is measured as "
                        + first.mode().label() + " in " + first.unit() + " (" + first.sourceNames() + ") but "
                        + variant.describe() + " as " + variant.mode().label() + " in " + variant.unit() + " ("
                        + variant.sourceNames() + "); measure every method of a benchmark in the same mode and "
                        + "time unit.");
            }
        }
        Optional<Variant> spinoff = best(variants, Side.SPINOFF);
        Optional<Variant> pekko = best(variants, Side.PEKKO);
        Optional<Variant> baseline = best(variants, Side.BASELINE);
        return new Comparison(key, variants, spinoff, pekko, baseline,
                estimate(key, spinoff, pekko, settings),
                estimate(key, spinoff, baseline, settings),
                estimate(key, pekko, baseline, settings));
    }

    /** @return the mode shared by the row's variants */
    MetricMode mode() {
        return variants.get(0).mode();
    }

    /** @return the unit shared by the row's variants */
    String unit() {
        return variants.get(0).unit();
    }

    /** @return the group this row's class belongs to, if any */
    Optional<BenchmarkGroup> group() {
        return BenchmarkGroup.of(key.simpleName());
    }

    /**
     * Whether Spinoff's ratio to Pekko meets {@code target}: the lower end of its bootstrap
     * interval must reach it; an interval wholly below 1 is called out, and so is a met target
     * that the Welch interval's lower end does not reach.
     */
    Verdict verdict(double target) {
        if (spinoffVsPekko.isEmpty()) {
            return new Verdict(Verdict.Outcome.NOT_JUDGED,
                    "no " + (spinoff.isEmpty() ? Side.SPINOFF : Side.PEKKO).title() + " results");
        }
        return switch (spinoffVsPekko.get().uncertainty()) {
            case Unavailable unavailable -> new Verdict(Verdict.Outcome.NOT_JUDGED,
                    "interval unavailable: " + unavailable.reason());
            case Intervals intervals when intervals.bootstrap().whollyBelow(1) ->
                    new Verdict(Verdict.Outcome.NOT_MET, "wholly below 1");
            case Intervals intervals when intervals.bootstrap().lower() >= target ->
                    new Verdict(Verdict.Outcome.MET, Verdict.welchRemark(intervals, target));
            case Intervals intervals -> new Verdict(Verdict.Outcome.NOT_MET, "lower end "
                    + Numbers.ratio(intervals.bootstrap().lower()) + " < " + Numbers.ratio(target));
        };
    }

    private static Optional<Variant> best(List<Variant> variants, Side side) {
        return variants.stream().filter(v -> v.side() == side)
                .reduce((a, b) -> a.mode().better(b.score(), a.score()) ? b : a);
    }

    private static Optional<Estimate> estimate(RowKey key, Optional<Variant> first, Optional<Variant> second,
            ReportSettings settings) {
        if (first.isEmpty() || second.isEmpty()) {
            return Optional.empty();
        }
        Variant a = first.get();
        Variant b = second.get();
        for (Variant variant : List.of(a, b)) {
            int forks = variant.forks().size();
            if (forks < 2 && !settings.allowOneFork()) {
                throw new ReportInputException(key.label() + ": the interval of " + a.side().title() + " against "
                        + b.side().title() + " needs at least 2 forks of each, but " + variant.describe() + " has "
                        + forks + " in " + variant.sourceNames() + "; run it with more forks (the class's own "
                        + "@Fork, or JMH -f 3), or pass --allow-one-fork for point estimates without intervals.");
            }
        }
        Contrast contrast = new Contrast(a.forkMeans(), b.forkMeans(), a.mode());
        return Optional.of(Estimate.of(List.of(contrast),
                key.label() + " " + a.side().method() + "/" + b.side().method(), settings));
    }

    private static int order(RowKey key) {
        List<String> ordered = Arrays.stream(BenchmarkGroup.values())
                .flatMap(group -> group.members().stream()).toList();
        int index = ordered.indexOf(key.simpleName());
        return index < 0 ? ordered.size() : index;
    }
}
