package io.spinoff.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.benchmarks.report.Estimate.Intervals;
import io.spinoff.benchmarks.report.Estimate.Unavailable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report on JMH JSON files written by the tests: merging, choice of the best configurations,
 * the direction of the ratios, the intervals, the errors on bad input, and the files written.
 */
class BenchmarkReportTest {
    private static final String PING_PONG = "io.spinoff.benchmarks.SavinaPingPong";
    private static final String COUNTING = "io.spinoff.benchmarks.SavinaCounting";
    private static final ReportSettings SETTINGS = new ReportSettings(ReportSettings.DEFAULT_SEED, 10_000, false);
    private static final LocalDate DATE = LocalDate.of(2026, 12, 2);

    @TempDir
    Path dir;

    @Test
    void forksOfOneVariantAreMergedAcrossFiles() throws IOException {
        Path first = new JmhJson()
                .add(PING_PONG + ".spinoff", "avgt", "ms/op", List.of("throughput", "64"), new double[] {10, 10},
                        new double[] {11, 11})
                .write(dir, "first.json");
        Path second = new JmhJson()
                .add(PING_PONG + ".spinoff", "avgt", "ms/op", List.of("throughput", "64"), new double[] {12, 12})
                .add(PING_PONG + ".spinoff", "avgt", "ms/op", List.of("throughput", "5"), new double[] {30, 30})
                .write(dir, "second.json");

        JmhResults results = JmhResults.read(List.of(first, second));

        assertEquals(2, results.variants().size(), "one variant per set of parameters");
        Variant merged = results.variants().get(0);
        assertEquals("throughput=64", merged.setting());
        assertEquals(List.of(10.0, 11.0, 12.0), Arrays.stream(merged.forkMeans()).boxed().toList(),
                "the forks of both files, in the order of the files");
        assertEquals(List.of(first, second), merged.sources());
        assertEquals(1, results.variants().get(1).forks().size());
    }

    @Test
    void eachSideIsShownInItsBestConfigurationByTheMeanOfForkMeans() throws IOException {
        JmhJson json = new JmhJson();
        addSide(json, PING_PONG, "spinoff", "avgt", "ms/op", Map.of("5", 14.0, "64", 10.0, "256", 12.0));
        addSide(json, PING_PONG, "pekko", "avgt", "ms/op",
                Map.of("fj-5", 30.0, "fj-64", 25.0, "fj-256", 26.0, "affinity", 20.0));
        addSide(json, COUNTING, "spinoff", "thrpt", "ops/s", Map.of("5", 140.0, "64", 100.0, "256", 120.0));
        addSide(json, COUNTING, "pekko", "thrpt", "ops/s",
                Map.of("fj-5", 30.0, "fj-64", 55.0, "fj-256", 26.0, "affinity", 20.0));

        List<Comparison> rows = Comparison.of(JmhResults.read(List.of(json.write(dir, "r.json"))), SETTINGS);

        Comparison pingPong = row(rows, "SavinaPingPong");
        assertEquals("throughput=64", pingPong.spinoff().orElseThrow().setting(), "the lowest time");
        assertEquals("executor=affinity", pingPong.pekko().orElseThrow().setting(), "the lowest time");
        Comparison counting = row(rows, "SavinaCounting");
        assertEquals("throughput=5", counting.spinoff().orElseThrow().setting(), "the highest throughput");
        assertEquals("executor=fj-64", counting.pekko().orElseThrow().setting(), "the highest throughput");
        assertEquals(List.of("SavinaPingPong", "SavinaCounting"),
                rows.stream().map(r -> r.key().simpleName()).toList(), "the micro group's order");
    }

