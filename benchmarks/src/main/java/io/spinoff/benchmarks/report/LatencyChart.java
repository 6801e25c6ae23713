package io.spinoff.benchmarks.report;

import io.spinoff.benchmarks.report.ChartAxes.DecadeLogAxis;
import io.spinoff.benchmarks.report.ChartAxes.PercentileAxis;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Latency percentile curves: the percentile on an axis where each nine takes the same width (50,
 * 90, 99, 99.9, 99.99), the latency in microseconds on a logarithmic axis, one curve per framework
 * and setting.
 */
final class LatencyChart {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    private static final double MARGIN = 1.2;

    private LatencyChart() {}

    /**
     * Draws {@code points} (see {@link LatencyCsv}) into a PNG file.
     *
     * @param title the chart's title, e.g. the benchmark's name
     * @throws IllegalStateException if there are no points
     * @throws IOException if the file cannot be written
     */
    static void write(Path png, String title, List<LatencyCsv.Point> points) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (points.isEmpty()) {
            throw new IllegalStateException("a latency chart needs at least one point, got none");
        }
        Map<String, XYSeries> curves = new LinkedHashMap<>();
        for (LatencyCsv.Point point : points.stream().sorted(Comparator.comparingDouble(LatencyCsv.Point::percentile))
                .toList()) {
            curves.computeIfAbsent(point.curve(), name -> new XYSeries(name, true, false))
                    .add(ChartAxes.nines(point.percentile()), point.micros());
        }
        XYSeriesCollection dataset = new XYSeriesCollection();
        curves.values().forEach(dataset::addSeries);

        double lowestNines = points.stream().mapToDouble(p -> ChartAxes.nines(p.percentile())).min().orElseThrow();
        double highestNines = points.stream().mapToDouble(p -> ChartAxes.nines(p.percentile())).max().orElseThrow();
        PercentileAxis percentile = new PercentileAxis("percentile (%)");
        percentile.setRange(lowestNines - 0.1, highestNines + 0.1);
        DecadeLogAxis latency = new DecadeLogAxis("latency (µs)");
        latency.setRange(points.stream().mapToDouble(LatencyCsv.Point::micros).min().orElseThrow() / MARGIN,
                points.stream().mapToDouble(LatencyCsv.Point::micros).max().orElseThrow() * MARGIN);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < curves.size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(2f));
        }
        XYPlot plot = new XYPlot(dataset, percentile, latency, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);

        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }
}
