package io.spinoff.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.ActorRef;
import io.spinoff.examples.example1.ExampleProcess;
import io.spinoff.examples.example2.SupervisionDemo;
import io.spinoff.examples.example3.Pinged;
import io.spinoff.examples.example3.Pinger;
import io.spinoff.examples.example3.Ponger;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.Terminated;
import io.spinoff.testkit.SpinoffExtension;
import io.spinoff.testkit.TestKit;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples run in systems of the test kit (docs/TESTING.md), or as nodes in JVMs of their own;
 * their log lines tell what happened.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@ExtendWith(SpinoffExtension.class)
class ExamplesTest {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    /**
     * The test's waits for a line, by the fragment it must hold ({@link #logged}); guarded by
     * itself, as is adding to {@link #lines}, which the examples' threads do.
     */
    private final Map<String, CompletableFuture<String>> awaited = new HashMap<>();
    private final Logger examples = Logger.getLogger("io.spinoff.examples");
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            String line = record.getLoggerName().substring(record.getLoggerName().lastIndexOf('.') + 1) + ": "
                    + record.getMessage();
            synchronized (awaited) {
                lines.add(line);
                awaited.forEach((fragment, waiter) -> {
                    if (line.contains(fragment)) {
                        waiter.complete(line);
                    }
                });
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void listen() {
        examples.setLevel(Level.INFO);
        examples.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        examples.removeHandler(capture);
    }

    private long count(String fragment) {
        return lines.stream().filter(line -> line.contains(fragment)).count();
    }

    /**
     * @param fragment what the line holds
     * @return completed with the first line logged that holds the fragment, whether it was logged
     *     already or is still to come; the test waits on it with {@code kit.await}, not in a sleep loop
     */
    private CompletableFuture<String> logged(String fragment) {
        // Under the handler's lock: a line logged on another thread is either among the lines
        // already, or logged after the waiter is in place and completes it.
        synchronized (awaited) {
            CompletableFuture<String> waiter = awaited.computeIfAbsent(fragment, key -> new CompletableFuture<>());
            lines.stream().filter(line -> line.contains(fragment)).findFirst().ifPresent(waiter::complete);
            return waiter;
        }
    }

    /** Waits, up to the limit, for a line that holds the fragment; fails with the lines so far. */
    private String awaitLogged(TestKit kit, String fragment, Duration limit) {
        try {
            return kit.await(logged(fragment), limit);
        } catch (AssertionError e) {
            throw new AssertionError("no '" + fragment + "' within " + limit + ": " + lines, e);
        }
    }

    @Test
    void example1GreetsItsChildAndGetsAnAckEverySecond() {
        // On the kit's manual clock: the process's one-second sleeps pass when the test says so,
        // and each greeting and its ack have been handled when advance returns.
        try (TestKit kit = TestKit.manualTime()) {
            ActorRef<Object> process = kit.system().spawnProcess(ExampleProcess::new, "exampleProcess");
            assertTrue(kit.time().awaitIdle(Duration.ofSeconds(10)), "the process sleeps after its first ack");
            assertEquals(1, count("got ack"), lines.toString());
            kit.advance(Duration.ofMillis(999));
            assertEquals(1, count("got ack"), "not a millisecond early: " + lines);
            kit.advance(Duration.ofMillis(1));
            assertEquals(2, count("got ack"), lines.toString());
            kit.advance(Duration.ofSeconds(1));
            assertEquals(3, count("got ack"), lines.toString());
            kit.await(kit.system().stop(process));
        }
        assertEquals("ExampleActor: starting", lines.get(lines.stream().filter(l -> l.startsWith("ExampleActor")).map(lines::indexOf).findFirst().orElseThrow()));
        assertTrue(count("ExampleActor: 'hello!' from AckerRef[/user/exampleProcess]") >= 3, lines.toString());
        assertTrue(lines.getLast().equals("ExampleActor: stopping"), lines.toString());
        // each greeting is followed by its ack before the next greeting goes out
        int greetings = 0;
        int acks = 0;
        for (String line : lines) {
            if (line.contains("sending greeting")) {
                assertEquals(greetings, acks, "a greeting went out before the previous ack: " + lines);
                greetings++;
            } else if (line.contains("got ack")) {
                acks++;
            }
        }
    }

    @Test
    void example3PingsAcrossTwoNodesAndSeesThePongerGo(TestKit kit) {
        // Two nodes of the kit (SpinoffExtension closes them after the test and checks them for leaks).
        List<ActorSystem> nodes = kit.nodes(2);
        ActorSystem alpha = nodes.get(0);
        ActorSystem beta = nodes.get(1);
        String previous = System.getProperty(Pinger.PEER_PROPERTY);
        System.setProperty(Pinger.PEER_PROPERTY, beta.address());
        try {
            beta.spawn(Pinged.class, Ponger::new, "ponger");
            ActorRef<Object> pinger = alpha.spawnProcess(Pinger::new, "pinger");
            CompletionStage<Terminated> pingerEnds = alpha.whenTerminated(pinger);
            awaitLogged(kit, "Pinger: pong 2 from " + beta.address() + "/user/ponger", Duration.ofSeconds(30));
            beta.close();
            Terminated end = kit.await(pingerEnds, Duration.ofSeconds(30));
            assertEquals(Terminated.Reason.STOPPED, end.reason(), lines.toString());
        } finally {
            if (previous == null) {
                System.clearProperty(Pinger.PEER_PROPERTY);
            } else {
                System.setProperty(Pinger.PEER_PROPERTY, previous);
            }
        }
        assertTrue(count("Ponger: ping 1 from PongedRef[" + alpha.address() + "/user/pinger]") == 1,
                "the reply-to travelled as alpha's address: " + lines);
        assertTrue(count("Pinger: the ponger is gone") == 1, lines.toString());
    }

    // ------------------------------------------------------------------ example 3 as two nodes

    @TempDir
    Path directory;

    /** A node launched as bin/startnode launches it: a JVM of its own running io.spinoff.runtime.Node. */
    private record Node(java.lang.Process process, Path log) {
        String stderr() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }

        /** The node is another JVM, and its log file all there is to wait on: this polls it, within the limit. */
        void awaitLine(String fragment, Duration limit) throws Exception {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!stderr().contains(fragment)) {
                assertTrue(process.isAlive(), "node ended before '" + fragment + "': " + stderr());
                assertTrue(System.nanoTime() < deadline, "no '" + fragment + "' within " + limit + ": " + stderr());
                Thread.sleep(50);
            }
        }