    @Test
    void ratiosAreAboveOneWhenSpinoffIsBetterInBothModes() throws IOException {
        JmhJson json = new JmhJson();
        // Times: Spinoff takes half of Pekko's time.
        addSide(json, PING_PONG, "spinoff", "avgt", "ms/op", Map.of("64", 10.0));
        addSide(json, PING_PONG, "pekko", "avgt", "ms/op", Map.of("fj-64", 20.0));
        // Throughputs: Spinoff does half of Pekko's operations per second.
        addSide(json, COUNTING, "spinoff", "thrpt", "ops/ms", Map.of("64", 50.0));
        addSide(json, COUNTING, "pekko", "thrpt", "ops/ms", Map.of("fj-64", 100.0));

        List<Comparison> rows = Comparison.of(JmhResults.read(List.of(json.write(dir, "r.json"))), SETTINGS);

        assertEquals(2.0, row(rows, "SavinaPingPong").spinoffVsPekko().orElseThrow().point(), 1e-9,
                "Pekko's time over Spinoff's");
        assertEquals(0.5, row(rows, "SavinaCounting").spinoffVsPekko().orElseThrow().point(), 1e-9,
                "Spinoff's throughput over Pekko's");
    }

    @Test
    void theBootstrapIntervalContainsThePointAndTheSameSeedGivesTheSameInterval() throws IOException {
        JmhJson json = new JmhJson();
        json.add(PING_PONG + ".spinoff", "avgt", "ms/op", List.of("throughput", "64"),
                JmhJson.forks(10, 0.93, 1.02, 1.08, 0.97, 1.05));
        json.add(PING_PONG + ".pekko", "avgt", "ms/op", List.of("executor", "fj-64"),
                JmhJson.forks(12, 1.1, 0.9, 1.04, 0.95));
        Path file = json.write(dir, "r.json");

        Estimate once = Comparison.of(JmhResults.read(List.of(file)), SETTINGS).get(0).spinoffVsPekko().orElseThrow();
        Estimate again = Comparison.of(JmhResults.read(List.of(file)), SETTINGS).get(0).spinoffVsPekko().orElseThrow();
        Estimate otherSeed = Comparison.of(JmhResults.read(List.of(file)), new ReportSettings(7, 10_000, false))
                .get(0).spinoffVsPekko().orElseThrow();

        Interval bootstrap = once.bootstrap().orElseThrow();
        assertTrue(bootstrap.contains(once.point()), bootstrap + " should contain " + once.point());
        assertTrue(bootstrap.lower() < once.point() && once.point() < bootstrap.upper(), "a spread, not a point");
        assertEquals(once, again, "the same seed gives the same numbers");
        assertNotEquals(bootstrap, otherSeed.bootstrap().orElseThrow(), "the seed is used");
        Interval welch = ((Intervals) once.uncertainty()).welch();
        assertTrue(welch.contains(once.point()), welch + " should contain " + once.point());
    }

    @Test
    void aClearlyFasterSpinoffHasALowerEndAboveOneAndMeetsItsTarget() throws IOException {
        JmhJson json = new JmhJson();
        json.add(PING_PONG + ".spinoff", "avgt", "ms/op", List.of("throughput", "64"),
                JmhJson.forks(10, 0.98, 1.0, 1.03));
        json.add(PING_PONG + ".pekko", "avgt", "ms/op", List.of("executor", "fj-64"),
                JmhJson.forks(20, 1.02, 0.97, 1.0));

        Comparison row = Comparison.of(JmhResults.read(List.of(json.write(dir, "r.json"))), SETTINGS).get(0);

        Estimate ratio = row.spinoffVsPekko().orElseThrow();
        Intervals intervals = (Intervals) ratio.uncertainty();
        assertTrue(intervals.bootstrap().lower() > 1.8, "bootstrap " + intervals.bootstrap());
        assertTrue(intervals.welch().lower() > 1.5, "Welch " + intervals.welch());
        assertEquals(Verdict.Outcome.MET, row.verdict(1.5).outcome());
        assertEquals(Verdict.Outcome.NOT_MET, row.verdict(2.5).outcome(), "the lower end is below 2.5");
    }

