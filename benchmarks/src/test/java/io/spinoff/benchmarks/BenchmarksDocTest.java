package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Keeps BENCHMARKS.md true where a test can without running the benchmarks (which take most of
 * an hour): every script it names exists, is executable and parses, every benchmark class or
 * method it names is one JMH knows, and every class it runs with {@code java -cp} has a main method.
 */
class BenchmarksDocTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    private static String doc() throws IOException {
        return Files.readString(ROOT.resolve("BENCHMARKS.md"));
    }

    @Test
    void everyScriptTheDocNamesExistsIsExecutableAndParses() throws Exception {
        Set<String> scripts = new LinkedHashSet<>();
        Matcher m = Pattern.compile("benchmarks/run-[a-z-]+\\.sh").matcher(doc());
        while (m.find()) {
            scripts.add(m.group());
        }
        assertFalse(scripts.isEmpty(), "BENCHMARKS.md names no script");
        for (String script : scripts) {
            Path file = ROOT.resolve(script);
            assertTrue(Files.isRegularFile(file), script + " is named in BENCHMARKS.md but does not exist");
            assertTrue(Files.isExecutable(file), script + " is not executable (chmod +x)");
            Process check = new ProcessBuilder("bash", "-n", file.toString()).redirectErrorStream(true).start();
            assertTrue(check.waitFor(30, TimeUnit.SECONDS), "bash -n " + script + " did not finish");
            String out = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, check.exitValue(), script + " does not parse: " + out);
        }
    }

    @Test
    void everyBenchmarkTheDocNamesIsOneJmhKnows() throws Exception {
        String list;
        try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
            assertTrue(in != null, "the JMH benchmark list is not on the class path; build the module");
            list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher m = Pattern.compile("`((?:Savina[A-Za-z]+|[A-Za-z]+Benchmarks?|QueueCeiling)(?:\\.[a-z][A-Za-z]*)?)`")
                .matcher(doc());
        List<String> unknown = new ArrayList<>();
        int named = 0;
        while (m.find()) {
            named++;
            String[] parts = m.group(1).split("\\.");
            String clazz = "io.spinoff.benchmarks." + parts[0] + " ";
            boolean known = parts.length == 1
                    ? list.contains(clazz)
                    : list.contains("jmh_generated." + parts[0] + "_" + parts[1] + "_jmhTest ");
            if (!known) {
                unknown.add(m.group(1));
            }
        }
        assertTrue(named > 0, "BENCHMARKS.md names no benchmark");
        assertEquals(List.of(), unknown, "BENCHMARKS.md names benchmarks JMH does not know");
    }

    @Test
    void everyClassTheDocRunsHasAMainMethod() throws Exception {
        Matcher m = Pattern.compile("java -cp benchmarks/target/benchmarks\\.jar (io\\.spinoff\\.benchmarks\\.[A-Za-z]+)")
                .matcher(doc());
        int named = 0;
        while (m.find()) {
            named++;
            Class<?> clazz = Class.forName(m.group(1), false, getClass().getClassLoader());
            java.lang.reflect.Method main = clazz.getMethod("main", String[].class);
            assertTrue(java.lang.reflect.Modifier.isStatic(main.getModifiers()), m.group(1) + ".main is not static");
        }
        assertTrue(named > 0, "BENCHMARKS.md runs no class with java -cp");
    }
}
