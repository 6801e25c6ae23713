package io.spinoff.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latency percentiles a benchmark writes for the report's curves, read from CSV.
 *
 * <p>The format: UTF-8 text, a header line {@code framework,setting,percentile,micros}, then one
 * line per point, for example {@code Spinoff,throughput=64,99.9,41.5}: the framework (Spinoff,
 * Pekko, ...), its configuration (may be empty), the percentile in percent (at least 0 and below
 * 100: the maximum has no place on the nines axis), and the latency at that percentile in
 * microseconds (positive). Each framework and setting becomes one curve; a percentile given more
 * than once for a curve (one line per fork, say) counts as the median of its values. Values hold no commas
 * and no quotes. Blank lines are skipped. An HdrHistogram gives the points with
 * {@code getValueAtPercentile(p)} for p = 50, 90, 99, 99.9, 99.99.
 */
final class LatencyCsv {
    /** The header line the file must begin with. */
    static final String HEADER = "framework,setting,percentile,micros";

    private LatencyCsv() {}

    /**
     * One point of a latency curve.
     *
     * @param framework e.g. {@code Spinoff}
     * @param setting e.g. {@code throughput=64}, or empty
     * @param percentile in percent, at least 0 and below 100
     * @param micros the latency at that percentile, in microseconds
     */
    record Point(String framework, String setting, double percentile, double micros) {
        /** @return the curve's name: the framework, followed by its setting if it has one */
        String curve() {
            return setting.isEmpty() ? framework : framework + " " + setting;
        }
    }

    /**
     * @throws ReportInputException naming the file and line if the file is missing or not in
     *     the format above
     */
    static List<Point> read(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ReportInputException("Latency file " + csv + " does not exist; run the benchmark that writes "
                    + "it first or correct the path.", e);
        } catch (IOException e) {
            throw new ReportInputException("Latency file " + csv + " cannot be read (" + e + "); check its "
                    + "permissions.", e);
        }
        if (lines.isEmpty() || !lines.get(0).strip().equals(HEADER)) {
            throw new ReportInputException(csv + ": the first line must be the header \"" + HEADER + "\", got \""
                    + (lines.isEmpty() ? "" : lines.get(0)) + "\"; write the latency CSV in that format.");
        }
        Map<String, List<Point>> byCurveAndPercentile = new LinkedHashMap<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (!line.isEmpty()) {
                Point point = point(csv, i + 1, line);
                byCurveAndPercentile.computeIfAbsent(point.curve() + "@" + point.percentile(), key -> new ArrayList<>())
                        .add(point);
            }
        }
        List<Point> points = new ArrayList<>();
        for (List<Point> same : byCurveAndPercentile.values()) {
            double[] values = same.stream().mapToDouble(Point::micros).sorted().toArray();
            int middle = values.length / 2;
            double median = values.length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2;
            Point first = same.get(0);
            points.add(new Point(first.framework(), first.setting(), first.percentile(), median));
        }
        if (points.isEmpty()) {
            throw new ReportInputException(csv + " holds a header but no points; write one line per percentile.");
        }
        return points;
    }

    private static Point point(Path csv, int lineNumber, String line) {
        String[] cells = line.split(",", -1);
        if (cells.length != 4) {
            throw new ReportInputException(csv + ", line " + lineNumber + ": expected 4 columns (" + HEADER
                    + "), got " + cells.length + " in \"" + line + "\".");
        }
        double percentile = number(csv, lineNumber, "percentile", cells[2]);
        double micros = number(csv, lineNumber, "micros", cells[3]);
        if (!(percentile >= 0 && percentile < 100)) {
            throw new ReportInputException(csv + ", line " + lineNumber + ": the percentile must be at least 0 and "
                    + "below 100, got " + cells[2] + "; leave the maximum (100) out.");
        }
        if (!(micros > 0) || Double.isInfinite(micros)) {
            throw new ReportInputException(csv + ", line " + lineNumber + ": the latency must be a positive number "
                    + "of microseconds, got " + cells[3] + ".");
        }
        if (cells[0].isBlank()) {
            throw new ReportInputException(csv + ", line " + lineNumber + ": the framework is empty; name it "
                    + "(Spinoff, Pekko, ...).");
        }
        return new Point(cells[0].strip(), cells[1].strip(), percentile, micros);
    }

    private static double number(Path csv, int lineNumber, String column, String cell) {
        try {
            return Double.parseDouble(cell.strip());
        } catch (NumberFormatException e) {
            throw new ReportInputException(csv + ", line " + lineNumber + ": the " + column + " column must be a "
                    + "number, got \"" + cell + "\".", e);
        }
    }
}
