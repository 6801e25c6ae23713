package io.spinoff.benchmarks.report;

import io.spinoff.benchmarks.report.ChartAxes.DecadeLogAxis;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.SymbolAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * The chart of the Spinoff-vs-Pekko ratios: one line per benchmark row and one per group's
 * geometric mean, the ratio on a logarithmic axis with its 95% bootstrap interval as an error bar
 * (none when the results have a single fork), and a line at 1 where both sides are equal.
 */
final class RatioChart {
    private static final int WIDTH = 1000;
    private static final int HEIGHT_PER_ROW = 26;
    private static final int HEIGHT_OF_FRAME = 170;
    private static final double MARGIN = 1.15;
    private static final String GEOMETRIC_MEANS = "geometric means";
    private static final String OTHERS = "other benchmarks";
    private static final Map<String, Color> SERIES_COLOURS = Map.of(
            BenchmarkGroup.MICRO.title(), new Color(0xC0392B),
            BenchmarkGroup.CONCURRENCY.title(), new Color(0x1E8449),
            GEOMETRIC_MEANS, new Color(0x1F3A93),
            OTHERS, Color.DARK_GRAY);

    private RatioChart() {}

    /** One line of the chart. */
    private record Bar(String label, String series, Estimate estimate) {
        double lower() {
            return estimate.bootstrap().map(Interval::lower).orElse(estimate.point());
        }

        double upper() {
            return estimate.bootstrap().map(Interval::upper).orElse(estimate.point());
        }
    }

    /** @return whether some row has a Spinoff-vs-Pekko ratio, so that there is something to draw */
    static boolean hasRatios(List<Comparison> comparisons) {
        return comparisons.stream().anyMatch(c -> c.spinoffVsPekko().isPresent());
    }

    /**
     * Draws the ratios of {@code comparisons} (the groups' members first, each group followed by its
     * geometric mean, then the rows of no group) into a PNG file.
     *
     * @throws IllegalStateException if no row has a ratio (see {@link #hasRatios})
     * @throws IOException if the file cannot be written
     */
    static void write(Path png, List<Comparison> comparisons, List<GroupSummary> groups) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Bar> bars = bars(comparisons, groups);
        if (bars.isEmpty()) {
            throw new IllegalStateException("the ratio chart needs at least one row with a Spinoff-vs-Pekko ratio, "
                    + "got none");
        }
        Map<String, YIntervalSeries> series = new LinkedHashMap<>();
        String[] labels = new String[bars.size()];
        double lowest = 1;
        double highest = 1;
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            labels[i] = bar.label();
            series.computeIfAbsent(bar.series(), YIntervalSeries::new)
                    .add(i, bar.estimate().point(), bar.lower(), bar.upper());
            lowest = Math.min(lowest, bar.lower());
            highest = Math.max(highest, bar.upper());
        }
        YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
        series.values().forEach(dataset::addSeries);

        SymbolAxis benchmarks = new SymbolAxis(null, labels);
        benchmarks.setInverted(true);
        benchmarks.setGridBandsVisible(false);
        DecadeLogAxis ratio = new DecadeLogAxis("Spinoff vs Pekko (above 1: Spinoff better)");
        ratio.setRange(lowest / MARGIN, highest * MARGIN);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDrawYError(true);
        renderer.setDefaultLinesVisible(false);
        renderer.setCapLength(6);
        renderer.setErrorStroke(new BasicStroke(1.5f));
        List<String> names = new ArrayList<>(series.keySet());
        for (int i = 0; i < names.size(); i++) {
            renderer.setSeriesPaint(i, SERIES_COLOURS.get(names.get(i)));
        }
        XYPlot plot = new XYPlot(dataset, benchmarks, ratio, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        ValueMarker equal = new ValueMarker(1.0, Color.BLACK, new BasicStroke(1.2f));
        plot.addRangeMarker(equal);

        JFreeChart chart = new JFreeChart("Savina: Spinoff vs Pekko, best configuration of each",
                JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        boolean intervals = bars.stream().allMatch(bar -> bar.estimate().bootstrap().isPresent());
        chart.addSubtitle(new TextTitle(intervals
                ? "error bars: 95% bootstrap interval over forks; logarithmic scale"
                : "no error bars where a side has a single fork; logarithmic scale"));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT_OF_FRAME + HEIGHT_PER_ROW * bars.size());
    }

    private static List<Bar> bars(List<Comparison> comparisons, List<GroupSummary> groups) {
        List<Bar> bars = new ArrayList<>();
        for (GroupSummary group : groups) {
            for (Comparison row : group.rows()) {
                bars.add(new Bar(row.key().label(), group.group().title(), row.spinoffVsPekko().orElseThrow()));
            }
            group.geometricMean().ifPresent(mean -> bars.add(new Bar("geometric mean, " + group.group().title(),
                    GEOMETRIC_MEANS, mean)));
        }
        for (Comparison row : comparisons) {
            if (row.group().isEmpty() && row.spinoffVsPekko().isPresent()) {
                bars.add(new Bar(row.key().label(), OTHERS, row.spinoffVsPekko().get()));
            }
        }
        return bars;
    }
}
