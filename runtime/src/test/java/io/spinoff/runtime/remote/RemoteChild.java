package io.spinoff.runtime.remote;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A {@link RemoteTestNode} in a child JVM, started with the same java binary and class path as the
 * test. Its output lines are read by a daemon thread; commands go to its standard input.
 */
final class RemoteChild {

    /** What a child prints when its output ends, so that a waiting reader stops at once. */
    private static final String END = "\u0000END";

    final Process process;
    final String nodeName;
    final long incarnation;
    private final LinkedBlockingQueue<String> lines;
    private final PrintWriter commands;

    private RemoteChild(Process process, String nodeName, long incarnation, LinkedBlockingQueue<String> lines) {
        this.process = process;
        this.nodeName = nodeName;
        this.incarnation = incarnation;
        this.lines = lines;
        this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    /**
     * Starts a child node and waits (generously) until it is bound.
     *
     * @param children where the process is recorded, before anything can fail, to be destroyed
     * @param heap the child's maximum heap, as in {@code -Xmx}
     * @param name the node's name
     * @param port its port, 0 for a free one
     * @param options options of {@link RemoteTestNode}
     */
    static RemoteChild start(List<Process> children, String heap, String name, int port, String... options)
            throws Exception {
        return start(children, heap, null, name, port, options);
    }

    /**
     * As {@link #start(List, String, String, int, String...)}, with the child's standard error
     * merged into its output and every line of both copied into {@code output} (and to this JVM's
     * standard error), for a test that checks what the child printed.
     *
     * @param output where every line goes, or null to leave standard error to this JVM's
     */
    static RemoteChild start(List<Process> children, String heap, List<String> output, String name, int port,
            String... options) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx" + heap, "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), RemoteTestNode.class.getName(), name, String.valueOf(port)));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command);
        if (output == null) {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        } else {
            builder.redirectErrorStream(true);
        }
        Process process = builder.start();
        children.add(process);
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                    if (output != null) {
                        output.add(line);
                        System.err.println("[" + name + "] " + line);
                    }
                }
            } catch (IOException e) {
                // the child is gone
            } finally {
                lines.add(END);
            }
        }, "child-output-" + name);
        reader.setDaemon(true);
        reader.start();
        String ready = next(lines, "READY ", 30);
        assertNotNull(ready, "the child node " + name + " did not start");
        String[] parts = ready.split(" ");
        return new RemoteChild(process, parts[1], Long.parseLong(parts[2]), lines);
    }

    /** @return the next line with that prefix within the time, or null */
    private static String next(LinkedBlockingQueue<String> lines, String prefix, long seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
            if (line == null || line.equals(END)) {
                if (line != null) {
                    lines.add(END);
                }
                return null;
            }
            if (line.startsWith(prefix)) {
                return line;
            }
        }
    }

    /** @return the port of the child's node */
    int port() {
        return Integer.parseInt(nodeName.substring(nodeName.lastIndexOf(':') + 1));
    }

    /** @return the child's node's {@code host:port} */
    String hostPort() {
        return nodeName.substring(nodeName.indexOf('@') + 1);
    }

    /**
     * Sends a command and waits for its answer.
     *
     * @return the answer without its first word
     */
    String command(String command, String answerPrefix, long seconds) throws InterruptedException {
        commands.println(command);
        String answer = next(lines, answerPrefix + " ", seconds);
        assertNotNull(answer, "the child " + nodeName + " did not answer " + command
                + (process.isAlive() ? "" : "; it exited with " + process.exitValue()));
        return answer.substring(answerPrefix.length() + 1);
    }

    /** The child's own view of itself. */
    record Status(boolean ioThreadAlive, long droppedFrames) {}

    Status status() throws InterruptedException {
        String[] parts = command("STATUS", "STATUS", 20).split(" ");
        return new Status(Boolean.parseBoolean(parts[0]), Long.parseLong(parts[1]));
    }

    /** Destroys every child process and waits a little for each. */
    static void destroyAll(List<Process> children) throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
        }
        for (Process child : children) {
            child.waitFor(10, TimeUnit.SECONDS);
        }
        children.clear();
    }
}
