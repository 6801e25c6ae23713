package io.spinoff.runtime.remote;

import static io.spinoff.runtime.remote.RemoteTestSupport.await;
import static io.spinoff.runtime.remote.RemoteTestSupport.failure;
import static io.spinoff.runtime.remote.RemoteTestSupport.node;
import static io.spinoff.runtime.remote.RemoteTestSupport.nodeName;
import static io.spinoff.runtime.remote.RemoteTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/** The remoting's Flight Recorder events (SPEC §8): node up and down, dropped frames, failed handshakes. */
class ObserveRemoteEventsTest {

    private static RecordedEvent awaitEvent(List<RecordedEvent> events, String name, Predicate<RecordedEvent> filter)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() - deadline < 0) {
            for (RecordedEvent event : events) {
                if (event.getEventType().getName().equals(name) && filter.test(event)) {
                    return event;
                }
            }
            Thread.sleep(20);
        }
        return fail("no matching " + name + " within 15 s; recorded: " + events);
    }

    /**
     * Read from a recording file, not a {@link RecordingStream}: the stream of JDK 25 shows a
     * pooled string (a node name longer than 16 characters) as null when the event that reuses it
     * comes a flush after the one that first wrote it, and node down comes seconds after node up.
     */
    @Test
    void nodeUpAndDownCarryTheIncarnation() {
        assertTimeoutPreemptively(Duration.ofSeconds(40), () -> {
            java.nio.file.Path file = java.nio.file.Files.createTempFile("spinoff-node", ".jfr");
            try (jdk.jfr.Recording recording = new jdk.jfr.Recording(); ActorSystem alpha = node("alpha")) {
                recording.enable("spinoff.NodeUp");
                recording.enable("spinoff.NodeDown");
                recording.start();
                String betaName;
                long betaIncarnation;
                try (ActorSystem beta = node("beta")) {
                    beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
                    betaName = nodeName(beta);
                    betaIncarnation = transport(beta).incarnation();
                    RemoteEcho echo = alpha.lookup(RemoteEcho.class, betaName + "/user/echo");
                    assertEquals("hi@beta", await(echo.echo("hi")));
                }
                String alphaName = nodeName(alpha);
                List<RecordedEvent> events = new CopyOnWriteArrayList<>();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
                while (events.stream().noneMatch(e -> e.getEventType().getName().equals("spinoff.NodeDown"))
                        && System.nanoTime() - deadline < 0) {
                    Thread.sleep(250);
                    recording.dump(file);
                    events.clear();
                    events.addAll(jdk.jfr.consumer.RecordingFile.readAllEvents(file));
                }
                RecordedEvent up = awaitEvent(events, "spinoff.NodeUp", e -> alphaName.equals(e.getString("localNode")));
                assertEquals(betaName, up.getString("node"));
                assertEquals(betaIncarnation, up.getLong("incarnation"));

                RecordedEvent down = awaitEvent(events, "spinoff.NodeDown", e -> alphaName.equals(e.getString("localNode")));
                assertEquals(betaName, down.getString("node"));
                assertEquals(betaIncarnation, down.getLong("incarnation"));
                assertTrue(down.getString("reason").contains("nothing was heard"), down.getString("reason"));
            } finally {
                java.nio.file.Files.deleteIfExists(file);
            }
        });
    }

    @Test
    void aFingerprintMismatchIsAFailedHandshakeAndADroppedFrame() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            List<RecordedEvent> events = new CopyOnWriteArrayList<>();
            try (RecordingStream stream = new RecordingStream(); ActorSystem alpha = node("alpha");
                    ActorSystem beta = node("beta")) {
                stream.enable("spinoff.HandshakeFailed");
                stream.enable("spinoff.FrameDropped");
                stream.onEvent(events::add);
                stream.startAsync();
                beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
                transport(beta).overrideFingerprint(RemoteEcho.class.getName(), 0x1234L);
                RemoteEcho echo = alpha.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");
                assertInstanceOf(ProtocolMismatchException.class, failure(echo.echo("hi"), 5_000));

                String betaName = nodeName(beta);
                RecordedEvent handshake = awaitEvent(events, "spinoff.HandshakeFailed",
                        e -> betaName.equals(e.getString("localNode")));
                assertEquals(nodeName(alpha), handshake.getString("peer"));
                assertEquals("FINGERPRINT_MISMATCH", handshake.getString("kind"));
                assertEquals(RemoteEcho.class.getName(), handshake.getString("detail"));

                RecordedEvent dropped = awaitEvent(events, "spinoff.FrameDropped",
                        e -> betaName.equals(e.getString("localNode")));
                assertEquals(1, dropped.getInt("frames"));
                assertEquals(nodeName(alpha), dropped.getString("peer"));
                assertTrue(dropped.getString("cause").contains(nodeName(alpha)), dropped.getString("cause"));
            }
        });
    }

    @Test
    void aRefusedCurveClientIsAFailedHandshake() {
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            CurveKeyPair betaKeys = CurveKeyPair.generate();
            String betaHost = "127.0.0.1:" + RemoteTestSupport.freePort();
            List<RecordedEvent> events = new CopyOnWriteArrayList<>();
            try (RecordingStream stream = new RecordingStream();
                    ActorSystem beta = ActorSystem.builder("beta").bind("tcp://" + betaHost)
                            .curve(CurveSettings.of(betaKeys)).build();
                    // Knows beta's server key, but beta lists no client key.
                    ActorSystem intruder = ActorSystem.builder("intruder").bind("tcp://127.0.0.1:0")
                            .curve(CurveSettings.of(CurveKeyPair.generate()).allowPeer(betaHost, betaKeys.publicKey()))
                            .build()) {
                stream.enable("spinoff.HandshakeFailed");
                stream.onEvent(events::add);
                stream.startAsync();
                beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
                RemoteEcho echo = intruder.lookup(RemoteEcho.class, "beta@" + betaHost + "/user/echo");
                echo.echo("let me in");

                RecordedEvent refused = awaitEvent(events, "spinoff.HandshakeFailed",
                        e -> "CURVE_REFUSED".equals(e.getString("kind")));
                assertEquals(nodeName(beta), refused.getString("localNode"));
                assertEquals("", refused.getString("peer"), "a refused client has no node name yet");
                assertEquals("client key not allowed", refused.getString("detail"));
            }
        });
    }
}
