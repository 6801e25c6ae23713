package io.spinoff.benchmarks.report;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The benchmark results of one or more JMH JSON files ({@code -rf json}), each benchmark method
 * with each set of parameters gathered into one {@link Variant} whose forks are those of every
 * file that holds it, in the order the files were given.
 *
 * <p>The files are parsed by Typesafe Config (on the class path with Pekko) in its strict JSON
 * syntax. Only the primary metric is read: its {@code rawData} (one score per measured iteration,
 * one list per fork), its unit, and the run's mode and parameters, plus the JVM and the iteration
 * plan for the report's header.
 *
 * @param variants the variants, in the order they first appear
 * @param jvms the JVMs the results were measured on, e.g.
 *     {@code OpenJDK 64-Bit Server VM 25+36-LTS (JDK 25, /usr/lib/jvm/jdk-25/bin/java)}
 * @param plans the iteration plans, e.g. {@code 3 × 1 s warm-up, 5 × 1 s measured}
 * @param files the files read
 */
record JmhResults(List<Variant> variants, SortedSet<String> jvms, SortedSet<String> plans, List<Path> files) {

    JmhResults {
        variants = List.copyOf(variants);
        jvms = new TreeSet<>(jvms);
        plans = new TreeSet<>(plans);
        files = List.copyOf(files);
    }

    /**
     * Reads and merges results files.
     *
     * @throws ReportInputException if a file is missing, unreadable, not JSON, not JMH's result
     *     format, or holds a method other than {@code spinoff}, {@code pekko} or {@code baseline}
     */
    static JmhResults read(List<Path> files) {
        return read(files, "");
    }

    /**
     * Reads and merges the results of the methods named {@code methodPrefix} followed by a side
     * ({@code remoteTell} keeps {@code remoteTellSpinoff} and {@code remoteTellPekko}) and leaves
     * every other method out; with an empty prefix, every method must be a side's, as in
     * {@link #read(List)}.
     *
     * @throws ReportInputException as {@link #read(List)}, or if no method has the prefix
     */
    static JmhResults read(List<Path> files, String methodPrefix) {
        if (files.isEmpty()) {
            throw new ReportInputException("No results file given; pass the JSON file JMH wrote with -rf json.");
        }
        Map<String, Variant> variants = new LinkedHashMap<>();
        SortedSet<String> jvms = new TreeSet<>();
        SortedSet<String> plans = new TreeSet<>();
        for (Path file : files) {
            ConfigList entries = parse(file);
            if (entries.isEmpty()) {
                throw new ReportInputException(file + " holds no benchmark results (an empty JSON array); "
                        + "check that the JMH run's benchmark pattern matched something.");
            }
            for (int index = 0; index < entries.size(); index++) {
                Entry entry = new Entry(file, index, entries.get(index));
                if (!methodPrefix.isEmpty() && !entry.method().startsWith(methodPrefix)) {
                    continue;
                }
                Variant variant = entry.variant(methodPrefix);
                String key = variant.benchmarkClass() + "." + variant.side().method() + " " + variant.mode().label()
                        + " " + variant.params();
                variants.merge(key, variant, (earlier, later) -> merged(earlier, later));
                jvms.add(entry.jvm());
                plans.add(entry.plan());
            }
        }
        if (variants.isEmpty()) {
            throw new ReportInputException(files + " hold no method named " + methodPrefix + "Spinoff, "
                    + methodPrefix + "Pekko or " + methodPrefix + "Baseline; check the method prefix.");
        }
        return new JmhResults(new ArrayList<>(variants.values()), jvms, plans, files);
    }

    private static Variant merged(Variant earlier, Variant later) {
        if (!earlier.unit().equals(later.unit())) {
            throw new ReportInputException(later.describe() + " is in " + earlier.unit() + " in "
                    + earlier.sourceNames() + " but in " + later.unit() + " in " + later.sourceNames()
                    + "; rerun with the same time unit (-tu) so that the forks can be merged.");
        }
        List<double[]> forks = new ArrayList<>(earlier.forks());
        forks.addAll(later.forks());
        List<Path> sources = new ArrayList<>(earlier.sources());
        sources.addAll(later.sources());
        return new Variant(earlier.benchmarkClass(), earlier.side(), earlier.params(), earlier.mode(), earlier.unit(),
                forks, sources);
    }

