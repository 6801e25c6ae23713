package io.spinoff.benchmarks.report;

import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The measurements of one benchmark method with one set of parameters, its forks gathered from
 * every results file that holds it.
 *
 * @param benchmarkClass the benchmark's class, e.g. {@code io.spinoff.benchmarks.SavinaPingPong}
 * @param side the method measured
 * @param params every JMH parameter of the run, by name
 * @param mode the benchmark mode
 * @param unit the score unit, e.g. {@code ms/op}
 * @param forks the measured iteration scores, one array per fork
 * @param sources the files the forks were read from
 */
record Variant(String benchmarkClass, Side side, SortedMap<String, String> params, MetricMode mode, String unit,
        List<double[]> forks, List<Path> sources) {

    Variant {
        params = new TreeMap<>(params);
        forks = List.copyOf(forks);
        sources = List.copyOf(sources);
    }

    /** @return the row this variant belongs to: its class and its size parameters */
    RowKey row() {
        SortedMap<String, String> sizes = new TreeMap<>(params);
        sizes.keySet().removeIf(Side::isSetting);
        return new RowKey(benchmarkClass, sizes);
    }

    /** @return the configuration, such as {@code executor=fj-64}, or an empty string for the baseline */
    String setting() {
        return side.settingParam().filter(params::containsKey).map(name -> name + "=" + params.get(name)).orElse("");
    }

    /** @return each fork's mean of its measured iterations */
    double[] forkMeans() {
        return forks.stream().mapToDouble(ForkStatistics::mean).toArray();
    }

    /** @return the score compared across configurations and sides: the mean of the fork means */
    double score() {
        return ForkStatistics.mean(forkMeans());
    }

    /** @return the source files' names, for messages */
    String sourceNames() {
        return sources.stream().map(Path::toString).distinct().collect(Collectors.joining(", "));
    }

    /** @return e.g. {@code SavinaPingPong pekko (executor=fj-64)}, for messages */
    String describe() {
        String setting = setting();
        return row().label() + " " + side.method() + (setting.isEmpty() ? "" : " (" + setting + ")");
    }
}
