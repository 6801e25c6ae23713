package io.spinoff.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.benchmarks.report.BenchmarkReportTest.JmhJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The curves over a parameter: grouping, scaling, method prefixes, bad input and the chart. */
class CurveReportTest {
    private static final String SCALING = "io.spinoff.benchmarks.ScalingBenchmark";
    private static final String REMOTE = "io.spinoff.benchmarks.RemoteBenchmarks";

    @TempDir
    Path dir;

    @Test
    void oneCurvePerSideAndVaryingSettingInIncreasingX() throws IOException {
        Path results = new JmhJson()
                .add(SCALING + ".pekko", "thrpt", "ops/s", List.of("actors", "10", "executor", "fj-64"),
                        new double[] {500})
                .add(SCALING + ".spinoff", "thrpt", "ops/s", List.of("actors", "1000", "throughput", "64"),
                        new double[] {9}, new double[] {11})
                .add(SCALING + ".spinoff", "thrpt", "ops/s", List.of("actors", "10", "throughput", "64"),
                        new double[] {1000})
                .add(SCALING + ".pekko", "thrpt", "ops/s", List.of("actors", "10", "executor", "fj-256"),
                        new double[] {400})
                .write(dir, "scaling.json");

        CurveReport.Curves curves = CurveReport.Curves.of(JmhResults.read(List.of(results)), "actors", true);

        assertEquals(List.of("Spinoff", "Pekko executor=fj-64", "Pekko executor=fj-256"),
                List.copyOf(curves.curves().keySet()), "Spinoff first; the constant throughput is not shown; executors are");
        List<CurveReport.Point> spinoff = curves.curves().get("Spinoff");
        assertArrayEquals(new double[] {10, 1000}, spinoff.stream().mapToDouble(CurveReport.Point::x).toArray());
        assertEquals(new CurveReport.Point(1000, 10_000, 9_000, 11_000, 2), spinoff.get(1),
                "rounds per second times the actors; bars from the lowest to the highest fork mean");
        assertEquals("ops/s × actors", curves.unit());
        String table = curves.markdown();
        assertTrue(table.startsWith("| actors | Spinoff | Pekko executor=fj-64 | Pekko executor=fj-256 |\n"), table);
        assertTrue(table.contains("| 1000 | 10 k (9 k–11 k) | — | — |"), table);

        Path png = dir.resolve("scaling.png");
        CurveReport.write(png, "Scaling", "messages/s", curves);
        byte[] header = Files.readAllBytes(png);
        assertEquals((byte) 0x89, header[0]);
        assertEquals('P', header[1]);
        assertEquals(dir.resolve("scaling.md"), CurveReport.markdownBeside(png));
    }

    @Test
    void compactNumbersCarryAUnitPrefix() {
        assertEquals("950", Numbers.compact(950));
        assertEquals("5.91 k", Numbers.compact(5_909));
        assertEquals("2 M", Numbers.compact(2_000_000));
        assertEquals("2.43 M", Numbers.compact(2_426_000));
        assertEquals("1.2 G", Numbers.compact(1.2e9));
    }

    @Test
    void aMethodPrefixKeepsOnlyThoseMethods() throws IOException {
        Path results = new JmhJson()
                .add(REMOTE + ".remoteTellSpinoff", "thrpt", "ops/s", List.of("peers", "2", "senders", "1"),
                        new double[] {2_000_000})
                .add(REMOTE + ".remoteTellPekko", "thrpt", "ops/s", List.of("peers", "2", "senders", "8", "lanes", "1"),
                        new double[] {300_000})
                .add(REMOTE + ".remoteAskSpinoff", "sample", "us/op", List.of("peers", "1", "senders", "1"),
                        new double[] {250})
                .write(dir, "remote.json");

        CurveReport.Curves curves = CurveReport.Curves.of(JmhResults.read(List.of(results), "remoteTell"), "peers",
                false);

        assertEquals(List.of("Spinoff senders=1", "Pekko senders=8"), List.copyOf(curves.curves().keySet()));
        assertEquals(2_000_000, curves.curves().get("Spinoff senders=1").get(0).score());
        ReportInputException none = assertThrows(ReportInputException.class,
                () -> JmhResults.read(List.of(results), "localTell"));
        assertTrue(none.getMessage().contains("no method named localTellSpinoff"), none.getMessage());
    }

    @Test
    void aResultWithoutTheParameterOrWithANonNumberIsRefused() throws IOException {
        Path missing = new JmhJson()
                .add(SCALING + ".spinoff", "thrpt", "ops/s", List.of("throughput", "64"), new double[] {1})
                .write(dir, "missing.json");
        ReportInputException refused = assertThrows(ReportInputException.class,
                () -> CurveReport.Curves.of(JmhResults.read(List.of(missing)), "actors", false));
        assertTrue(refused.getMessage().contains("has no parameter actors (it has [throughput])"), refused.getMessage());

        Path words = new JmhJson()
                .add(SCALING + ".pekko", "thrpt", "ops/s", List.of("executor", "fj-64"), new double[] {1})
                .write(dir, "words.json");
        refused = assertThrows(ReportInputException.class,
                () -> CurveReport.Curves.of(JmhResults.read(List.of(words)), "executor", false));
        assertTrue(refused.getMessage().contains("parameter executor is fj-64, not a positive number"),
                refused.getMessage());
    }
}
