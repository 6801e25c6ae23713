package io.spinoff.benchmarks.report;

import io.spinoff.benchmarks.report.ChartAxes.DecadeLogAxis;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * How a score grows with a parameter, for every framework and setting: a chart with both axes
 * logarithmic (the parameter across, the score up; each point the mean of the fork means, its bar
 * from the lowest to the highest fork mean), and the same figures as a Markdown table.
 *
 * <pre>
 * java -cp benchmarks.jar io.spinoff.benchmarks.report.CurveReport [--method-prefix P] [--times-x] \
 *     OUT.png X_PARAM "TITLE" "SCORE LABEL" RESULTS.json [MORE.json ...]
 * </pre>
 *
 * <p>{@code X_PARAM} is the numeric JMH parameter across the chart, e.g. {@code actors} or
 * {@code peers}. One curve is drawn per side (Spinoff, Pekko, baseline) and per value of every
 * other parameter that differs between the results, e.g. {@code Pekko executor=fj-64}. Forks of the
 * same variant in several files are merged as in {@link BenchmarkReport}. {@code --method-prefix}
 * reads methods named with a prefix before the side, e.g. {@code remoteTell} for
 * {@code remoteTellSpinoff} and {@code remoteTellPekko}, and leaves out every other method.
 * {@code --times-x} multiplies each score by its parameter (rounds per second over {@code actors}
 * workers are then messages per second). The Markdown table is written beside the chart, as
 * {@code OUT.md}.
 *
 * <p>Bad input (a missing file, a result without the parameter or with a value that is not a
 * positive number) ends with a message naming it and status 2.
 */
public final class CurveReport {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 600;
    private static final double MARGIN = 1.3;
    private static final String METHOD_PREFIX = "--method-prefix";
    private static final String TIMES_X = "--times-x";
    /** Each side's curves in shades of its own colour: Spinoff's greens, Pekko's reds, the baseline's greys. */
    private static final Map<Side, Color[]> COLOURS = Map.of(
            Side.SPINOFF, new Color[] {new Color(0x1E8449), new Color(0x1F618D), new Color(0x52BE80), new Color(0x5DADE2)},
            Side.PEKKO, new Color[] {new Color(0xC0392B), new Color(0xD35400), new Color(0xEC7063), new Color(0xF5B041)},
            Side.BASELINE, new Color[] {Color.DARK_GRAY, Color.GRAY});

    private CurveReport() {}

    /**
     * One point of a curve.
     *
     * @param x the parameter's value
     * @param score the mean of the fork means, times {@code x} under {@code --times-x}
     * @param lowest the lowest fork mean, scaled as {@code score}
     * @param highest the highest fork mean, scaled as {@code score}
     * @param forks how many forks were measured
     */
    record Point(double x, double score, double lowest, double highest, int forks) {}

    /**
     * The curves of some results, by name in the order of their first result.
     *
     * @param xParam the parameter across
     * @param unit the scores' unit, times the parameter under {@code --times-x}
     * @param curves each curve's points, in increasing {@code x}
     */
    record Curves(String xParam, String unit, Map<String, List<Point>> curves) {

        /**
         * Groups the variants of {@code results} into curves.
         *
         * @throws ReportInputException if a variant lacks {@code xParam} or its value is not a
         *     positive number, or if the variants have different units
         */
        static Curves of(JmhResults results, String xParam, boolean timesX) {
            Set<String> units = results.variants().stream().map(Variant::unit).collect(Collectors.toSet());
            if (units.size() != 1) {
                throw new ReportInputException("The results mix units " + units + "; give the files of one benchmark"
                        + " mode and time unit, or a narrower --method-prefix.");
            }
            Map<String, Set<String>> valuesOf = new TreeMap<>();
            for (Variant variant : results.variants()) {
                if (!variant.params().containsKey(xParam)) {
                    throw new ReportInputException(variant.describe() + " has no parameter " + xParam + " (it has "
                            + variant.params().keySet() + "); name one of those, or leave that result out.");
                }
                variant.params().forEach((name, value) -> valuesOf.computeIfAbsent(name, n -> new TreeSet<>()).add(value));
            }
            Set<String> varying = valuesOf.entrySet().stream()
                    .filter(e -> !e.getKey().equals(xParam) && e.getValue().size() > 1)
                    .map(Map.Entry::getKey).collect(Collectors.toCollection(TreeSet::new));
            Map<String, List<Point>> curves = new LinkedHashMap<>();
            List<Variant> bySide = results.variants().stream()
                    .sorted(Comparator.comparing(Variant::side)).toList();
            for (Variant variant : bySide) {
                double x = xValue(variant, xParam);
                double factor = timesX ? x : 1;
                double[] means = variant.forkMeans();
                Point point = new Point(x, variant.score() * factor,
                        Arrays.stream(means).min().orElseThrow() * factor,
                        Arrays.stream(means).max().orElseThrow() * factor, means.length);
                curves.computeIfAbsent(curveName(variant, varying), name -> new ArrayList<>()).add(point);
            }
            curves.replaceAll((name, points) -> points.stream().sorted(Comparator.comparingDouble(Point::x)).toList());
            String unit = units.iterator().next();
            return new Curves(xParam, timesX ? unit + " × " + xParam : unit, curves);
        }

        private static double xValue(Variant variant, String xParam) {
            String value = variant.params().get(xParam);
            double x;
            try {
                x = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                x = Double.NaN;
            }
            if (!(x > 0) || Double.isInfinite(x)) {
                throw new ReportInputException(variant.describe() + ": parameter " + xParam + " is " + value
                        + ", not a positive number, so it cannot lie on a logarithmic axis; choose a numeric parameter.");
            }
            return x;
        }