    private static ConfigList parse(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new ReportInputException("Results file " + file + " does not exist; run the benchmarks first "
                    + "(benchmarks/run-savina.sh) or correct the path.", e);
        } catch (IOException e) {
            throw new ReportInputException("Results file " + file + " cannot be read (" + e + "); check its "
                    + "permissions.", e);
        }
        // Typesafe Config wants an object at the root: JMH's array becomes the value of one key, on
        // the first line, so that the parser's line numbers stay those of the file.
        ConfigParseOptions options = ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON)
                .setOriginDescription(file.toString()).setAllowMissing(false);
        try {
            ConfigValue root = ConfigFactory.parseString("{\"results\":" + text + "\n}", options).root()
                    .get("results");
            if (root.valueType() != ConfigValueType.LIST) {
                throw notJmh(file, "its top level is a JSON " + root.valueType().name().toLowerCase() + ", not an array");
            }
            return (ConfigList) root;
        } catch (ConfigException e) {
            throw new ReportInputException(file + " is not valid JSON (" + e.getMessage() + "); pass the file JMH "
                    + "wrote with -rf json -rff FILE.", e);
        }
    }

    private static ReportInputException notJmh(Path file, String what) {
        return new ReportInputException(file + " is not a JMH JSON result file: " + what
                + "; pass the file JMH wrote with -rf json -rff FILE.");
    }

    /** One element of a results file's array, with the file and index for messages. */
    private record Entry(Path file, int index, ConfigValue value) {

        /** @return the benchmark's method name */
        String method() {
            String benchmark = string(object(value, "result"), "benchmark");
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }

        Variant variant(String methodPrefix) {
            ConfigObject object = object(value, "result");
            String benchmark = string(object, "benchmark");
            int dot = benchmark.lastIndexOf('.');
            if (dot <= 0) {
                throw malformed("its \"benchmark\" " + benchmark + " is not a class name followed by a method");
            }
            String method = benchmark.substring(dot + 1).substring(methodPrefix.length());
            if (!method.isEmpty()) {
                method = Character.toLowerCase(method.charAt(0)) + method.substring(1);
            }
            String methods = methodPrefix.isEmpty() ? "spinoff, pekko and baseline"
                    : methodPrefix + "Spinoff, " + methodPrefix + "Pekko and " + methodPrefix + "Baseline";
            Side side = Side.ofMethod(method).orElseThrow(() -> new ReportInputException(file + ": benchmark "
                    + benchmark + " is none of the methods " + methods + " this report compares; leave it out of the"
                    + " run (a benchmark pattern such as 'io.spinoff.benchmarks.Savina.*')."));
            MetricMode mode;
            try {
                mode = MetricMode.of(string(object, "mode"));
            } catch (IllegalArgumentException e) {
                throw new ReportInputException(file + ": benchmark " + benchmark + ": " + e.getMessage() + ".", e);
            }
            SortedMap<String, String> params = new TreeMap<>();
            if (object.containsKey("params")) {
                object(object.get("params"), "\"params\"").forEach((name, param) -> params.put(name,
                        String.valueOf(param.unwrapped())));
            }
            ConfigObject metric = object(field(object, "primaryMetric"), "\"primaryMetric\"");
            String unit = string(metric, "scoreUnit");
            if (!metric.containsKey("rawData")) {
                throw problem(benchmark + " has no \"rawData\" (one score per iteration); rerun JMH without "
                        + "-Djmh.json.rawData=false");
            }
            List<double[]> forks = new ArrayList<>();
            for (ConfigValue fork : list(metric.get("rawData"), "\"rawData\"")) {
                ConfigList iterations = list(fork, "a fork of \"rawData\"");
                double[] scores = new double[iterations.size()];
                for (int i = 0; i < scores.length; i++) {
                    scores[i] = number(iterations.get(i), benchmark);
                }
                if (scores.length == 0) {
                    throw problem(benchmark + " has a fork without measured iterations; rerun with -i 1 or more");
                }
                forks.add(scores);
            }
            if (forks.isEmpty()) {
                throw problem(benchmark + " has an empty \"rawData\" (JMH leaves it empty under "
                        + "-Djmh.json.rawData=false); rerun JMH without that property");
            }
            return new Variant(benchmark.substring(0, dot), side, params, mode, unit, forks, List.of(file));
        }

        String jvm() {
            ConfigObject object = object(value, "result");
            return optional(object, "vmName") + " " + optional(object, "vmVersion") + " (JDK "
                    + optional(object, "jdkVersion") + ", " + optional(object, "jvm") + ")";
        }

        String plan() {
            ConfigObject object = object(value, "result");
            return optional(object, "warmupIterations") + " × " + optional(object, "warmupTime") + " warm-up, "
                    + optional(object, "measurementIterations") + " × " + optional(object, "measurementTime")
                    + " measured";
        }

        private ConfigObject object(ConfigValue v, String what) {
            if (v.valueType() != ConfigValueType.OBJECT) {
                throw malformed(what + " is a " + v.valueType().name().toLowerCase() + ", not an object");
            }
            return (ConfigObject) v;
        }

        private ConfigList list(ConfigValue v, String what) {
            if (v.valueType() != ConfigValueType.LIST) {
                throw malformed(what + " is a " + v.valueType().name().toLowerCase() + ", not an array");
            }
            return (ConfigList) v;
        }

        private ConfigValue field(ConfigObject object, String name) {
            ConfigValue v = object.get(name);
            if (v == null) {
                throw malformed("it has no \"" + name + "\"");
            }
            return v;
        }

        private String string(ConfigObject object, String name) {
            ConfigValue v = field(object, name);
            if (v.valueType() != ConfigValueType.STRING) {
                throw malformed("its \"" + name + "\" is a " + v.valueType().name().toLowerCase() + ", not a string");
            }
            return (String) v.unwrapped();
        }

        private static String optional(ConfigObject object, String name) {
            ConfigValue v = object.get(name);
            return v == null ? "(not recorded)" : String.valueOf(v.unwrapped());
        }

        private double number(ConfigValue v, String benchmark) {
            if (v.valueType() != ConfigValueType.NUMBER) {
                // JMH writes NaN and infinities as strings: an iteration that measured nothing.
                throw problem(benchmark + " has an iteration score " + v.unwrapped() + " that is not a finite "
                        + "number; rerun the benchmark and look for the error in its JMH output");
            }
            double score = ((Number) v.unwrapped()).doubleValue();
            if (!(score > 0) || Double.isInfinite(score)) {
                throw problem(benchmark + " has an iteration score " + score + " that is not a positive number; "
                        + "rerun the benchmark and look for the error in its JMH output");
            }
            return score;
        }

        private ReportInputException problem(String what) {
            return new ReportInputException(file + ", result " + (index + 1) + " (line " + value.origin().lineNumber()
                    + "): " + what + ".");
        }

        private ReportInputException malformed(String what) {
            return problem(what + ", so this is not a JMH JSON result file; pass the file JMH wrote with -rf json "
                    + "-rff FILE");
        }
    }
}
