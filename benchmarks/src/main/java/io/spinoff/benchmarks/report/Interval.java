package io.spinoff.benchmarks.report;

/**
 * A two-sided interval of a ratio, both ends included.
 *
 * @param lower the lower end
 * @param upper the upper end, not below {@code lower}
 */
record Interval(double lower, double upper) {
    Interval {
        if (!(lower <= upper)) {
            throw new IllegalStateException("an interval's lower end must not exceed its upper end: expected "
                    + lower + " <= " + upper);
        }
    }

    /** @return whether {@code value} lies within the interval */
    boolean contains(double value) {
        return lower <= value && value <= upper;
    }

    /** @return whether the whole interval lies below {@code value} */
    boolean whollyBelow(double value) {
        return upper < value;
    }
}