    @Test
    void aSlowerSpinoffIsWhollyBelowOneAndFailsItsGroup() throws IOException {
        JmhJson json = new JmhJson();
        json.add(PING_PONG + ".spinoff", "avgt", "ms/op", List.of("throughput", "64"),
                JmhJson.forks(30, 0.98, 1.0, 1.03));
        json.add(PING_PONG + ".pekko", "avgt", "ms/op", List.of("executor", "fj-64"),
                JmhJson.forks(20, 1.02, 0.97, 1.0));
        json.add(COUNTING + ".spinoff", "avgt", "ms/op", List.of("throughput", "64"),
                JmhJson.forks(5, 0.98, 1.0, 1.03));
        json.add(COUNTING + ".pekko", "avgt", "ms/op", List.of("executor", "fj-64"),
                JmhJson.forks(20, 1.02, 0.97, 1.0));
        List<Comparison> rows = Comparison.of(JmhResults.read(List.of(json.write(dir, "r.json"))), SETTINGS);

        GroupSummary micro = GroupSummary.of(BenchmarkGroup.MICRO, rows, SETTINGS);

        assertEquals(Verdict.Outcome.NOT_MET, row(rows, "SavinaPingPong").verdict(1.5).outcome());
        assertEquals(List.of("SavinaPingPong"), micro.whollyBelowOne().stream().map(r -> r.key().simpleName()).toList());
        Estimate mean = micro.geometricMean().orElseThrow();
        // Fork factors 0.98, 1.0, 1.03 (sum 3.01) for Spinoff and 1.02, 0.97, 1.0 (sum 2.99) for Pekko.
        double pingPong = 20 * 2.99 / (30 * 3.01);
        double counting = 20 * 2.99 / (5 * 3.01);
        assertEquals(Math.sqrt(pingPong * counting), mean.point(), 1e-9, "the geometric mean of about 2/3 and 4");
        assertTrue(mean.bootstrap().orElseThrow().contains(mean.point()));
        assertEquals(Verdict.Outcome.NOT_MET, micro.verdict().outcome(), micro.verdict().text());
        assertEquals(List.of("SavinaForkJoinThroughput", "SavinaForkJoinCreation", "SavinaThreadRing",
                "SavinaChameneos", "SavinaBig", "SavinaFibonacci"), micro.missing());
    }

    @Test
    void aBaselineGivesEachSideItsEfficiency() throws IOException {
        JmhJson json = new JmhJson();
        addSide(json, COUNTING, "spinoff", "avgt", "ms/op", Map.of("64", 10.0));
        addSide(json, COUNTING, "pekko", "avgt", "ms/op", Map.of("fj-64", 20.0));
        json.add(COUNTING + ".baseline", "avgt", "ms/op", List.of(), JmhJson.forks(5, 0.99, 1.0, 1.01));

        Comparison row = Comparison.of(JmhResults.read(List.of(json.write(dir, "r.json"))), SETTINGS).get(0);

        assertEquals(0.5, row.spinoffEfficiency().orElseThrow().point(), 1e-9, "baseline time / Spinoff time");
        assertEquals(0.25, row.pekkoEfficiency().orElseThrow().point(), 1e-9, "baseline time / Pekko time");
        assertTrue(row.spinoffEfficiency().orElseThrow().bootstrap().orElseThrow().contains(0.5));
    }

    @Test
    void problemSizesMakeSeparateRows() throws IOException {
        JmhJson json = new JmhJson();
        for (String size : List.of("1000", "200")) {
            json.add(PING_PONG + ".spinoff", "avgt", "ms/op", List.of("throughput", "64", "messages", size),
                    JmhJson.forks(10, 1, 1.01));
            json.add(PING_PONG + ".pekko", "avgt", "ms/op", List.of("executor", "fj-64", "messages", size),
                    JmhJson.forks(10, 1, 1.01));
        }

        List<Comparison> rows = Comparison.of(JmhResults.read(List.of(json.write(dir, "r.json"))), SETTINGS);

        assertEquals(List.of("SavinaPingPong (messages=200)", "SavinaPingPong (messages=1000)"),
                rows.stream().map(r -> r.key().label()).toList(), "sizes in numeric order");
    }

