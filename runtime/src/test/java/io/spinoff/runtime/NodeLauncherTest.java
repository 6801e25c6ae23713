package io.spinoff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.remote.RemoteEcho;
import io.spinoff.runtime.remote.RemoteEchoActor;
import io.spinoff.runtime.remote.RemoteTestSupport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The node launcher run as a child JVM: exit codes, usage, signals, log lines on stderr. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NodeLauncherTest {

    /** Returns at once: a normal stop. */
    public static final class Returns extends Process {
        @Override
        protected void run() {
            System.getLogger(Returns.class.getName()).log(System.Logger.Level.INFO, "returning");
        }
    }

    /** Throws on every run: restarted until the guardian gives up. */
    public static final class AlwaysFails extends Process {
        @Override
        protected void run() {
            throw new IllegalStateException("always fails");
        }
    }

    /** Waits for ever; logs its stop. */
    public static final class Forever extends Process {
        @Override
        protected void run() throws InterruptedException {
            System.getLogger(Forever.class.getName()).log(System.Logger.Level.INFO, "ready");
            receive(String.class);
        }

        @Override
        protected void postStop() {
            System.getLogger(Forever.class.getName()).log(System.Logger.Level.INFO, "postStop ran");
        }
    }

    /** No constructor without arguments. */
    public static final class NeedsArgument extends Process {
        public NeedsArgument(String argument) {
            // unused
        }

        @Override
        protected void run() {}
    }

    /** Logs whether its node registered the MBean, then returns. */
    public static final class ReportsJmx extends Process {
        @Override
        protected void run() throws Exception {
            boolean registered = java.lang.management.ManagementFactory.getPlatformMBeanServer()
                    .isRegistered(new javax.management.ObjectName("io.spinoff:type=ActorSystem,name=alpha"));
            System.getLogger(ReportsJmx.class.getName()).log(System.Logger.Level.INFO, "mbean registered: " + registered);
        }
    }

    /** Asks the echo at the address in system property {@code echo.address}, logs the answer, returns. */
    public static final class AsksEcho extends Process {
        @Override
        protected void run() throws Exception {
            RemoteEcho echo = context().system().lookup(RemoteEcho.class, System.getProperty("echo.address"));
            String answer = await(echo.echo("from " + context().system().address()), Duration.ofSeconds(20));
            System.getLogger(AsksEcho.class.getName()).log(System.Logger.Level.INFO, "answer: " + answer);
        }
    }

    @TempDir
    Path directory;

    private record Outcome(int exitCode, String stdout, String stderr) {}

    private java.lang.Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Node.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(directory.resolve("out.txt").toFile())
                .redirectError(directory.resolve("err.txt").toFile())
                .start();
    }

    private Outcome finish(java.lang.Process child, Duration limit) throws Exception {
        try {
            assertTrue(child.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS), "the node did not exit within " + limit);
            return new Outcome(child.exitValue(),
                    Files.readString(directory.resolve("out.txt"), StandardCharsets.UTF_8),
                    Files.readString(directory.resolve("err.txt"), StandardCharsets.UTF_8));
        } finally {
            child.destroyForcibly();
        }
    }

    private Outcome run(String... args) throws Exception {
        return finish(start(args), Duration.ofSeconds(60));
    }

    private String stderr() throws IOException {
        return Files.readString(directory.resolve("err.txt"), StandardCharsets.UTF_8);
    }

    @Test
    void helpPrintsTheUsageAndExitsZero() throws Exception {
        Outcome outcome = run("--help");
        assertEquals(0, outcome.exitCode());
        assertTrue(outcome.stdout().contains("--actor CLASS"), outcome.stdout());
        assertTrue(outcome.stdout().contains("--bind tcp://HOST:PORT"), outcome.stdout());
        assertTrue(outcome.stdout().contains("JAVA_OPTS"), "where JVM options go: " + outcome.stdout());
    }

    @Test
    void badArgumentsExitTwoAndSayWhy() throws Exception {
        Outcome missing = run();
        assertEquals(2, missing.exitCode());
        assertTrue(missing.stderr().contains("--actor is required"), missing.stderr());

        Outcome unknown = run("--actor", Returns.class.getName(), "--colour", "blue");
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.stderr().contains("unknown argument '--colour'"), unknown.stderr());

        Outcome noClass = run("--actor", "no.such.Thing");
        assertEquals(2, noClass.exitCode());
        assertTrue(noClass.stderr().contains("no class no.such.Thing"), noClass.stderr());

        Outcome noConstructor = run("--actor", NeedsArgument.class.getName());
        assertEquals(2, noConstructor.exitCode());
        assertTrue(noConstructor.stderr().contains("no constructor without arguments"), noConstructor.stderr());

        Outcome badTimeout = run("--actor", Returns.class.getName(), "--ask-timeout", "soon");
        assertEquals(2, badTimeout.exitCode());
        assertTrue(badTimeout.stderr().contains("is not a duration"), badTimeout.stderr());

        Outcome badBind = run("--actor", Returns.class.getName(), "--bind", "udp://x");
        assertEquals(2, badBind.exitCode());
        assertTrue(badBind.stderr().contains("tcp://HOST:PORT"), badBind.stderr());

        Outcome clusterWithoutNode = run("--actor", Returns.class.getName(), "--cluster", "embedded");
        assertEquals(2, clusterWithoutNode.exitCode());
        assertTrue(clusterWithoutNode.stderr().contains("--cluster needs a node"), clusterWithoutNode.stderr());
    }

    @Test
    void clusterWithoutTheClusterModuleIsAUsageErrorThatNamesIt() throws Exception {
        // The runtime's tests have no spinoff-cluster on their class path.
        Outcome outcome = run("--actor", Returns.class.getName(), "--bind", "tcp://127.0.0.1:0", "--cluster", "embedded");
        assertEquals(2, outcome.exitCode());
        assertTrue(outcome.stderr().contains("add io.spinoff:spinoff-cluster"), outcome.stderr());
    }

    @Test
    void anActorThatStopsNormallyExitsZero() throws Exception {
        Outcome outcome = run("--actor", Returns.class.getName(), "--name", "alpha");
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stderr().contains("returning"), outcome.stderr());
        assertTrue(outcome.stderr().contains("Node alpha stopped"), outcome.stderr());
    }

    @Test
    void bindMakesTheNodeReachableAndATakenPortIsAUsageError() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            Outcome refused = run("--actor", Returns.class.getName(), "--name", "alpha", "--bind", "tcp://127.0.0.1:" + port);
            assertEquals(2, refused.exitCode(), refused.stderr());
            assertTrue(refused.stderr().contains("cannot start node alpha"), refused.stderr());
            assertTrue(refused.stderr().contains("tcp://127.0.0.1:" + port + ": Address already in use"),
                    "the system's reason and the address, not a ZeroMQ error number: " + refused.stderr());
            assertTrue(refused.stderr().contains("pick a free port"), refused.stderr());
            assertFalse(refused.stderr().contains("Errno"), refused.stderr());
        }
        int free;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            free = probe.getLocalPort();
        }
        Outcome bound = run("--actor", Returns.class.getName(), "--name", "alpha", "--bind", "tcp://127.0.0.1:" + free);
        assertEquals(0, bound.exitCode(), bound.stderr());
        assertTrue(bound.stderr().contains("as alpha@127.0.0.1:" + free + "/user/nodeLauncherTest_Returns"), bound.stderr());
    }

    @Test
    void clientRunsTheActorInAClientNodeThatCallsANode() throws Exception {
        try (ActorSystem beta = RemoteTestSupport.node("beta")) {
            beta.spawn(RemoteEcho.class,
                    () -> new RemoteEchoActor("beta"), "echo");
            List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-Decho.address=" + beta.address() + "/user/echo", "-cp", System.getProperty("java.class.path"),
                    Node.class.getName(), "--actor", AsksEcho.class.getName(), "--name", "cli", "--client"));
            java.lang.Process child = new ProcessBuilder(command)
                    .redirectOutput(directory.resolve("out.txt").toFile())
                    .redirectError(directory.resolve("err.txt").toFile())
                    .start();
            Outcome outcome = finish(child, Duration.ofSeconds(60));
            assertEquals(0, outcome.exitCode(), outcome.stderr());
            assertTrue(outcome.stderr().matches("(?s).*as cli@client-[0-9a-f]{16}:0/user/\\S+ \\(a client node\\).*"),
                    outcome.stderr());
            assertTrue(outcome.stderr().matches("(?s).*answer: from cli@client-[0-9a-f]{16}:0@beta.*"),
                    outcome.stderr());
        }
        Outcome both = run("--actor", Returns.class.getName(), "--client", "--bind", "tcp://127.0.0.1:0");
        assertEquals(2, both.exitCode());
        assertTrue(both.stderr().contains("--client and --bind exclude each other"), both.stderr());
    }

    @Test
    void anAddressThatIsNotThisMachinesIsAUsageErrorInTheSystemsWords() throws Exception {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737), assigned to no interface; a bind sends no traffic.
        Outcome refused = run("--actor", Returns.class.getName(), "--name", "alpha", "--bind", "tcp://192.0.2.1:7100");
        assertEquals(2, refused.exitCode(), refused.stderr());
        assertTrue(refused.stderr().contains("cannot start node alpha"), refused.stderr());
        assertTrue(refused.stderr().contains("tcp://192.0.2.1:7100: Cannot assign requested address"), refused.stderr());
        assertTrue(refused.stderr().contains("is not an address of this machine"), refused.stderr());
        assertFalse(refused.stderr().contains("Errno"), refused.stderr());
    }

    @Test
    void anActorThatFailsForGoodExitsOne() throws Exception {
        Outcome outcome = run("--actor", AlwaysFails.class.getName());
        assertEquals(1, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stderr().contains("failed for good"), outcome.stderr());
    }

    @Test
    void sigtermStopsTheNodeCleanlyAndExitsZero() throws Exception {
        java.lang.Process child = start("--actor", Forever.class.getName());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!stderr().contains("ready")) {
            assertTrue(System.nanoTime() < deadline, "the node did not start: " + stderr());
            Thread.sleep(50);
        }
        child.destroy(); // SIGTERM
        Outcome outcome = finish(child, Duration.ofSeconds(20));
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        assertTrue(outcome.stderr().contains("postStop ran"), outcome.stderr());
        for (String line : outcome.stderr().split("\n")) {
            assertTrue(line.matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\S+ +\\S+: .*"), "not a one-line log record: " + line);
        }
    }

    @Test
    void theNodeKeepsItsMBeanUnlessNoJmx() throws Exception {
        Outcome with = run("--actor", ReportsJmx.class.getName(), "--name", "alpha");
        assertEquals(0, with.exitCode(), with.stderr());
        assertTrue(with.stderr().contains("mbean registered: true"), with.stderr());
        Outcome without = run("--actor", ReportsJmx.class.getName(), "--name", "alpha", "--no-jmx");
        assertEquals(0, without.exitCode(), without.stderr());
        assertTrue(without.stderr().contains("mbean registered: false"), without.stderr());
    }

    @Test
    void jfrRecordsFromStartToStop() throws Exception {
        Path file = directory.resolve("node.jfr");
        Outcome outcome = run("--actor", Returns.class.getName(), "--name", "alpha", "--jfr", file.toString());
        assertEquals(0, outcome.exitCode(), outcome.stderr());
        List<jdk.jfr.consumer.RecordedEvent> events = jdk.jfr.consumer.RecordingFile.readAllEvents(file);
        String path = "/user/nodeLauncherTest_Returns";
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("spinoff.ActorStarted")
                && path.equals(e.getString("path"))), "the start is recorded");
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("spinoff.ActorStopped")
                && path.equals(e.getString("path"))), "the stop is recorded");
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("jdk.GarbageCollection")
                || e.getEventType().getName().equals("jdk.CPULoad")), "with the JDK's default settings");

        Outcome missingDirectory = run("--actor", Returns.class.getName(), "--jfr", directory.resolve("no/such/x.jfr").toString());
        assertEquals(2, missingDirectory.exitCode());
        assertTrue(missingDirectory.stderr().contains("does not exist"), missingDirectory.stderr());
    }

    @Test
    void durationsParse() throws Exception {
        assertEquals(Duration.ofMillis(500), Node.duration("500ms"));
        assertEquals(Duration.ofSeconds(5), Node.duration("5s"));
        assertEquals(Duration.ofMinutes(2), Node.duration("2m"));
        assertEquals(Duration.ofSeconds(7), Node.duration("PT7S"));
        assertThrows(Node.UsageException.class, () -> Node.duration("0s"));
        assertThrows(Node.UsageException.class, () -> Node.duration("-5s"));
        assertEquals("exampleProcess", Node.actorName("io.spinoff.examples.example1.ExampleProcess"));
    }
}
