package io.spinoff.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A newcomer's path, as on a fresh machine: the repository cloned into a temporary folder, a local
 * Maven repository holding the third-party artifacts but nothing of Spinoff, and the commands of
 * README.md and docs/GETTING-STARTED.md run there exactly as written.
 *
 * <p>The local repository is a copy of the one this build uses, without {@code io/spinoff} (jars and
 * POMs hard-linked where the file system allows, everything else copied, so nothing written during
 * the test reaches the original). The clone holds what is committed, as a user's clone would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class NewcomerPathTest {

    private static final String FIRST_COMMAND = "bin/startnode --actor io.spinoff.examples.example1.ExampleProcess";
    private static final String TEST_COMMAND = "mvn -B verify";
    private static final int PINGER_EXIT_WHEN_BETA_STOPS = 0;
    private static final Duration BUILD_AND_RUN = Duration.ofMinutes(6);
    private static final Pattern LOG_TIME = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");

    private static Path root;
    private static Path work;
    private static Path clone;
    private static Path repository;

    @BeforeAll
    static void cloneAndPrepareARepositoryWithoutSpinoff() throws Exception {
        root = Path.of(System.getProperty("spinoff.checkout", "..")).toAbsolutePath().normalize();
        assertTrue(Files.exists(root.resolve(".git")),
                "these tests clone the repository, so they run in a git checkout; " + root + " is none");
        String source = System.getProperty("spinoff.localRepository");
        assertTrue(source != null && Files.isDirectory(Path.of(source)),
                "the build passes its local Maven repository as spinoff.localRepository; got " + source);
        work = Files.createTempDirectory("spinoff-newcomer-");
        clone = work.resolve("spinoff");
        Run cloned = Run.start(work, List.of("git", "clone", "--quiet", root.toString(), clone.toString()), Map.of());
        assertEquals(0, cloned.waitFor(Duration.ofMinutes(2)), "git clone failed: " + cloned.lines);
        repository = work.resolve("m2");
        copyWithout(Path.of(source), repository, Path.of("io", "spinoff"));
    }

    @AfterAll
    static void removeTheWorkFolder() throws IOException {
        if (work != null) {
            try (Stream<Path> paths = Files.walk(work)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void theReadmeOpensWithTheTwoCommands() throws IOException {
        List<String> commands = Files.readAllLines(clone.resolve("README.md")).stream()
                .filter(line -> line.startsWith("    ") && !line.isBlank())
                .map(String::strip)
                .limit(2)
                .toList();
        assertEquals(List.of(FIRST_COMMAND, TEST_COMMAND), commands);
        assertEquals("mvn -B verify", Files.readAllLines(clone.resolve(".ci/run")).getLast().strip(),
                ".ci/run runs exactly the README's test command");
    }

    @Test
    @Order(2)
    void theFirstCommandBuildsAndRunsTheExampleInAFreshCloneAndRebuildsAfterAChange() throws Exception {
        assertFalse(Files.exists(repository.resolve("io/spinoff")), "the local repository starts without Spinoff");
        greetAndStop("'hello!' from AckerRef[/user/exampleProcess]");

        Path source = clone.resolve("examples/src/main/java/io/spinoff/examples/example1/ExampleProcess.java");
        String before = Files.readString(source);
        String changed = before.replace("child.greet(\"hello!\", me);", "child.greet(\"hello again!\", me);");
        assertFalse(before.equals(changed), "the example still greets with child.greet(\"hello!\", me)");
        Files.writeString(source, changed);
        greetAndStop("'hello again!' from AckerRef[/user/exampleProcess]");
        assertFalse(Files.exists(repository.resolve("io/spinoff")),
                "the first command builds from the checkout and installs nothing");
    }

    @Test
    @Order(3)
    void theReadmesOtherNodeCommandsRunAsWritten() throws Exception {
        String readme = Files.readString(clone.resolve("README.md"));
        String example2 = "bin/startnode --actor io.spinoff.examples.example2.SupervisionDemo";
        String beta = "bin/startnode --name beta --bind tcp://127.0.0.1:7200 --actor io.spinoff.examples.example3.Ponger";
        String alpha = "bin/startnode --name alpha --bind tcp://127.0.0.1:7100 --actor io.spinoff.examples.example3.Pinger";
        String recorded = example2 + " --jfr node.jfr";
        List<String> shown = readme.lines().filter(line -> line.startsWith("    bin/startnode")).map(String::strip).toList();
        assertEquals(List.of(FIRST_COMMAND, example2, beta, alpha, BANK1, BANK2, BANK3, TELLER, recorded), shown,
                "the README's node commands, each run here");

        Run demo = Run.start(clone, List.of("bash", "-c", example2), mavenEnvironment());
        try {
            assertEquals(0, demo.waitFor(BUILD_AND_RUN), "example 2 ends by itself with exit 0: " + demo.lines);
            assertTrue(demo.lines.stream().anyMatch(line -> line.contains(
                    "death watch: /user/supervisionDemo/worker terminated (STOPPED); 2 of 12 jobs failed")), demo.lines.toString());
        } finally {
            demo.kill();
        }

        Run recording = Run.start(clone, List.of("bash", "-c", recorded), mavenEnvironment());
        try {
            assertEquals(0, recording.waitFor(BUILD_AND_RUN), "example 2 with a recording: " + recording.lines);
            assertTrue(Files.size(clone.resolve("node.jfr")) > 0, "--jfr wrote the recording");
        } finally {
            recording.kill();
        }
        String print = "jfr print --categories Spinoff node.jfr";
        assertTrue(readme.contains("    " + print + "\n"), "the README reads the recording with: " + print);
        Run printed = runToTheEnd(print);
        assertTrue(printed.lines.stream().anyMatch(line -> line.startsWith("spinoff.ActorFailed {")),
                "the recording holds the worker's failures: " + printed.lines);

        Run ponger = Run.start(clone, List.of("bash", "-c", beta), mavenEnvironment());
        Run pinger = null;
        try {
            ponger.await(lines -> lines.stream().anyMatch(line -> line.contains("Node beta running")), BUILD_AND_RUN);
            pinger = Run.start(clone, List.of("bash", "-c", alpha), mavenEnvironment());
            pinger.await(lines -> lines.stream().anyMatch(line -> line.contains(
                    "pong 2 from beta@127.0.0.1:7200/user/ponger")), BUILD_AND_RUN);
            ponger.process.toHandle().destroy(); // Ctrl-C in beta's terminal, as the README says
            assertEquals(0, ponger.waitFor(Duration.ofSeconds(30)), "beta stops cleanly: " + ponger.lines);
            int pingerExit = pinger.waitFor(Duration.ofSeconds(60));
            assertTrue(pinger.lines.stream().anyMatch(line -> line.contains("the ponger is gone")), pinger.lines.toString());
            assertEquals(PINGER_EXIT_WHEN_BETA_STOPS, pingerExit, "alpha's exit code when beta stops: " + pinger.lines);
        } finally {
            ponger.kill();
            if (pinger != null) {
                pinger.kill();
            }
        }
    }

    private static final String BANK1 = "bin/startnode --name bank1 --bind tcp://127.0.0.1:7301 --cluster embedded:2181"
            + " --actor io.spinoff.examples.example4.BankNode";
    private static final String BANK2 = "bin/startnode --name bank2 --bind tcp://127.0.0.1:7302 --cluster"
            + " zk://127.0.0.1:2181/spinoff --actor io.spinoff.examples.example4.BankNode";
    private static final String BANK3 = "bin/startnode --name bank3 --bind tcp://127.0.0.1:7303 --cluster"
            + " zk://127.0.0.1:2181/spinoff --actor io.spinoff.examples.example4.BankNode";
    private static final String TELLER = "bin/startnode --name teller --client --cluster zk://127.0.0.1:2181/spinoff"
            + " --actor io.spinoff.examples.example4.Teller";
    private static final String KILL_BANK2 = "pkill -9 -f 'name bank2'";

    @Test
    @Order(4)
    void theReadmesClusterExampleKeepsItsTotalWhenAMemberIsKilled() throws Exception {
        String readme = Files.readString(clone.resolve("README.md"));
        assertTrue(readme.contains("    " + KILL_BANK2 + "\n"), "the README kills bank2 with: " + KILL_BANK2);
        // The accounts' files start afresh: the example keeps them under java.io.tmpdir.
        Path tmp = Files.createDirectories(clone.resolve("example4-tmp"));
        Map<String, String> environment = mavenEnvironment();
        environment.put("JAVA_OPTS", "-Djava.io.tmpdir=" + tmp);
        List<Run> runs = new ArrayList<>();
        try {
            Run bank1 = Run.start(clone, List.of("bash", "-c", BANK1), environment);
            runs.add(bank1);
            bank1.await(lines -> lines.stream().anyMatch(line -> line.contains("hosting accounts on bank1")), BUILD_AND_RUN);
            Run bank2 = Run.start(clone, List.of("bash", "-c", BANK2), environment);
            Run bank3 = Run.start(clone, List.of("bash", "-c", BANK3), environment);
            runs.add(bank2);
            runs.add(bank3);
            bank2.await(lines -> lines.stream().anyMatch(line -> line.contains("hosting accounts on bank2")), BUILD_AND_RUN);
            bank3.await(lines -> lines.stream().anyMatch(line -> line.contains("hosting accounts on bank3")), BUILD_AND_RUN);
            Run teller = Run.start(clone, List.of("bash", "-c", TELLER), environment);
            runs.add(teller);
            teller.await(lines -> totals(lines) >= 3, BUILD_AND_RUN);

            Run kill = Run.start(clone, List.of("bash", "-c", KILL_BANK2), environment);
            kill.waitFor(Duration.ofSeconds(30));
            assertTrue(bank2.process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "bank2 was killed");
            int before = totals(teller.lines);
            // The session timeout (10 s) passes before bank2's accounts come back elsewhere.
            teller.await(lines -> totals(lines) >= before + 5, Duration.ofSeconds(90));
            List<String> totals = teller.lines.stream().filter(line -> line.contains(" transfers; balances ")).toList();
            assertTrue(totals.stream().allMatch(line -> line.endsWith(", total 500")), "the total stays 500: " + totals);
            assertTrue(teller.lines.stream().anyMatch(line -> line.contains("retrying")),
                    "transfers to bank2's accounts were retried: " + teller.lines);
            for (Run node : List.of(teller, bank3, bank1)) {
                node.process.toHandle().destroy(); // Ctrl-C
                assertEquals(0, node.waitFor(Duration.ofSeconds(60)), "a clean stop: " + node.lines);
            }
        } finally {
            for (Run run : runs) {
                run.kill();
            }
        }
    }

    private static int totals(List<String> lines) {
        return (int) lines.stream().filter(line -> line.contains(" transfers; balances ")).count();
    }

    @Test
    @Order(5)
    void theLoggingPagesNodeCommandsRunAsWritten() throws Exception {
        String page = Files.readString(clone.resolve("docs/LOGGING.md"));
        // The user writes the two files the page shows into the checkout, then runs its commands there.
        Files.writeString(clone.resolve("logging.properties"), block(page, "```properties\n", ""));
        Files.writeString(clone.resolve("logback.xml"), block(page, "```xml\n", "<configuration>"));
        List<String> commands = new ArrayList<>();
        Matcher sh = Pattern.compile("(?m)^```sh\n(.*?)^```$", Pattern.DOTALL).matcher(page);
        while (sh.find()) {
            commands.add(sh.group(1).strip());
        }
        assertEquals(2, commands.size(), "the page's two command blocks: " + commands);

        Run debug = runToTheEnd(commands.get(0));
        assertTrue(debug.lines.stream().anyMatch(line -> line.matches(
                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} FINE    io\\.spinoff\\.runtime: Supervisor /user/supervisionDemo decided RESTART"
                        + " for /user/supervisionDemo/worker .*")), "DEBUG output in the one-line format: " + debug.lines);

        Run logback = runToTheEnd(commands.get(1));
        assertTrue(logback.lines.stream().anyMatch(line -> line.matches(
                "\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  io\\.spinoff\\.runtime: Actor /user/supervisionDemo/worker failed: .*")),
                "the failure through SLF4J and Logback, in logback.xml's pattern: " + logback.lines);
        assertTrue(logback.lines.stream().anyMatch(line -> line.strip().startsWith("at io.spinoff.examples.example2.WorkerActor")),
                "with its stack trace: " + logback.lines);
    }

    /** @return the text of the first fenced block that opens with the fence and starts with the text */
    private static String block(String page, String fence, String start) {
        int from = page.indexOf(fence + start);
        assertTrue(from >= 0, "a block " + fence.strip() + " starting with '" + start + "'");
        int body = from + fence.length();
        return page.substring(body, page.indexOf("```", body));
    }

    private static Run runToTheEnd(String commands) throws Exception {
        Run run = Run.start(clone, List.of("bash", "-c", "set -e\n" + commands), mavenEnvironment());
        try {
            assertEquals(0, run.waitFor(BUILD_AND_RUN), commands + ": " + run.lines);
        } finally {
            run.kill();
        }
        return run;
    }

    private static void greetAndStop(String greeting) throws Exception {
        Run node = Run.start(clone, List.of("bash", "-c", FIRST_COMMAND), mavenEnvironment());
        try {
            node.await(lines -> lines.stream().anyMatch(line -> line.contains(greeting))
                    && lines.stream().filter(line -> line.contains("got ack")).count() >= 2, BUILD_AND_RUN);
            assertTrue(node.lines.stream().anyMatch(line -> line.contains("startnode: building the project")),
                    "a fresh clone, and a changed source, are built first: " + node.lines);
            node.process.toHandle().destroy(); // SIGTERM to the node (the script has exec'd java)
            assertEquals(0, node.waitFor(Duration.ofSeconds(30)), "a clean stop exits 0: " + node.lines);
            assertTrue(node.lines.getLast().contains("Node spinoff stopped"), node.lines.toString());
        } finally {
            node.kill();
        }
    }

    @Test
    @Order(6)
    void gettingStartedBuildsAndRunsExactlyAsThePageSays() throws Exception {
        String page = Files.readString(clone.resolve("docs/GETTING-STARTED.md"));
        Path project = clone.resolve("examples/getting-started");

        // Every file the page shows is the file in the repository, to the character.
        Matcher file = Pattern.compile("(?m)^`([^`\\s]+)`:\\n\\n```(?:xml|java)\\n(.*?)^```$", Pattern.DOTALL).matcher(page);
        int files = 0;
        while (file.find()) {
            assertEquals(Files.readString(project.resolve(file.group(1))), file.group(2),
                    "docs/GETTING-STARTED.md shows " + file.group(1) + " as it is in examples/getting-started");
            files++;
        }
        try (Stream<Path> sources = Files.walk(project)) {
            assertEquals(sources.filter(Files::isRegularFile).count(), files,
                    "the page shows every file of examples/getting-started");
        }

        // The project is built outside the reactor, in a folder of its own, as a user would.
        Path hello = work.resolve("hello-spinoff");
        copyWithout(project, hello, null);

        Matcher block = Pattern.compile("(?m)^```sh\\n# in ([^\\n]+)\\n(.*?)^```\\n(?:\\nIt prints[^\\n]*\\n\\n```text\\n(.*?)^```$)?",
                Pattern.DOTALL).matcher(page);
        int commands = 0;
        while (block.find()) {
            Path folder = switch (block.group(1).strip()) {
                case "the Spinoff checkout" -> clone;
                case "hello-spinoff" -> hello;
                default -> throw new AssertionError("a command block of the page says '# in " + block.group(1)
                        + "'; the test knows 'the Spinoff checkout' and 'hello-spinoff'");
            };
            for (String command : block.group(2).strip().split("\n")) {
                Run run = Run.start(folder, List.of("bash", "-c", command), mavenEnvironment());
                try {
                    assertEquals(0, run.waitFor(BUILD_AND_RUN), command + " in " + folder + ": " + run.lines);
                } finally {
                    run.kill();
                }
                if (block.group(3) != null) {
                    List<String> printed = run.lines.stream().map(NewcomerPathTest::withoutTime).toList();
                    for (String expected : block.group(3).strip().split("\n")) {
                        assertTrue(printed.contains(withoutTime(expected)),
                                command + " prints '" + expected + "' as the page says; it printed " + run.lines);
                    }
                }
                commands++;
            }
        }
        assertTrue(commands >= 4, "the page's commands were found and run: " + commands);
    }

    private static String withoutTime(String line) {
        return LOG_TIME.matcher(line.replaceAll("\u001B\\[[0-9;]*m", "")).replaceFirst("").strip();
    }

    /**
     * The commands' Maven uses the copied repository, and JAVA_HOME is unset, as in a newcomer's
     * shell: Maven then runs on the {@code java} of PATH (older than 21 on the machines this project
     * is built on), and the JDK 21+ must be found by the project itself.
     */
    private static Map<String, String> mavenEnvironment() {
        Map<String, String> environment = new HashMap<>();
        environment.put("MAVEN_OPTS", "-Dmaven.repo.local=" + repository);
        environment.put("JAVA_HOME", null);
        return environment;
    }

    /**
     * Copies a tree, leaving out one sub-folder. Jars and POMs are hard-linked when possible (they are
     * never written in place); everything else is copied.
     */
    private static void copyWithout(Path from, Path to, Path excluded) throws IOException {
        Path skip = excluded == null ? null : from.resolve(excluded);
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                if (dir.equals(skip)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path path, BasicFileAttributes attributes) throws IOException {
                Path target = to.resolve(from.relativize(path).toString());
                String name = path.getFileName().toString();
                if (name.endsWith(".jar") || name.endsWith(".pom")) {
                    try {
                        Files.createLink(target, path);
                        return FileVisitResult.CONTINUE;
                    } catch (IOException | UnsupportedOperationException e) {
                        // another file system: copy instead
                    }
                }
                Files.copy(path, target);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** A child process whose output (stdout and stderr merged) is collected line by line. */
    private static final class Run {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        private Run(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        lines.add(line);
                    }
                } catch (IOException e) {
                    lines.add("(output unreadable: " + e + ")");
                }
            }, "newcomer-output");
            reader.setDaemon(true);
            reader.start();
        }

        static Run start(Path folder, List<String> command, Map<String, String> environment) throws IOException {
            ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true);
            environment.forEach((name, value) -> {
                if (value == null) {
                    builder.environment().remove(name);
                } else {
                    builder.environment().put(name, value);
                }
            });
            return new Run(builder.start());
        }

        void await(Predicate<List<String>> condition, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!condition.test(new ArrayList<>(lines))) {
                if (!process.isAlive()) {
                    process.waitFor();
                    Thread.sleep(200); // the last lines
                    if (condition.test(new ArrayList<>(lines))) {
                        return;
                    }
                    fail("exited with " + process.exitValue() + " before the expected output: " + lines);
                }
                if (System.nanoTime() > deadline) {
                    fail("not seen within " + limit + ": " + lines);
                }
                Thread.sleep(100);
            }
        }

        int waitFor(Duration limit) throws InterruptedException {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("still running after " + limit + ": " + lines);
            }
            Thread.sleep(100); // let the reader take the last lines
            return process.exitValue();
        }

        void kill() {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