        int awaitExit(Duration limit) throws Exception {
            assertTrue(process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS), "node still running after " + limit
                    + ": " + stderr());
            return process.exitValue();
        }
    }

    /**
     * The test's class path without the SLF4J bridge and its backend (another execution's test
     * dependencies), so that the nodes log through java.util.logging as under bin/startnode.
     */
    private static String nodeClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> {
                    String file = Path.of(entry).getFileName().toString();
                    return !file.startsWith("slf4j-") && !file.startsWith("logback-");
                })
                .collect(Collectors.joining(File.pathSeparator));
    }

    private Node startNode(String name, String bind, Class<?> actor, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", nodeClassPath(), "io.spinoff.runtime.Node",
                "--name", name, "--bind", bind, "--actor", actor.getName()));
        Path log = directory.resolve(name + ".log");
        java.lang.Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(log.toFile())
                .start();
        return new Node(process, log);
    }

    /** Starts beta's ponger and alpha's pinger and waits for two pongs. */
    private List<Node> startExample3() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Node beta = startNode("beta", "tcp://127.0.0.1:" + port, Ponger.class);
        try {
            beta.awaitLine("ponger ready", Duration.ofSeconds(30));
            Node alpha = startNode("alpha", "tcp://127.0.0.1:0", Pinger.class,
                    "-D" + Pinger.PEER_PROPERTY + "=beta@127.0.0.1:" + port);
            alpha.awaitLine("pong 2 from beta@127.0.0.1:" + port + "/user/ponger", Duration.ofSeconds(30));
            return List.of(alpha, beta);
        } catch (Throwable e) {
            beta.process().destroyForcibly();
            throw e;
        }
    }

    @Test
    void example3PingerNodeExitsOneWhenThePongersNodeGoesDown() throws Exception {
        List<Node> nodes = startExample3();
        Node alpha = nodes.get(0);
        Node beta = nodes.get(1);
        try {
            beta.process().destroyForcibly(); // SIGKILL: beta says nothing, alpha's failure detector notices
            beta.awaitExit(Duration.ofSeconds(10));
            assertEquals(1, alpha.awaitExit(Duration.ofSeconds(40)), "a node down is a failure: " + alpha.stderr());
            assertTrue(alpha.stderr().contains("the ponger is gone (NODE_DOWN)"), alpha.stderr());
            assertTrue(alpha.stderr().contains("failed for good"), alpha.stderr());
        } finally {
            alpha.process().destroyForcibly();
            beta.process().destroyForcibly();
        }
    }

    @Test
    void example3PingerNodeExitsZeroWhenThePongersNodeStopsCleanly() throws Exception {
        List<Node> nodes = startExample3();
        Node alpha = nodes.get(0);
        Node beta = nodes.get(1);
        try {
            beta.process().destroy(); // SIGTERM: beta closes cleanly and tells alpha the ponger stopped
            assertEquals(0, beta.awaitExit(Duration.ofSeconds(20)), beta.stderr());
            assertEquals(0, alpha.awaitExit(Duration.ofSeconds(20)), "the ponger stopped normally: " + alpha.stderr());
            assertTrue(alpha.stderr().contains("the ponger is gone (STOPPED)"), alpha.stderr());
        } finally {
            alpha.process().destroyForcibly();
            beta.process().destroyForcibly();
        }
    }

    @Test
    void example2RestartsTheFailingWorkerAndSeesItsEndThroughDeathWatch() {
        // On the real dispatcher, as bin/startnode runs it; the kit's close checks that nothing is left.
        try (TestKit kit = TestKit.create()) {
            example2RunsToItsEnd(kit);
        }
    }

    @Test
    void example2EndsTheSameWayWhateverTheInterleaving() {
        // The demo, its worker and the worker's restarts run on this thread, one step at a time,
        // in an order each seed chooses; the outcome must not depend on it.
        Set<List<String>> schedules = new HashSet<>();
        OptionalLong failed = TestKit.explore(20, kit -> {
            example2RunsToItsEnd(kit);
            schedules.add(kit.schedule());
        });
        assertEquals(OptionalLong.empty(), failed, "example 2 ended otherwise under a seed (its schedule is on"
                + " standard error): " + lines);
        assertTrue(schedules.size() > 1, "the seeds chose different interleavings: " + schedules.size());
    }

    /** Runs example 2 in the kit's system and checks how it ended, from its log. */
    private void example2RunsToItsEnd(TestKit kit) {
        lines.clear();
        ActorRef<Object> demo = kit.system().spawnProcess(SupervisionDemo::new, "demo");
        Terminated end = kit.await(kit.system().whenTerminated(demo), Duration.ofSeconds(30));
        assertEquals(Terminated.Reason.STOPPED, end.reason(), lines.toString());
        assertEquals(2, kit.system().metrics().restarts(), "the worker fails on jobs 5 and 10");
        assertEquals(2, count("WorkerActor: worker restarted after"), lines.toString());
        assertEquals(3, count("WorkerActor: worker started"), lines.toString());
        assertEquals(10, count("SupervisionDemo: job") - count(" failed ("), lines.toString());
        assertTrue(count("job 11: 11^2 = 121 (job 1 of this instance)") == 1, "a fresh instance after the restart: " + lines);
        assertTrue(count("death watch: /user/demo/worker terminated (STOPPED); 2 of 12 jobs failed") == 1, lines.toString());
    }
}