    @Test
    void fewerThanTwoForksIsAnErrorNamingTheBenchmarkTheFileAndTheWayOut() throws IOException {
        Path file = new JmhJson()
                .add(PING_PONG + ".spinoff", "avgt", "ms/op", List.of("throughput", "64"), new double[] {10, 11})
                .add(PING_PONG + ".pekko", "avgt", "ms/op", List.of("executor", "fj-64"), JmhJson.forks(20, 1, 1.1))
                .write(dir, "one-fork.json");

        ReportInputException e = assertThrows(ReportInputException.class,
                () -> BenchmarkReport.write(dir.resolve("out"), List.of(file), SETTINGS, "abc1234", DATE));

        assertTrue(e.getMessage().contains("SavinaPingPong spinoff (throughput=64) has 1"), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("--allow-one-fork"), e.getMessage());
    }

    @Test
    void oneForkIsReportedWithoutIntervalsWhenAllowed() throws IOException {
        Path file = new JmhJson()
                .add(PING_PONG + ".spinoff", "avgt", "ms/op", List.of("throughput", "64"), new double[] {10, 11})
                .add(PING_PONG + ".pekko", "avgt", "ms/op", List.of("executor", "fj-64"), new double[] {20, 21})
                .write(dir, "quick.json");
        ReportSettings quick = new ReportSettings(ReportSettings.DEFAULT_SEED, 10_000, true);

        List<Path> written = BenchmarkReport.write(dir.resolve("out"), List.of(file), quick, "abc1234", DATE);

        Comparison row = Comparison.of(JmhResults.read(List.of(file)), quick).get(0);
        assertEquals(new Unavailable("1 fork"), row.spinoffVsPekko().orElseThrow().uncertainty());
        assertEquals(Verdict.Outcome.NOT_JUDGED, row.verdict(1.5).outcome());
        String markdown = Files.readString(written.get(0));
        assertTrue(markdown.contains("Intervals unavailable (1 fork)"), markdown);
        assertTrue(markdown.contains("| SavinaPingPong | 10.50 ms/op (throughput=64) | 20.50 ms/op (executor=fj-64) | "
                + "1.95 (no interval: 1 fork) |"), markdown);
        assertTrue(Files.size(dir.resolve("out").resolve(BenchmarkReport.RATIO_CHART)) > 0);
    }

