package io.spinoff.runtime.remote;

import static io.spinoff.runtime.remote.RemoteTestSupport.await;
import static io.spinoff.runtime.remote.RemoteTestSupport.failure;
import static io.spinoff.runtime.remote.RemoteTestSupport.nodeName;
import static io.spinoff.runtime.remote.RemoteTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.Terminated;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Nodes in separate JVMs on loopback: the test starts {@link RemoteTestNode} children with the
 * same java binary and class path, and destroys them at the end whatever happens.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RemoteMultiJvmTest {

    private final List<Process> children = new ArrayList<>();

    /** A started child node. */
    private record Child(Process process, String nodeName, long incarnation) {
        int port() {
            return Integer.parseInt(nodeName.substring(nodeName.lastIndexOf(':') + 1));
        }
    }

    private Child start(String name, int port) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process process = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC",
                "-cp", System.getProperty("java.class.path"), RemoteTestNode.class.getName(), name, String.valueOf(port))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        children.add(process);
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        String line = CompletableFuture.supplyAsync(() -> {
            try {
                for (String read; (read = out.readLine()) != null; ) {
                    if (read.startsWith("READY ")) {
                        return read;
                    }
                }
                return null;
            } catch (java.io.IOException e) {
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        assertNotNull(line, "the child node " + name + " did not start");
        String[] parts = line.split(" ");
        return new Child(process, parts[1], Long.parseLong(parts[2]));
    }

    @AfterEach
    void destroyChildren() throws InterruptedException {
        for (Process child : children) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void replyToPassesThroughAThirdNodeInAnotherJvm() throws Exception {
        try (ActorSystem alpha = RemoteTestSupport.node("alpha")) {
            RemoteChild beta = RemoteChild.start(children, "256m", "beta", 0);
            RemoteChild gamma = RemoteChild.start(children, "256m", "gamma", 0);
            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            RemoteSink sinkProxy = alpha.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(0), "sink");
            RemoteEcho atBeta = alpha.lookup(RemoteEcho.class, beta.nodeName + "/user/echo");
            RemoteEcho atGamma = alpha.lookup(RemoteEcho.class, gamma.nodeName + "/user/echo");

            // alpha -> beta (gets a ref to gamma's actor and to alpha's sink) -> gamma -> alpha:
            // gamma has never heard of alpha before the reply-to arrives from beta.
            atBeta.relay("hello", atGamma, sinkProxy);
            assertEquals("hello via beta from gamma", sink[0].texts.poll(20, TimeUnit.SECONDS));
            // And the other way round: gamma -> beta -> alpha.
            atGamma.relay("back", atBeta, sinkProxy);
            assertEquals("back via gamma from beta", sink[0].texts.poll(20, TimeUnit.SECONDS));

            // Every hop keeps its order, so a stream through the third node arrives whole and in order.
            int relays = 1_000;
            for (int i = 0; i < relays; i++) {
                atBeta.relay(String.valueOf(i), atGamma, sinkProxy);
            }
            for (int i = 0; i < relays; i++) {
                assertEquals(i + " via beta from gamma", sink[0].texts.poll(20, TimeUnit.SECONDS));
            }
            // The children ask each other directly too.
            assertEquals("OK ask@gamma", beta.command("ASK " + gamma.nodeName + "/user/echo", "ANSWER", 30));
            assertEquals(0, alpha.metrics().droppedFrames());
        } finally {
            RemoteChild.destroyAll(children);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void fingerprintMismatchAcrossJvmsNamesProtocolAndBothNodes() throws Exception {
        try (ActorSystem alpha = RemoteTestSupport.node("alpha")) {
            // beta runs a changed RemoteEcho: its fingerprint differs from everyone else's.
            RemoteChild beta = RemoteChild.start(children, "256m", "beta", 0, "--fingerprint", "1234");
            RemoteChild gamma = RemoteChild.start(children, "256m", "gamma", 0);
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, beta.nodeName + "/user/echo");

            Throwable thrown = failure(echo.echo("hi"), 20_000);
            assertInstanceOf(ProtocolMismatchException.class, thrown);
            String message = thrown.getMessage();
            assertTrue(message.contains(RemoteEcho.class.getName()), message);
            assertTrue(message.contains(nodeName(alpha)), message);
            assertTrue(message.contains(beta.nodeName), message);
            assertTrue(message.contains("1234"), message);
            assertTrue(beta.status().droppedFrames() >= 1, "the refused ask is counted by beta");

            // Between two child JVMs: gamma gets the same readable error.
            String answer = gamma.command("ASK " + beta.nodeName + "/user/echo", "ANSWER", 30);
            assertTrue(answer.startsWith("FAIL " + ProtocolMismatchException.class.getName() + " "), answer);
            assertTrue(answer.contains(RemoteEcho.class.getName()), answer);
            assertTrue(answer.contains(gamma.nodeName), answer);
            assertTrue(answer.contains(beta.nodeName), answer);

            // A node with the same definition is served as usual.
            RemoteEcho atGamma = alpha.lookup(RemoteEcho.class, gamma.nodeName + "/user/echo");
            assertEquals("hi@gamma", await(atGamma.echo("hi")));
            System.out.println("fingerprint mismatch across JVMs: " + message);
        } finally {
            RemoteChild.destroyAll(children);
        }
    }

    @Test
    void pingPongOfOneHundredThousandMessagesAndAsksAcrossJvms() throws Exception {
        int messages = 100_000;
        Child beta = start("beta", 0);
        try (ActorSystem alpha = RemoteTestSupport.node("alpha")) {
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, beta.nodeName() + "/user/echo");
            assertEquals("hi@beta", await(echo.echo("hi")));
            Throwable thrown = failure(echo.explode("boom"), 5_000);
            assertInstanceOf(RemoteActorException.class, thrown);

            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            RemoteSink sinkProxy = alpha.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(messages), "sink");
            long start = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                echo.ping(i, sinkProxy);
            }
            assertEquals(messages, sink[0].done.get(60, TimeUnit.SECONDS), "every pong came back, in order");
            long nanos = System.nanoTime() - start;
            assertEquals(messages, await(echo.pings()));
            assertEquals(0, alpha.metrics().droppedFrames());

            int asks = 2_000;
            long askStart = System.nanoTime();
            for (int i = 0; i < asks; i++) {
                assertEquals(i + "@beta", await(echo.echo(String.valueOf(i))));
            }
            long askNanos = System.nanoTime() - askStart;
            System.out.printf("remote ping-pong: %d pings + %d pongs in %d ms (%.0f round trips/s); "
                    + "sequential ask round trip %.0f us%n", messages, messages, nanos / 1_000_000,
                    messages / (nanos / 1e9), askNanos / 1e3 / asks);
        }
    }

    @Test
    void killedNodeIsDetectedAndARestartIsANewIncarnation() throws Exception {
        Duration downAfter = Duration.ofSeconds(2);
        Child beta = start("beta", 0);
        try (ActorSystem alpha = ActorSystem.builder("alpha").bind("tcp://127.0.0.1:0")
                .heartbeatInterval(Duration.ofMillis(250)).downAfter(downAfter).build()) {
            String address = beta.nodeName() + "/user/echo";
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, address);
            assertEquals("hi@beta", await(echo.echo("hi")));
            RemoteSinkActor[] watcher = new RemoteSinkActor[1];
            alpha.spawn(RemoteSink.class, () -> watcher[0] = new RemoteSinkActor(0, echo), "watcher");
            var pending = alpha.ref(address).ask(new RemoteEchoMessage.Never(), Duration.ofSeconds(60));
            assertEquals("still@beta", await(echo.echo("still")));

            long killed = System.nanoTime();
            beta.process().destroyForcibly();
            assertTrue(beta.process().waitFor(10, TimeUnit.SECONDS));
            long bound = downAfter.toMillis() + 2_000;
            Terminated notice = watcher[0].notices.poll(bound + 3_000, TimeUnit.MILLISECONDS);
            long noticeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertNotNull(notice, "the watcher got no notice");
            assertEquals(Terminated.Reason.NODE_DOWN, notice.reason());
            assertEquals(address, notice.address());
            assertTrue(noticeMillis <= bound, "node down noticed after " + noticeMillis + " ms");
            Throwable askFailure = failure(pending, 1_000);
            long askMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertInstanceOf(NodeUnreachableException.class, askFailure);
            assertTrue(askMillis <= bound, "the pending ask failed after " + askMillis + " ms");
            System.out.printf("kill -9: watcher told NODE_DOWN after %d ms, pending ask failed after %d ms"
                    + " (threshold %d ms)%n", noticeMillis, askMillis, downAfter.toMillis());

            Child restarted = start("beta", beta.port());
            assertEquals(beta.nodeName(), restarted.nodeName());
            assertNotEquals(beta.incarnation(), restarted.incarnation());
            assertEquals("again@beta", await(echo.echo("again")), "the same proxy reaches the new incarnation");
            assertEquals(restarted.incarnation(), transport(alpha).peerIncarnation(beta.nodeName()));
        }
    }

    @Test
    void aNodeRestartedBeforeTheThresholdIsANewIncarnationAndOldWatchersAreTold() throws Exception {
        Child beta = start("beta", 0);
        // The default threshold, 10 s: only the new incarnation can explain a notice well before it.
        try (ActorSystem alpha = ActorSystem.builder("alpha").bind("tcp://127.0.0.1:0")
                .heartbeatInterval(Duration.ofMillis(250)).build()) {
            String address = beta.nodeName() + "/user/echo";
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, address);
            assertEquals("hi@beta", await(echo.echo("hi")));
            RemoteSinkActor[] watcher = new RemoteSinkActor[1];
            alpha.spawn(RemoteSink.class, () -> watcher[0] = new RemoteSinkActor(0, echo), "watcher");
            assertEquals("still@beta", await(echo.echo("still")));

            long killed = System.nanoTime();
            beta.process().destroyForcibly();
            assertTrue(beta.process().waitFor(10, TimeUnit.SECONDS));
            Child restarted = start("beta", beta.port());
            assertNotEquals(beta.incarnation(), restarted.incarnation());
            Terminated notice = watcher[0].notices.poll(8, TimeUnit.SECONDS);
            long noticeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertNotNull(notice, "the old watcher got no notice");
            assertEquals(Terminated.Reason.NODE_DOWN, notice.reason());
            assertTrue(noticeMillis < 8_000, "told after " + noticeMillis + " ms");
            System.out.printf("restart on the same port: old watchers told NODE_DOWN after %d ms (threshold 10000 ms)%n",
                    noticeMillis);
            assertEquals("again@beta", await(echo.echo("again")));
        }
    }
}
