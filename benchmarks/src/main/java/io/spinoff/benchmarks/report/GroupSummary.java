package io.spinoff.benchmarks.report;

import io.spinoff.benchmarks.report.Estimate.Intervals;
import io.spinoff.benchmarks.report.Estimate.Unavailable;
import io.spinoff.benchmarks.report.ForkStatistics.Contrast;
import java.util.List;
import java.util.Optional;

/**
 * A {@link BenchmarkGroup}'s rows and the geometric mean of their Spinoff-vs-Pekko ratios. Its
 * bootstrap interval resamples the forks of every side of every row anew in each resample; its
 * Welch interval adds up the variances of the rows' log ratios.
 *
 * @param group the group
 * @param rows the group's rows that have a Spinoff-vs-Pekko ratio
 * @param missing the group's classes without such a ratio (not run, or one side missing)
 * @param geometricMean the geometric mean over {@code rows}, if there is a row
 */
record GroupSummary(BenchmarkGroup group, List<Comparison> rows, List<String> missing,
        Optional<Estimate> geometricMean) {

    GroupSummary {
        rows = List.copyOf(rows);
        missing = List.copyOf(missing);
    }

    /** Sums up the rows of {@code comparisons} that belong to {@code group}. */
    static GroupSummary of(BenchmarkGroup group, List<Comparison> comparisons, ReportSettings settings) {
        List<Comparison> rows = comparisons.stream()
                .filter(c -> c.group().equals(Optional.of(group)) && c.spinoffVsPekko().isPresent())
                .toList();
        List<String> missing = group.members().stream()
                .filter(member -> rows.stream().noneMatch(row -> row.key().simpleName().equals(member)))
                .toList();
        if (rows.isEmpty()) {
            return new GroupSummary(group, rows, missing, Optional.empty());
        }
        List<Contrast> contrasts = rows.stream().map(row -> new Contrast(row.spinoff().orElseThrow().forkMeans(),
                row.pekko().orElseThrow().forkMeans(), row.mode())).toList();
        return new GroupSummary(group, rows, missing,
                Optional.of(Estimate.of(contrasts, "group " + group.name(), settings)));
    }

    /** @return the rows whose bootstrap interval lies wholly below 1 (Spinoff surely slower) */
    List<Comparison> whollyBelowOne() {
        return rows.stream().filter(row -> row.spinoffVsPekko().flatMap(Estimate::bootstrap)
                .filter(interval -> interval.whollyBelow(1)).isPresent()).toList();
    }

    /**
     * The group's target: met when the lower end of the geometric mean's bootstrap interval
     * reaches {@link BenchmarkGroup#target()} and no row's interval lies wholly below 1; not
     * judged while a member is missing or the intervals are unavailable.
     */
    Verdict verdict() {
        if (geometricMean.isEmpty()) {
            return new Verdict(Verdict.Outcome.NOT_JUDGED, "no results");
        }
        Estimate mean = geometricMean.get();
        return switch (mean.uncertainty()) {
            case Unavailable unavailable -> new Verdict(Verdict.Outcome.NOT_JUDGED,
                    "intervals unavailable: " + unavailable.reason());
            case Intervals intervals when !whollyBelowOne().isEmpty() -> new Verdict(Verdict.Outcome.NOT_MET,
                    String.join(", ", whollyBelowOne().stream().map(row -> row.key().label()).toList())
                            + " wholly below 1");
            case Intervals intervals when !missing.isEmpty() -> new Verdict(Verdict.Outcome.NOT_JUDGED,
                    "incomplete: no Spinoff-vs-Pekko ratio for " + String.join(", ", missing));
            case Intervals intervals when intervals.bootstrap().lower() >= group.target() ->
                    new Verdict(Verdict.Outcome.MET, "lower end " + Numbers.ratio(intervals.bootstrap().lower())
                            + " ≥ " + Numbers.ratio(group.target())
                            + (intervals.welch().lower() < group.target()
                                    ? "; " + Verdict.welchRemark(intervals, group.target()) : ""));
            case Intervals intervals -> new Verdict(Verdict.Outcome.NOT_MET, "lower end "
                    + Numbers.ratio(intervals.bootstrap().lower()) + " < " + Numbers.ratio(group.target())
                    + (mean.point() >= group.target() ? ", although the point estimate reaches it" : ""));
        };
    }
}