    @Test
    void theReportWritesTheMarkdownTheRatioChartAndTheLatencyCharts() throws IOException {
        JmhJson json = new JmhJson();
        addSide(json, PING_PONG, "spinoff", "avgt", "ms/op", Map.of("5", 12.0, "64", 10.0, "256", 11.0));
        addSide(json, PING_PONG, "pekko", "avgt", "ms/op",
                Map.of("fj-5", 30.0, "fj-64", 25.0, "fj-256", 26.0, "affinity", 20.0));
        addSide(json, "io.spinoff.benchmarks.SavinaBank", "spinoff", "avgt", "ms/op", Map.of("64", 40.0));
        addSide(json, "io.spinoff.benchmarks.SavinaBank", "pekko", "avgt", "ms/op", Map.of("fj-64", 44.0));
        json.add("io.spinoff.benchmarks.SavinaBank.baseline", "avgt", "ms/op", List.of(),
                JmhJson.forks(30, 0.99, 1.0, 1.01));
        Path results = json.write(dir, "savina.json");
        Path latency = Files.writeString(dir.resolve("latency-tell.csv"), """
                framework,setting,percentile,micros
                Spinoff,throughput=64,50,3.1
                Spinoff,throughput=64,90,4.0
                Spinoff,throughput=64,99,9.5
                Spinoff,throughput=64,99.9,30
                Spinoff,throughput=64,99.99,120
                Pekko,executor=fj-64,50,5.2
                Pekko,executor=fj-64,90,7.9
                Pekko,executor=fj-64,99,21
                Pekko,executor=fj-64,99.9,80
                Pekko,executor=fj-64,99.99,400
                """);
        Path out = dir.resolve("out");

        List<Path> written = BenchmarkReport.write(out, List.of(results, latency), SETTINGS, "abc1234", DATE);

        assertEquals(List.of(out.resolve("savina.md"), out.resolve("savina-ratios.png"), out.resolve("latency-tell.png")),
                written);
        for (Path png : written.subList(1, 3)) {
            byte[] bytes = Files.readAllBytes(png);
            assertTrue(bytes.length > 1000, png + " has " + bytes.length + " bytes");
            assertEquals("PNG", new String(bytes, 1, 3, java.nio.charset.StandardCharsets.US_ASCII), png + " is a PNG");
        }
        String markdown = Files.readString(out.resolve("savina.md"));
        assertTrue(markdown.contains("Commit `abc1234`"), markdown);
        assertTrue(markdown.contains("OpenJDK 64-Bit Server VM 25+36-LTS (JDK 25, "), markdown);
        assertTrue(markdown.contains("3 forks per variant"), markdown);
        assertTrue(markdown.contains("2026-12-02"), markdown);
        assertTrue(markdown.contains("## Savina micro-benchmarks"), markdown);
        assertTrue(markdown.contains("## Savina concurrency benchmarks"), markdown);
        assertTrue(markdown.contains("| SavinaPingPong | 10.00 ms/op (throughput=64) | 20.00 ms/op (executor=affinity) | 2.00 ["),
                markdown);
        assertTrue(markdown.contains("| SavinaBank | pekko | executor=fj-64 | 44.00 ms/op |"), markdown);
        assertTrue(markdown.contains("![Spinoff vs Pekko](savina-ratios.png)"), markdown);
        assertFalse(markdown.contains("Intervals unavailable"), markdown);
    }

    @Test
    void aMissingFileIsAnErrorNamingIt() {
        Path missing = dir.resolve("nothing.json");

        ReportInputException e = assertThrows(ReportInputException.class, () -> JmhResults.read(List.of(missing)));

        assertTrue(e.getMessage().contains(missing + " does not exist"), e.getMessage());
    }

    @Test
    void aFileThatIsNotJmhJsonIsAnErrorNamingIt() throws IOException {
        Path notJson = Files.writeString(dir.resolve("jmh.csv"), "\"Benchmark\",\"Mode\"\n");
        Path notJmh = Files.writeString(dir.resolve("other.json"), "[{\"name\": \"x\"}]");
        Path object = Files.writeString(dir.resolve("object.json"), "{\"benchmark\": \"x\"}");

        for (Path file : List.of(notJson, notJmh, object)) {
            ReportInputException e = assertThrows(ReportInputException.class, () -> JmhResults.read(List.of(file)));
            assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
            assertTrue(e.getMessage().contains("-rf json"), e.getMessage());
        }
    }

    @Test
    void aMethodOtherThanTheThreeSidesIsAnError() throws IOException {
        Path file = new JmhJson()
                .add("io.spinoff.benchmarks.ActorBenchmarks.tellSpinoff", "thrpt", "ops/s", List.of(),
                        JmhJson.forks(10, 1, 1))
                .write(dir, "actors.json");

        ReportInputException e = assertThrows(ReportInputException.class, () -> JmhResults.read(List.of(file)));

        assertTrue(e.getMessage().contains("ActorBenchmarks.tellSpinoff is none of the methods"), e.getMessage());
    }

    @Test
    void aLatencyFileWithoutTheHeaderIsAnError() throws IOException {
        Path csv = Files.writeString(dir.resolve("latency-x.csv"), "Spinoff,,50,3\n");

        ReportInputException e = assertThrows(ReportInputException.class, () -> LatencyCsv.read(csv));

        assertTrue(e.getMessage().contains(LatencyCsv.HEADER), e.getMessage());
    }

