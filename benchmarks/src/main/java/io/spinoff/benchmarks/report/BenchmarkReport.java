package io.spinoff.benchmarks.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Turns JMH JSON results of the Savina benchmarks into {@code savina.md} and
 * {@code savina-ratios.png}, and latency percentile CSV files into {@code latency-*.png}.
 *
 * <pre>
 * java -cp benchmarks.jar io.spinoff.benchmarks.report.BenchmarkReport [--allow-one-fork] \
 *     OUT_DIR RESULTS.json [MORE.json ...] [LATENCY.csv ...]
 * </pre>
 *
 * <p>The pipeline: {@link JmhResults} reads the JSON files and merges the forks of one benchmark
 * method with one set of parameters across files; {@link Comparison} makes one row per benchmark
 * class and problem size, with the best Spinoff configuration ({@code throughput}), the best Pekko
 * configuration ({@code executor}) and the baseline, and their ratios with intervals
 * ({@link ForkStatistics}, over fork means); {@link GroupSummary} takes the geometric mean over
 * each {@link BenchmarkGroup}; {@link MarkdownReport} and {@link RatioChart} write them out. Each
 * file ending in {@code .csv} is a {@link LatencyCsv} file, drawn by {@link LatencyChart} into
 * {@code OUT_DIR/latency-NAME.png} (NAME: the file's name without {@code .csv} and without a
 * leading {@code latency-}).
 *
 * <p>System properties: {@code commit} (the commit named in the header; by default
 * {@code git rev-parse --short HEAD} in the working directory), {@code seed} and {@code resamples}
 * (the bootstrap's). {@code --allow-one-fork} reports benchmarks measured in a single fork with
 * "interval unavailable" instead of failing, for quick development runs.
 *
 * <p>Bad input (a missing file, a file that is not JMH JSON, a benchmark with fewer than 2 forks
 * for an interval) ends with a message naming the file or benchmark and what to do, and status 2.
 */
public final class BenchmarkReport {
    /** The Markdown file written into the output directory. */
    static final String MARKDOWN = "savina.md";

    /** The ratio chart written into the output directory. */
    static final String RATIO_CHART = "savina-ratios.png";

    private static final String ALLOW_ONE_FORK = "--allow-one-fork";

    private BenchmarkReport() {}

    /**
     * @param args {@code [--allow-one-fork] OUT_DIR RESULTS.json [MORE.json ...] [LATENCY.csv ...]}
     */
    public static void main(String[] args) {
        List<String> arguments = new ArrayList<>(Arrays.asList(args));
        boolean allowOneFork = arguments.remove(ALLOW_ONE_FORK);
        if (arguments.size() < 2 || arguments.stream().anyMatch(a -> a.startsWith("--"))) {
            System.err.println("usage: BenchmarkReport [" + ALLOW_ONE_FORK + "] OUT_DIR RESULTS.json [MORE.json ...] "
                    + "[LATENCY.csv ...]");
            System.exit(2);
        }
        try {
            ReportSettings settings = new ReportSettings(
                    Long.getLong("seed", ReportSettings.DEFAULT_SEED),
                    Integer.getInteger("resamples", ReportSettings.DEFAULT_RESAMPLES),
                    allowOneFork);
            List<Path> written = write(Path.of(arguments.get(0)),
                    arguments.subList(1, arguments.size()).stream().map(Path::of).toList(),
                    settings, commit(), LocalDate.now(ZoneOffset.UTC));
            written.forEach(path -> System.out.println("wrote " + path));
        } catch (ReportInputException | IllegalArgumentException e) {
            System.err.println("BenchmarkReport: " + e.getMessage());
            System.exit(2);
        } catch (IOException | UncheckedIOException e) {
            System.err.println("BenchmarkReport: cannot write the report into " + arguments.get(0) + ": " + e);
            System.exit(1);
        }
    }

    /**
     * Writes the report of {@code inputs} (JMH JSON files, and latency CSV files ending in
     * {@code .csv}) into {@code outDir}, creating it if needed.
     *
     * @return the files written
     * @throws ReportInputException if an input cannot be used, with what to do about it
     * @throws IOException if an output file cannot be written
     */
    static List<Path> write(Path outDir, List<Path> inputs, ReportSettings settings, String commit, LocalDate date)
            throws IOException {
        List<Path> jsonFiles = inputs.stream().filter(path -> !isCsv(path)).toList();
        List<Path> csvFiles = inputs.stream().filter(BenchmarkReport::isCsv).toList();
        JmhResults results = JmhResults.read(jsonFiles);
        List<Comparison> comparisons = Comparison.of(results, settings);
        List<GroupSummary> groups = Arrays.stream(BenchmarkGroup.values())
                .map(group -> GroupSummary.of(group, comparisons, settings)).toList();
        List<LatencyCurves> curves = csvFiles.stream().map(LatencyCurves::read).toList();

        Files.createDirectories(outDir);
        List<Path> written = new ArrayList<>();
        List<String> charts = new ArrayList<>();
        if (RatioChart.hasRatios(comparisons)) {
            Path chart = outDir.resolve(RATIO_CHART);
            RatioChart.write(chart, comparisons, groups);
            charts.add(RATIO_CHART);
            written.add(chart);
        }
        Path markdown = outDir.resolve(MARKDOWN);
        Files.writeString(markdown, new MarkdownReport(results, comparisons, groups, settings, commit, date, charts)
                .render(), StandardCharsets.UTF_8);
        written.add(0, markdown);
        for (LatencyCurves curve : curves) {
            Path chart = outDir.resolve("latency-" + curve.name() + ".png");
            LatencyChart.write(chart, curve.name(), curve.points());
            written.add(chart);
        }
        return written;
    }

    /** A latency CSV file's points and the name its chart takes from the file. */
    private record LatencyCurves(String name, List<LatencyCsv.Point> points) {
        static LatencyCurves read(Path csv) {
            String file = csv.getFileName().toString();
            String name = file.substring(0, file.length() - ".csv".length());
            return new LatencyCurves(name.startsWith("latency-") ? name.substring("latency-".length()) : name,
                    LatencyCsv.read(csv));
        }
    }

    private static boolean isCsv(Path path) {
        return path.getFileName().toString().endsWith(".csv");
    }

    /**
     * @return the {@code commit} system property, else the short hash of the working directory's
     *     HEAD (marked when there are uncommitted changes), else a note saying how to give it
     */
    private static String commit() {
        String given = System.getProperty("commit");
        if (given != null && !given.isBlank()) {
            return given;
        }
        try {
            String head = git("rev-parse", "--short", "HEAD");
            if (head.isEmpty()) {
                return "unknown (pass -Dcommit=...)";
            }
            return git("status", "--porcelain", "--untracked-files=no").isEmpty() ? head
                    : head + " with uncommitted changes";
        } catch (IOException e) {
            return "unknown (pass -Dcommit=...)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (pass -Dcommit=...)";
        }
    }

    private static String git(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("git"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (!process.waitFor(10, TimeUnit.SECONDS) || process.exitValue() != 0) {
            process.destroy();
            return "";
        }
        return out;
    }
}
