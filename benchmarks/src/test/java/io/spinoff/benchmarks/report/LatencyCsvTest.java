package io.spinoff.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LatencyCsvTest {

    @Test
    void aPercentileWrittenByEachForkCountsAsTheMedianOfTheForks(@TempDir Path directory) throws Exception {
        Path csv = directory.resolve("latency-pipeline-10us.csv");
        Files.writeString(csv, """
                framework,setting,percentile,micros
                spinoff,64,50,10.0
                spinoff,64,99,100.0
                spinoff,64,50,30.0
                spinoff,64,99,300.0
                spinoff,64,50,20.0
                spinoff,64,99,900.0
                pekko,fj-64,50,12.0
                pekko,fj-64,50,16.0
                """);
        List<LatencyCsv.Point> points = LatencyCsv.read(csv);
        assertEquals(List.of(
                new LatencyCsv.Point("spinoff", "64", 50, 20.0),
                new LatencyCsv.Point("spinoff", "64", 99, 300.0),
                new LatencyCsv.Point("pekko", "fj-64", 50, 14.0)), points);
    }
}