        private static String curveName(Variant variant, Set<String> varying) {
            SortedMap<String, String> shown = new TreeMap<>(variant.params());
            shown.keySet().retainAll(varying);
            String settings = shown.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(", "));
            return variant.side().title() + (settings.isEmpty() ? "" : " " + settings);
        }

        /** @return a Markdown table: a row per value of the parameter, a column per curve */
        String markdown() {
            List<String> names = new ArrayList<>(curves.keySet());
            TreeSet<Double> xs = curves.values().stream().flatMap(List::stream).map(Point::x)
                    .collect(Collectors.toCollection(TreeSet::new));
            StringBuilder out = new StringBuilder();
            out.append("| ").append(xParam).append(" | ").append(String.join(" | ", names)).append(" |\n");
            out.append("|---").append("|---".repeat(names.size())).append("|\n");
            for (double x : xs) {
                out.append("| ").append(Numbers.label(x, 6));
                for (String name : names) {
                    out.append(" | ").append(curves.get(name).stream().filter(p -> p.x() == x).findFirst()
                            .map(p -> Numbers.compact(p.score()) + " (" + Numbers.compact(p.lowest()) + "–"
                                    + Numbers.compact(p.highest()) + ")")
                            .orElse("—"));
                }
                out.append(" |\n");
            }
            out.append("\nScores in ").append(unit).append("; each the mean of the fork means, the lowest and highest"
                    + " fork mean in brackets.\n");
            return out.toString();
        }
    }

    /**
     * @param args {@code [--method-prefix P] [--times-x] OUT.png X_PARAM TITLE SCORE_LABEL RESULTS.json...}
     */
    public static void main(String[] args) {
        List<String> arguments = new ArrayList<>(Arrays.asList(args));
        boolean timesX = arguments.remove(TIMES_X);
        String prefix = "";
        int at = arguments.indexOf(METHOD_PREFIX);
        if (at >= 0 && at + 1 < arguments.size()) {
            prefix = arguments.remove(at + 1);
            arguments.remove(at);
        }
        if (arguments.size() < 5 || arguments.stream().anyMatch(a -> a.startsWith("--"))) {
            System.err.println("usage: CurveReport [" + METHOD_PREFIX + " P] [" + TIMES_X + "] OUT.png X_PARAM TITLE "
                    + "SCORE_LABEL RESULTS.json [MORE.json ...]");
            System.exit(2);
        }
        Path png = Path.of(arguments.get(0));
        try {
            Curves curves = Curves.of(JmhResults.read(
                    arguments.subList(4, arguments.size()).stream().map(Path::of).toList(), prefix),
                    arguments.get(1), timesX);
            write(png, arguments.get(2), arguments.get(3), curves);
            Path markdown = markdownBeside(png);
            Files.writeString(markdown, curves.markdown(), StandardCharsets.UTF_8);
            System.out.print(curves.markdown());
            System.out.println("wrote " + png + " and " + markdown);
        } catch (ReportInputException e) {
            System.err.println("CurveReport: " + e.getMessage());
            System.exit(2);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("CurveReport: cannot write " + png + ": " + e);
            System.exit(1);
        }
    }

    /** @return {@code OUT.md} for {@code OUT.png} */
    static Path markdownBeside(Path png) {
        String name = png.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return png.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".md");
    }

    /**
     * Draws {@code curves} into a PNG file: the parameter across and the score up, both on
     * logarithmic axes, a bar from the lowest to the highest fork mean at each point.
     *
     * @throws IOException if the file cannot be written
     */
    static void write(Path png, String title, String scoreLabel, Curves curves) throws IOException {
        System.setProperty("java.awt.headless", "true");
        YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
        double lowestX = Double.MAX_VALUE;
        double highestX = 0;
        double lowestY = Double.MAX_VALUE;
        double highestY = 0;
        for (Map.Entry<String, List<Point>> curve : curves.curves().entrySet()) {
            YIntervalSeries series = new YIntervalSeries(curve.getKey(), false, false);
            for (Point point : curve.getValue()) {
                series.add(point.x(), point.score(), point.lowest(), point.highest());
                lowestX = Math.min(lowestX, point.x());
                highestX = Math.max(highestX, point.x());
                lowestY = Math.min(lowestY, point.lowest());
                highestY = Math.max(highestY, point.highest());
            }
            dataset.addSeries(series);
        }
        DecadeLogAxis across = new DecadeLogAxis(curves.xParam());
        across.setRange(lowestX / MARGIN, highestX * MARGIN);
        DecadeLogAxis up = new DecadeLogAxis(scoreLabel, true);
        up.setRange(lowestY / MARGIN, highestY * MARGIN);
        XYErrorRenderer renderer = new XYErrorRenderer();
        renderer.setDrawXError(false);
        renderer.setDrawYError(true);
        renderer.setDefaultLinesVisible(true);
        renderer.setCapLength(6);
        int[] perSide = new int[Side.values().length];
        int i = 0;
        for (String name : curves.curves().keySet()) {
            Side side = Arrays.stream(Side.values()).filter(s -> name.startsWith(s.title())).findFirst()
                    .orElse(Side.BASELINE);
            Color[] shades = COLOURS.get(side);
            renderer.setSeriesPaint(i, shades[perSide[side.ordinal()]++ % shades.length]);
            renderer.setSeriesStroke(i, new BasicStroke(2f));
            i++;
        }
        XYPlot plot = new XYPlot(dataset, across, up, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.addSubtitle(new TextTitle("points: mean of fork means; bars: lowest to highest fork mean; "
                + "logarithmic scales"));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, WIDTH, HEIGHT);
    }
}
