package io.spinoff.benchmarks.report;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.axis.AxisState;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTick;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.Range;

/**
 * The two axes of the report's charts whose ticks JFreeChart does not place by itself: a
 * logarithmic axis ticked at 1, 2, 5, 10, ... (ratios, microseconds), and a percentile axis where
 * each "nine" takes the same width (50, 90, 99, 99.9, 99.99).
 */
final class ChartAxes {
    private ChartAxes() {}

    /** @return how many nines percentile {@code p} has: {@code -log10(1 - p / 100)}, so 99.9 gives 3 */
    static double nines(double percentile) {
        return -Math.log10(1 - percentile / 100);
    }

    /**
     * A logarithmic axis ticked at 1, 2 and 5 times the powers of ten; on a range narrower than a
     * decade, at every integer multiple.
     */
    static final class DecadeLogAxis extends LogAxis {
        private static final long serialVersionUID = 1L;

        /** Labels its ticks as {@code 2000000}; or, when compact, as {@code 2 M}. */
        private final boolean compact;

        DecadeLogAxis(String label) {
            this(label, false);
        }

        DecadeLogAxis(String label, boolean compact) {
            super(label);
            this.compact = compact;
        }

        @Override
        public List<NumberTick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea,
                RectangleEdge edge) {
            Range range = getRange();
            List<Double> values = multiples(range, new int[] {1, 2, 5});
            if (values.size() < 3 || range.getUpperBound() < 10 * range.getLowerBound()) {
                values = multiples(range, new int[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
            }
            List<NumberTick> ticks = new ArrayList<>();
            for (double value : values) {
                ticks.add(tick(value, compact ? Numbers.compact(value) : Numbers.label(value, 2), edge));
            }
            return ticks;
        }

        private static List<Double> multiples(Range range, int[] factors) {
            List<Double> values = new ArrayList<>();
            int lowest = (int) Math.floor(Math.log10(range.getLowerBound()));
            int highest = (int) Math.ceil(Math.log10(range.getUpperBound()));
            for (int decade = lowest; decade <= highest; decade++) {
                for (int factor : factors) {
                    double value = factor * Math.pow(10, decade);
                    if (range.contains(value)) {
                        values.add(value);
                    }
                }
            }
            return values;
        }
    }

    /**
     * A linear axis over {@link #nines} of the percentile, labelled with the percentiles 50, 90,
     * 99, 99.9 and so on that fall within its range.
     */
    static final class PercentileAxis extends NumberAxis {
        private static final long serialVersionUID = 1L;

        PercentileAxis(String label) {
            super(label);
        }

        @Override
        public List<NumberTick> refreshTicks(Graphics2D g2, AxisState state, Rectangle2D dataArea,
                RectangleEdge edge) {
            List<NumberTick> ticks = new ArrayList<>();
            if (getRange().contains(nines(50))) {
                ticks.add(tick(nines(50), "50", edge));
            }
            for (int count = 1; count <= 9; count++) {
                double percentile = 100 - 100 / Math.pow(10, count);
                if (getRange().contains(nines(percentile))) {
                    ticks.add(tick(nines(percentile), Numbers.label(percentile, count + 1), edge));
                }
            }
            return ticks;
        }
    }

    private static NumberTick tick(double value, String label, RectangleEdge edge) {
        TextAnchor anchor;
        if (edge == RectangleEdge.TOP) {
            anchor = TextAnchor.BOTTOM_CENTER;
        } else if (edge == RectangleEdge.BOTTOM) {
            anchor = TextAnchor.TOP_CENTER;
        } else if (edge == RectangleEdge.LEFT) {
            anchor = TextAnchor.CENTER_RIGHT;
        } else {
            anchor = TextAnchor.CENTER_LEFT;
        }
        return new NumberTick(value, label, anchor, TextAnchor.CENTER, 0);
    }
}
