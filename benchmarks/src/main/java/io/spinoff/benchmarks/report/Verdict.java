package io.spinoff.benchmarks.report;

/**
 * Whether a target is met, judged on the lower end of the bootstrap interval.
 *
 * @param outcome met, not met, or not judged
 * @param reason why, e.g. {@code lower end 1.21 < 1.5}; empty when met without remark
 */
record Verdict(Outcome outcome, String reason) {

    /** The three outcomes of a verdict. */
    enum Outcome {
        MET("yes"),
        NOT_MET("no"),
        NOT_JUDGED("not judged");

        private final String word;

        Outcome(String word) {
            this.word = word;
        }

        /** @return the word the report prints */
        String word() {
            return word;
        }
    }

    /**
     * @return a remark for a target the bootstrap interval meets but the Welch interval's lower
     *     end does not reach, e.g. {@code Welch's lower end 1.41 < 1.50}; else an empty string
     */
    static String welchRemark(Estimate.Intervals intervals, double target) {
        double lower = intervals.welch().lower();
        return lower < target ? "Welch's lower end " + Numbers.ratio(lower) + " < " + Numbers.ratio(target) : "";
    }

    /** @return e.g. {@code no (lower end 1.21 < 1.5)} */
    String text() {
        return reason.isEmpty() ? outcome.word() : outcome.word() + " (" + reason + ")";
    }
}
