package io.spinoff.benchmarks.report;

import io.spinoff.benchmarks.report.Estimate.Intervals;
import io.spinoff.benchmarks.report.Estimate.Unavailable;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Markdown of the Savina results: a header naming the commit, JVM, forks and date; a table
 * per group with each benchmark's best configurations, their ratio and intervals, the target and
 * the efficiencies against the plain-Java baseline, followed by the group's geometric mean and
 * verdict; then every variant's score.
 *
 * @param results the results read
 * @param comparisons the rows, in the report's order
 * @param groups the groups' summaries
 * @param settings the bootstrap's settings
 * @param commit the commit measured, e.g. {@code 1a2b3c4}
 * @param date the day the report was written
 * @param charts the chart files to show, relative to the Markdown file
 */
record MarkdownReport(JmhResults results, List<Comparison> comparisons, List<GroupSummary> groups,
        ReportSettings settings, String commit, LocalDate date, List<String> charts) {

    private static final String NONE = "—";

    /** @return the whole Markdown document */
    String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Savina: Spinoff and Pekko\n\n");
        md.append(header()).append("\n\n");
        if (anyUnavailable()) {
            md.append("> **Intervals unavailable (1 fork).** Some variants were measured in a single fork, as in a "
                    + "quick development run: the table gives point estimates only, judges no target, and its "
                    + "figures are not to be quoted. Run `benchmarks/run-savina.sh` without `--quick` for the "
                    + "report.\n\n");
        }
        md.append(howToRead()).append("\n\n");
        for (String chart : charts) {
            md.append("![Spinoff vs Pekko](").append(chart).append(")\n\n");
        }
        for (GroupSummary group : groups) {
            List<Comparison> rows = comparisons.stream()
                    .filter(c -> c.group().equals(Optional.of(group.group()))).toList();
            if (rows.isEmpty() && group.missing().size() == group.group().members().size()) {
                continue;
            }
            md.append("## ").append(group.group().title()).append("\n\n");
            md.append("Target: geometric mean of the ratios ≥ ").append(Numbers.ratio(group.group().target()))
                    .append(", and no benchmark's interval wholly below 1.\n\n");
            table(md, rows, Optional.of(group.group().target()));
            md.append('\n').append(summary(group)).append("\n\n");
        }
        List<Comparison> others = comparisons.stream().filter(c -> c.group().isEmpty()).toList();
        if (!others.isEmpty()) {
            md.append("## Other benchmarks (no target)\n\n");
            table(md, others, Optional.empty());
            md.append('\n');
        }
        md.append("## Every variant\n\n");
        md.append("Score: the mean of the fork means. ± : JMH's 99.9% error, which counts every iteration as "
                + "independent and so understates the spread between forks; the range of the fork means shows "
                + "that spread.\n\n");
        md.append("| benchmark | method | setting | score | ± (JMH 99.9%) | forks × iterations | fork means, "
                + "lowest – highest |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Comparison row : comparisons) {
            for (Variant variant : row.variants().stream()
                    .sorted((a, b) -> a.side() != b.side() ? a.side().compareTo(b.side())
                            : RowKey.compareValues(a.setting(), b.setting()))
                    .toList()) {
                double[] means = variant.forkMeans();
                double error = ForkStatistics.jmhError(variant.forks());
                md.append("| ").append(row.key().label())
                        .append(" | ").append(variant.side().method())
                        .append(" | ").append(variant.setting().isEmpty() ? NONE : variant.setting())
                        .append(" | ").append(Numbers.score(variant.score())).append(' ').append(variant.unit())
                        .append(" | ").append(Double.isNaN(error) ? NONE : Numbers.score(error))
                        .append(" | ").append(variant.forks().size()).append(" × ").append(iterations(variant))
                        .append(" | ").append(Numbers.score(Arrays.stream(means).min().orElseThrow()))
                        .append(" – ").append(Numbers.score(Arrays.stream(means).max().orElseThrow()))
                        .append(" |\n");
            }
        }
        return md.toString();
    }

    private String header() {
        TreeSet<Integer> forks = results.variants().stream().map(v -> v.forks().size())
                .collect(Collectors.toCollection(TreeSet::new));
        String forkText = forks.size() == 1 ? forks.first() + (forks.first() == 1 ? " fork" : " forks") + " per variant"
                : forks.first() + " to " + forks.last() + " forks per variant (see the last table)";
        return "Commit `" + commit + "` · JVM: " + String.join("; ", results.jvms()) + " · " + forkText + " · "
                + String.join("; ", results.plans()) + " · " + date + " · from "
                + results.files().stream().map(Path::getFileName).map(Path::toString).collect(Collectors.joining(", "));
    }

    private String howToRead() {
        return "How to read: each side is shown in its best configuration (Spinoff's messages per turn, Pekko's "
                + "executor), the one with the best mean of fork means. **Spinoff vs Pekko** is above 1 when Spinoff "
                + "is better: Pekko's time over Spinoff's (for throughputs, Spinoff's over Pekko's). The interval in "
                + "brackets is a 95% percentile bootstrap, " + String.format("%,d", settings.resamples())
                + " resamples of the fork means of each side independently (seed " + settings.seed() + "); "
                + "**Welch** is the 95% Student interval on the logarithms of the fork means. A target is met when "
                + "the bootstrap interval's lower end reaches it. With few forks the bootstrap interval is narrower "
                + "than the truth, and the best configurations are chosen on the same data: where the two "
                + "intervals differ, trust the wider. **Efficiency** compares a side with the plain-Java baseline "
                + "on 2 threads the same way (the baseline's time over the side's: 1 is as fast as plain Java).";
    }

    private static void table(StringBuilder md, List<Comparison> rows, Optional<Double> target) {
        md.append("| benchmark | Spinoff best | Pekko best | Spinoff vs Pekko [95% bootstrap] | Welch 95% | ")
                .append(target.map(t -> "≥ " + Numbers.ratio(t) + "?").orElse("wholly below 1?"))
                .append(" | Spinoff efficiency | Pekko efficiency |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Comparison row : rows) {
            md.append("| ").append(row.key().label())
                    .append(" | ").append(best(row.spinoff()))
                    .append(" | ").append(best(row.pekko()))
                    .append(" | ").append(row.spinoffVsPekko().map(MarkdownReport::withBootstrap).orElse(NONE))
                    .append(" | ").append(row.spinoffVsPekko().map(MarkdownReport::welch).orElse(NONE))
                    .append(" | ").append(target.map(t -> row.verdict(t).text()).orElseGet(() -> whollyBelow(row)))
                    .append(" | ").append(row.spinoffEfficiency().map(MarkdownReport::withBootstrap).orElse(NONE))
                    .append(" | ").append(row.pekkoEfficiency().map(MarkdownReport::withBootstrap).orElse(NONE))
                    .append(" |\n");
        }
    }

    private static String summary(GroupSummary group) {
        if (group.geometricMean().isEmpty()) {
            return "No benchmark of this group has both Spinoff and Pekko results.";
        }
        Estimate mean = group.geometricMean().get();
        String intervals = switch (mean.uncertainty()) {
            case Intervals i -> " " + interval(i.bootstrap()) + " (bootstrap), " + interval(i.welch()) + " (Welch)";
            case Unavailable u -> " (interval unavailable: " + u.reason() + ")";
        };
        List<Comparison> below = group.whollyBelowOne();
        return "Geometric mean over " + group.rows().size() + (group.rows().size() == 1 ? " row" : " rows") + ": **"
                + Numbers.ratio(mean.point()) + "**" + intervals + ". "
                + (mean.bootstrap().isEmpty() ? ""
                        : "Wholly below 1: " + (below.isEmpty() ? "none"
                                : below.stream().map(c -> c.key().label()).collect(Collectors.joining(", ")))
                                + ". ")
                + (group.missing().isEmpty() ? "" : "Missing: " + String.join(", ", group.missing()) + ". ")
                + "Target met: **" + group.verdict().text() + "**.";
    }

    private static String best(Optional<Variant> variant) {
        return variant.map(v -> Numbers.score(v.score()) + " " + v.unit()
                + (v.setting().isEmpty() ? "" : " (" + v.setting() + ")")).orElse(NONE);
    }

    private static String withBootstrap(Estimate estimate) {
        return Numbers.ratio(estimate.point()) + " " + switch (estimate.uncertainty()) {
            case Intervals i -> interval(i.bootstrap());
            case Unavailable u -> "(no interval: " + u.reason() + ")";
        };
    }

    private static String welch(Estimate estimate) {
        return switch (estimate.uncertainty()) {
            case Intervals i -> interval(i.welch());
            case Unavailable u -> NONE;
        };
    }

    private static String whollyBelow(Comparison row) {
        return row.spinoffVsPekko().flatMap(Estimate::bootstrap)
                .map(interval -> interval.whollyBelow(1) ? "yes" : "no").orElse(NONE);
    }

    private static String interval(Interval interval) {
        return "[" + Numbers.ratio(interval.lower()) + ", " + Numbers.ratio(interval.upper()) + "]";
    }

    private static String iterations(Variant variant) {
        TreeSet<Integer> counts = variant.forks().stream().map(fork -> fork.length)
                .collect(Collectors.toCollection(TreeSet::new));
        return counts.size() == 1 ? String.valueOf(counts.first()) : counts.first() + "–" + counts.last();
    }

    private boolean anyUnavailable() {
        return comparisons.stream()
                .flatMap(c -> Stream.of(c.spinoffVsPekko(), c.spinoffEfficiency(), c.pekkoEfficiency()))
                .flatMap(Optional::stream)
                .anyMatch(e -> e.uncertainty() instanceof Unavailable);
    }
}
