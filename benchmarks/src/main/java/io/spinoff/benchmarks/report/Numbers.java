package io.spinoff.benchmarks.report;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * How the report writes its numbers: scores and ratios to a fixed number of significant digits,
 * trailing zeros kept so that a column reads evenly ({@code 1.10}, {@code 2.00}), and axis labels
 * without them ({@code 0.5}, {@code 2}).
 */
final class Numbers {
    private Numbers() {}

    /** @return {@code value} to {@code digits} significant digits, trailing zeros kept, without exponent */
    static String significant(double value, int digits) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(digits));
        int scale = digits - rounded.precision() + rounded.scale();
        return (scale > rounded.scale() ? rounded.setScale(scale) : rounded).toPlainString();
    }

    /** @return {@code value} to {@code digits} significant digits, without trailing zeros, for axis labels */
    static String label(double value, int digits) {
        return new BigDecimal(value).round(new MathContext(digits)).stripTrailingZeros().toPlainString();
    }

    /**
     * @return {@code value} to 3 significant digits with a unit prefix from a thousand up, for
     *     large counts and rates: {@code 950}, {@code 5.91 k}, {@code 2 M}, {@code 1.2 G}
     */
    static String compact(double value) {
        String[] prefixes = {"", " k", " M", " G"};
        int step = 0;
        double scaled = value;
        while (Math.abs(scaled) >= 1000 && step < prefixes.length - 1) {
            scaled /= 1000;
            step++;
        }
        return label(scaled, 3) + prefixes[step];
    }

    /** @return a ratio to 3 significant digits, e.g. {@code 1.63} */
    static String ratio(double value) {
        return significant(value, 3);
    }

    /** @return a score to 4 significant digits */
    static String score(double value) {
        return significant(value, 4);
    }
}