    /** Adds one side's configurations, 3 forks each with a small spread, at the given means. */
    private static void addSide(JmhJson json, String benchmarkClass, String method, String mode, String unit,
            Map<String, Double> meansBySetting) {
        String param = Side.ofMethod(method).orElseThrow().settingParam().orElseThrow();
        for (Map.Entry<String, Double> entry : new TreeMap<>(meansBySetting).entrySet()) {
            json.add(benchmarkClass + "." + method, mode, unit, List.of(param, entry.getKey()),
                    JmhJson.forks(entry.getValue(), 0.99, 1.0, 1.01));
        }
    }

    private static Comparison row(List<Comparison> rows, String simpleName) {
        return rows.stream().filter(r -> r.key().simpleName().equals(simpleName)).findFirst().orElseThrow();
    }

    /** Writes JMH JSON result files for the tests, in the layout JMH 1.37 gives them with -rf json. */
    static final class JmhJson {
        private final List<String> entries = new ArrayList<>();

        /**
         * Adds one result.
         *
         * @param benchmark e.g. {@code io.spinoff.benchmarks.SavinaPingPong.spinoff}
         * @param mode e.g. {@code avgt}
         * @param params the JMH parameters, as alternating names and values
         * @param forks the iteration scores of each fork
         */
        JmhJson add(String benchmark, String mode, String unit, List<String> params, double[]... forks) {
            Map<String, String> parameters = new TreeMap<>();
            for (int i = 0; i < params.size(); i += 2) {
                parameters.put(params.get(i), params.get(i + 1));
            }
            String paramsJson = parameters.isEmpty() ? "" : "\"params\" : {" + parameters.entrySet().stream()
                    .map(e -> "\"" + e.getKey() + "\" : \"" + e.getValue() + "\"").collect(Collectors.joining(", "))
                    + "},\n";
            String raw = Arrays.stream(forks).map(fork -> Arrays.stream(fork).mapToObj(String::valueOf)
                    .collect(Collectors.joining(", ", "[", "]"))).collect(Collectors.joining(", ", "[", "]"));
            double score = Arrays.stream(forks).flatMapToDouble(Arrays::stream).average().orElseThrow();
            entries.add("""
                    {
                    "jmhVersion" : "1.37",
                    "benchmark" : "%s",
                    "mode" : "%s",
                    "threads" : 1,
                    "forks" : %d,
                    "jvm" : "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java",
                    "jvmArgs" : ["-Xms1g", "-Xmx1g"],
                    "jdkVersion" : "25",
                    "vmName" : "OpenJDK 64-Bit Server VM",
                    "vmVersion" : "25+36-LTS",
                    "warmupIterations" : 3,
                    "warmupTime" : "1 s",
                    "warmupBatchSize" : 1,
                    "measurementIterations" : %d,
                    "measurementTime" : "1 s",
                    "measurementBatchSize" : 1,
                    %s"primaryMetric" : {
                        "score" : %s,
                        "scoreError" : "NaN",
                        "scoreConfidence" : ["NaN", "NaN"],
                        "scorePercentiles" : {"0.0" : %s, "100.0" : %s},
                        "scoreUnit" : "%s",
                        "rawData" : %s
                    },
                    "secondaryMetrics" : {}
                    }""".formatted(benchmark, mode, forks.length, forks[0].length, paramsJson, score, score, score, unit,
                    raw));
            return this;
        }

        /** @return the file written, {@code dir/name} */
        Path write(Path dir, String name) throws IOException {
            return Files.writeString(dir.resolve(name), "[\n" + String.join(",\n", entries) + "\n]\n");
        }

        /** @return forks whose iterations are {@code mean} times the given factors, one array per fork */
        static double[][] forks(double mean, double... forkFactors) {
            double[][] forks = new double[forkFactors.length][];
            for (int i = 0; i < forkFactors.length; i++) {
                double m = mean * forkFactors[i];
                forks[i] = new double[] {m * 0.99, m, m * 1.01};
            }
            return forks;
        }
    }
}
