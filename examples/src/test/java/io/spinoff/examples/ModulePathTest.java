package io.spinoff.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spinoff in a named module on the module path: user modules compiled with {@code javac}, the
 * processor found on the processor module path or on the processor path, and run with
 * {@code java --module-path}. The build's own tests run on the class path; these are the ones that
 * hold the module descriptors of api, processor and runtime to what a user's module needs.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ModulePathTest {

    private static final String PROCESSOR = "io.spinoff.processor.ActorProtocolProcessor";
    private static final Duration COMPILE = Duration.ofSeconds(60);
    private static final Duration RUN = Duration.ofSeconds(60);

    @TempDir
    Path directory;

    // ------------------------------------------------------------------ example 1 under the node

    /**
     * The README's example, as a module of its own: {@code ExampleProcess} under
     * {@code io.spinoff.runtime.Node}, launched from the module path. The node creates the class
     * reflectively, so the module exports its package to the runtime, and nothing more.
     */
    @Test
    void example1RunsAsAUserModuleUnderTheNode() throws Exception {
        Path classes = compileExample1("""
                module io.spinoff.examples {
                    requires io.spinoff.runtime;
                    // The node creates ExampleProcess reflectively.
                    exports io.spinoff.examples.example1 to io.spinoff.runtime;
                }
                """);
        Run node = startNode(classes);
        try {
            node.awaitCount("got ack from", 2, RUN);
            node.process().destroy(); // SIGTERM: the node's handler (sun.misc.Signal) closes the system
            assertEquals(0, node.waitFor(RUN), node.output());
            String log = node.output();
            assertTrue(log.contains("ExampleActor: 'hello!' from AckerRef[/user/exampleProcess]"), log);
            assertTrue(log.contains("ExampleActor: stopping"), log);
        } finally {
            node.process().destroyForcibly();
        }
    }

    /** Without the export, the node cannot create the class, and says how to fix that. */
    @Test
    void theNodeNamesTheExportItNeeds() throws Exception {
        Path classes = compileExample1("""
                module io.spinoff.examples {
                    requires io.spinoff.runtime;
                }
                """);
        Run node = startNode(classes);
        try {
            assertEquals(2, node.waitFor(RUN), node.output());
            assertTrue(node.output().contains("add 'exports io.spinoff.examples.example1 to io.spinoff.runtime;' to"
                    + " the module-info of io.spinoff.examples"), node.output());
        } finally {
            node.process().destroyForcibly();
        }
    }

    /** Example 1's sources as the module io.spinoff.examples, compiled with the processor as a module. */
    private Path compileExample1(String moduleInfo) throws Exception {
        Path sources = directory.resolve("src");
        Path exampleSources = checkout().resolve("examples/src/main/java/io/spinoff/examples/example1");
        Path pkg = Files.createDirectories(sources.resolve("io/spinoff/examples/example1"));
        try (Stream<Path> files = Files.list(exampleSources)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Files.copy(file, pkg.resolve(file.getFileName()));
            }
        }
        write(sources.resolve("module-info.java"), moduleInfo);
        Path classes = directory.resolve("classes");
        // The processor as a module: found through its "provides" clause.
        compile(sources, classes, "--processor-module-path", processorPath());
        assertTrue(Files.exists(classes.resolve("io/spinoff/examples/example1/GreeterProtocol.class")),
                "the processor ran on the module path");
        return classes;
    }

    private Run startNode(Path classes) throws Exception {
        return Run.start(directory.resolve("node.log"), java(),
                "--module-path", classes + File.pathSeparator + modulePath(),
                "--add-modules", "io.spinoff.examples",
                "-m", "io.spinoff.runtime/io.spinoff.runtime.Node",
                "--actor", "io.spinoff.examples.example1.ExampleProcess", "--name", "alpha");
    }

    // ------------------------------------------------------------------ a module that only requires

    /**
     * Sources of a module {@code demo.app} that reads the runtime and nothing else: it neither
     * exports nor opens its package. A public protocol crosses the wire between two nodes with CURVE
     * on; a package-private protocol stays local; the program reads the system's MXBean through a
     * JMX proxy. Flight Recorder events are checked from the outside.
     */
    private Path demoSources() throws IOException {
        Path sources = directory.resolve("demo-src");
        Path pkg = Files.createDirectories(sources.resolve("demo/app"));
        write(sources.resolve("module-info.java"), """
                module demo.app {
                    requires io.spinoff.runtime;
                }
                """);
        write(pkg.resolve("Counter.java"), """
                package demo.app;

                import io.spinoff.api.ActorProtocol;
                import java.util.concurrent.CompletionStage;

                @ActorProtocol
                public interface Counter {
                    void add(int amount);

                    CompletionStage<Integer> total();
                }
                """);
        write(pkg.resolve("Tally.java"), """
                package demo.app;

                import io.spinoff.api.ActorProtocol;
                import java.util.concurrent.CompletionStage;

                @ActorProtocol(local = true)
                interface Tally {
                    CompletionStage<String> mark(String label);
                }
                """);
        write(pkg.resolve("CounterActor.java"), """
                package demo.app;

                import io.spinoff.runtime.Actor;
                import java.util.concurrent.CompletableFuture;
                import java.util.concurrent.CompletionStage;

                final class CounterActor extends Actor implements Counter, Tally {
                    private int total;
                    private int marks;

                    @Override
                    public void add(int amount) {
                        total += amount;
                    }

                    @Override
                    public CompletionStage<Integer> total() {
                        return CompletableFuture.completedFuture(total);
                    }

                    @Override
                    public CompletionStage<String> mark(String label) {
                        return CompletableFuture.completedFuture(label + " #" + ++marks);
                    }
                }
                """);
        write(pkg.resolve("Main.java"), """
                package demo.app;

                import io.spinoff.runtime.ActorSystem;
                import io.spinoff.runtime.ActorSystemMXBean;
                import io.spinoff.runtime.PeerInfo;
                import io.spinoff.runtime.remote.CurveKeyPair;
                import io.spinoff.runtime.remote.CurveSettings;
                import java.lang.management.ManagementFactory;
                import java.util.concurrent.TimeUnit;
                import javax.management.JMX;
                import javax.management.ObjectName;

                public final class Main {
                    public static void main(String[] args) throws Exception {
                        String alphaHost = "127.0.0.1:" + args[0];
                        String betaHost = "127.0.0.1:" + args[1];
                        CurveKeyPair alphaKeys = CurveKeyPair.generate();
                        CurveKeyPair betaKeys = CurveKeyPair.generate();
                        try (ActorSystem beta = ActorSystem.builder("beta").bind("tcp://" + betaHost)
                                        .curve(CurveSettings.of(betaKeys).allowPeer(alphaHost, alphaKeys.publicKey()))
                                        .build();
                                ActorSystem alpha = ActorSystem.builder("alpha").bind("tcp://" + alphaHost)
                                        .curve(CurveSettings.of(alphaKeys).allowPeer(betaHost, betaKeys.publicKey()))
                                        .build()) {
                            Counter local = beta.spawn(Counter.class, CounterActor::new, "counter");
                            local.add(2);
                            Counter remote = alpha.lookup(Counter.class, "beta@" + betaHost + "/user/counter");
                            remote.add(3);
                            System.out.println("demo: remote total " + remote.total().toCompletableFuture().get(30, TimeUnit.SECONDS));

                            Tally tally = beta.spawn(Tally.class, CounterActor::new, "tally");
                            tally.mark("first");
                            System.out.println("demo: tally " + tally.mark("second").toCompletableFuture().get(30, TimeUnit.SECONDS));

                            ActorSystemMXBean bean = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
                                    new ObjectName("io.spinoff:type=ActorSystem,name=beta"), ActorSystemMXBean.class);
                            System.out.println("demo: beta over JMX: " + bean.getName() + ", " + bean.getLiveActors()
                                    + " live actors, peers " + bean.getPeers().stream().map(PeerInfo::getNode).toList());
                        }
                        System.out.println("demo: closed");
                    }
                }
                """);
        return sources;
    }

    @Test
    void aModuleThatOnlyRequiresTheRuntimeSpawnsAsksAndCrossesTheWire() throws Exception {
        Path classes = directory.resolve("demo-classes");
        // The processor on the processor path (its META-INF/services entry), compiling a named module.
        compile(demoSources(), classes, "--processor-path", processorPath());

        int alphaPort = freePort();
        int betaPort = freePort();
        Path recording = directory.resolve("demo.jfr");
        Run run = Run.start(directory.resolve("demo.log"), java(),
                "-XX:StartFlightRecording:filename=" + recording,
                "--module-path", classes + File.pathSeparator + modulePath(),
                // JeroMQ reads jnacl, which CURVE needs, only as a static dependency.
                "--add-modules", "jnacl",
                "-m", "demo.app/demo.app.Main", String.valueOf(alphaPort), String.valueOf(betaPort));
        try {
            assertEquals(0, run.waitFor(RUN), run.output());
        } finally {
            run.process().destroyForcibly();
        }
        List<String> lines = run.output().lines().filter(line -> line.startsWith("demo: ")).toList();
        assertEquals(List.of(
                "demo: remote total 5",
                "demo: tally second #2",
                "demo: beta over JMX: beta, 2 live actors, peers [alpha@127.0.0.1:" + alphaPort + "]",
                "demo: closed"), lines, run.output());

        // The runtime's Flight Recorder events come from a package the runtime does not export.
        Map<String, List<RecordedEvent>> events;
        try (Stream<RecordedEvent> all = RecordingFile.readAllEvents(recording).stream()) {
            events = all.filter(e -> e.getEventType().getName().startsWith("spinoff."))
                    .collect(Collectors.groupingBy(e -> e.getEventType().getName()));
        }
        List<String> started = events.getOrDefault("spinoff.ActorStarted", List.of()).stream()
                .map(e -> e.getString("system") + " " + e.getString("path") + " " + e.getString("actorClass"))
                .sorted().toList();
        assertTrue(started.containsAll(List.of("beta /user/counter demo.app.CounterActor",
                "beta /user/tally demo.app.CounterActor")), "ActorStarted events: " + started);
    }

    /** The processor as a module, selected by name as a build's annotationProcessors list does. */
    @Test
    void theProcessorModuleIsFoundByName() throws Exception {
        Path classes = directory.resolve("named-classes");
        compile(demoSources(), classes, "--processor-module-path", processorPath(), "-processor", PROCESSOR);
        for (String generated : List.of("CounterProtocol", "CounterRef", "CounterMessage", "TallyProtocol")) {
            assertTrue(Files.exists(classes.resolve("demo/app/" + generated + ".class")), generated + " generated");
        }
    }

    // ------------------------------------------------------------------ support

    private static Path checkout() {
        return Path.of(System.getProperty("spinoff.checkout", "..")).toAbsolutePath().normalize();
    }

    /** The runtime's modules (runtime, API, JeroMQ, jnacl), as the build resolved them. */
    private static String modulePath() throws IOException {
        return pathFromFile("spinoff.modulePathFile");
    }

    /** The processor, the API and JavaPoet, as the build resolved them. */
    private static String processorPath() throws IOException {
        return pathFromFile("spinoff.processorPathFile");
    }

    private static String pathFromFile(String property) throws IOException {
        String file = System.getProperty(property);
        assertTrue(file != null && Files.isRegularFile(Path.of(file)),
                "the build writes the path to the file named by " + property + "; got " + file);
        String path = Files.readString(Path.of(file), StandardCharsets.UTF_8).strip();
        assertTrue(!path.isEmpty(), property + " names an empty path");
        return path;
    }

    private static String tool(String name) {
        return Path.of(System.getProperty("java.home"), "bin", name).toString();
    }

    private static String java() {
        return tool("java");
    }

    private void compile(Path sources, Path classes, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of(tool("javac"), "--release", "21", "-Xlint:all",
                "-d", classes.toString(), "--module-path", modulePath()));
        command.addAll(List.of(options));
        try (Stream<Path> files = Files.walk(sources)) {
            files.filter(f -> f.toString().endsWith(".java")).map(Path::toString).sorted().forEach(command::add);
        }
        Run javac = Run.start(directory.resolve("javac-" + classes.getFileName() + ".log"),
                command.toArray(String[]::new));
        assertEquals(0, javac.waitFor(COMPILE), "javac failed: " + javac.output());
        assertTrue(!javac.output().contains("warning"), "javac warned: " + javac.output());
    }

    private static void write(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    private static int freePort() throws IOException {
        return io.spinoff.testkit.LoopbackPorts.free();
    }

    /** A process whose stdout and stderr go to one log file. */
    private record Run(java.lang.Process process, Path log) {

        static Run start(Path log, String... command) throws IOException {
            java.lang.Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            return new Run(process, log);
        }

        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        void awaitCount(String fragment, int count, Duration limit) throws Exception {
            long deadline = System.nanoTime() + limit.toNanos();
            while (output().split(java.util.regex.Pattern.quote(fragment), -1).length - 1 < count) {
                if (!process.isAlive()) {
                    fail("ended with " + process.exitValue() + " before " + count + " times '" + fragment + "': "
                            + output());
                }
                if (System.nanoTime() > deadline) {
                    fail("fewer than " + count + " times '" + fragment + "' within " + limit + ": " + output());
                }
                Thread.sleep(50);
            }
        }

        int waitFor(Duration limit) throws Exception {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("still running after " + limit + ": " + output());
            }
            return process.exitValue();
        }
    }
}
