package io.spinoff.benchmarks.report;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The JMH benchmark modes the report reads, each knowing which way is better: a time per
 * operation ({@code avgt}, {@code ss}) is better lower, a throughput ({@code thrpt}) higher.
 * JMH's {@code sample} mode is left out: its JSON holds histograms instead of one score per
 * iteration.
 */
enum MetricMode {
    THROUGHPUT("thrpt", false),
    AVERAGE_TIME("avgt", true),
    SINGLE_SHOT("ss", true);

    private final String label;
    private final boolean lowerIsBetter;

    MetricMode(String label, boolean lowerIsBetter) {
        this.label = label;
        this.lowerIsBetter = lowerIsBetter;
    }

    /** @return JMH's short label of the mode, as in its JSON ({@code "avgt"}) */
    String label() {
        return label;
    }

    /** @return whether a lower score is the better one */
    boolean lowerIsBetter() {
        return lowerIsBetter;
    }

    /**
     * How many times better score {@code a} is than score {@code b}: {@code b / a} for times,
     * {@code a / b} for throughputs, so that a value above 1 always favours {@code a}.
     */
    double advantage(double a, double b) {
        return lowerIsBetter ? b / a : a / b;
    }

    /** @return whether score {@code a} is better than score {@code b} */
    boolean better(double a, double b) {
        return lowerIsBetter ? a < b : a > b;
    }

    /**
     * @param label JMH's short label, as in the {@code "mode"} field of its JSON
     * @throws IllegalArgumentException naming the supported modes if the label is none of them
     */
    static MetricMode of(String label) {
        for (MetricMode mode : values()) {
            if (mode.label.equals(label)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("mode \"" + label + "\" is not supported; run the benchmark in one of "
                + Arrays.stream(values()).map(MetricMode::label).collect(Collectors.joining(", ")) + " (-bm)");
    }
}
