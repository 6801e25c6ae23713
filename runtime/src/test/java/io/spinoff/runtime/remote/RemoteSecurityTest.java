package io.spinoff.runtime.remote;

import static io.spinoff.runtime.remote.RemoteTestSupport.await;
import static io.spinoff.runtime.remote.RemoteTestSupport.failure;
import static io.spinoff.runtime.remote.RemoteTestSupport.freePort;
import static io.spinoff.runtime.remote.RemoteTestSupport.node;
import static io.spinoff.runtime.remote.RemoteTestSupport.nodeName;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.support.WireWriter;
import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Hostile and unauthorised peers: random and mutated frames, an oversize frame, CURVE with wrong
 * keys. The node must keep serving its legitimate peers, losing nothing of theirs.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteSecurityTest {

    static final String FAKE_NODE = "fuzz@127.0.0.1:1";
    static final byte HELLO = 1;
    static final byte HEARTBEAT = 2;
    static final byte BATCH = 3;
    private static final byte TELL = 1;
    private static final byte ASK = 2;
    private static final byte TARGET = 8;

    /** An envelope as the wire format describes it, from {@link #FAKE_NODE}. */
    static byte[] envelope(byte kind, long incarnation, List<byte[]> frames, String helloTarget) {
        WireWriter out = new WireWriter(256, null);
        out.writeByte((byte) 0x53);
        out.writeByte((byte) 0x4F);
        out.writeByte((byte) 2);
        out.writeByte(kind);
        out.writeString(FAKE_NODE);
        out.writeLong(incarnation);
        if (helloTarget != null) {
            out.writeString(helloTarget);
        }
        for (byte[] frame : frames) {
            out.writeByteArray(frame);
        }
        return out.toByteArray();
    }

    /** Names a target for the rest of its envelope: the first is index 0, the next 1, and so on. */
    static byte[] targetFrame(String path) {
        WireWriter out = new WireWriter(128, null);
        out.writeByte(TARGET);
        out.writeString(path);
        out.writeString(RemoteEcho.class.getName());
        out.writeLong(RemoteEchoProtocol.INSTANCE.fingerprint());
        return out.toByteArray();
    }

    static byte[] tellFrame(int target, RemoteEchoMessage message) {
        WireWriter out = new WireWriter(128, null);
        out.writeByte(TELL);
        out.writeVarint(target);
        RemoteEchoProtocol.INSTANCE.encode(message, out);
        return out.toByteArray();
    }

    static byte[] askFrame(int target, long correlation, RemoteEchoMessage message) {
        WireWriter out = new WireWriter(128, null);
        out.writeByte(ASK);
        out.writeVarint(target);
        out.writeLong(correlation);
        out.writeVarlong(1_000);
        RemoteEchoProtocol.INSTANCE.encode(message, out);
        return out.toByteArray();
    }

    @Test
    void randomAndMutatedFramesAreDroppedWhileALegitimatePeerLosesNothing() throws Exception {
        int legitimate = 20_000;
        int hostile = 100_000;
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta"); ZContext raw = new ZContext(1)) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");
            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            RemoteSink sinkProxy = alpha.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(legitimate), "sink");
            assertEquals("warm@beta", await(echo.echo("warm")));

            RemoteSink fakeSink = alpha.lookup(RemoteSink.class, FAKE_NODE + "/user/sink");
            List<byte[]> templates = List.of(
                    envelope(HELLO, 42, List.of(), nodeName(beta)),
                    envelope(HEARTBEAT, 42, List.of(), null),
                    envelope(BATCH, 42, List.of(targetFrame("/user/echo"), tellFrame(0, new RemoteEchoMessage.Ping(7, fakeSink))),
                            null),
                    envelope(BATCH, 42, List.of(targetFrame("/user/echo"), askFrame(0, 9, new RemoteEchoMessage.Echo("x")),
                            targetFrame("/user/nobody"), tellFrame(1, new RemoteEchoMessage.Answer("y", fakeSink))), null));

            ZMQ.Socket attacker = RemoteTestSupport.rawDealer(raw);
            attacker.connect("tcp://" + nodeName(beta).substring(nodeName(beta).indexOf('@') + 1));
            Random random = new Random(6);
            CompletableFuture<Void> attack = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < hostile; i++) {
                    byte[] frame;
                    if (random.nextBoolean()) {
                        frame = new byte[random.nextInt(200)];
                        random.nextBytes(frame);
                    } else {
                        byte[] template = templates.get(random.nextInt(templates.size()));
                        frame = template.clone();
                        if (random.nextInt(8) == 0) {
                            frame = java.util.Arrays.copyOf(frame, random.nextInt(frame.length));
                        }
                        for (int flips = 1 + random.nextInt(3); flips > 0 && frame.length > 0; flips--) {
                            frame[random.nextInt(frame.length)] ^= (byte) (1 + random.nextInt(255));
                        }
                    }
                    attacker.send(frame, 0);
                }
            });
            for (int i = 0; i < legitimate; i++) {
                echo.ping(i, sinkProxy);
            }
            attack.get(40, TimeUnit.SECONDS);
            // One well-formed frame behind the attack on the same connection: once it is handled,
            // so is every hostile frame before it.
            RemoteSinkActor[] marker = new RemoteSinkActor[1];
            RemoteSink markerProxy = alpha.spawn(RemoteSink.class, () -> marker[0] = new RemoteSinkActor(1), "marker");
            attacker.send(envelope(BATCH, 43, List.of(targetFrame("/user/echo"),
                    tellFrame(0, new RemoteEchoMessage.Ping(0, markerProxy))), null), 0);
            assertEquals(1, marker[0].done.get(30, TimeUnit.SECONDS), "the node still serves the attacker's connection");
            assertEquals(legitimate, sink[0].done.get(30, TimeUnit.SECONDS), "every legitimate message arrived, in order");
            assertEquals("after@beta", await(echo.echo("after")), "the node still serves");
            long dropped = beta.metrics().droppedFrames();
            assertTrue(dropped > hostile / 4, "hostile frames are counted as dropped: " + dropped);
        }
    }

    @Test
    void anOversizeFrameIsRefusedAndTheNodeKeepsServing() throws Exception {
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta"); ZContext raw = new ZContext(1)) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");
            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            RemoteSink sinkProxy = alpha.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(100), "sink");
            assertEquals("warm@beta", await(echo.echo("warm")));

            // A well-formed batch whose first frame would make beta answer pong(777) to alpha's
            // sink, padded past the 1 MiB limit: ZeroMQ must refuse it before reading it.
            byte[] padding = new byte[2 << 20];
            byte[] oversize = envelope(BATCH, 42, List.of(
                    targetFrame("/user/echo"), tellFrame(0, new RemoteEchoMessage.Ping(777, sinkProxy)), padding), null);
            ZMQ.Socket attacker = RemoteTestSupport.rawDealer(raw);
            attacker.connect("tcp://" + nodeName(beta).substring(nodeName(beta).indexOf('@') + 1));
            attacker.send(oversize, 0);
            Thread.sleep(500);

            for (int i = 0; i < 100; i++) {
                echo.ping(i, sinkProxy);
            }
            assertEquals(100, sink[0].done.get(10, TimeUnit.SECONDS), "pong 777 never came, the others did in order");
            assertEquals(100, await(echo.pings()));
        }
    }

    @Test
    void curveLetsTheRightKeyInAndKeepsWrongKeysOut() throws Exception {
        CurveKeyPair alphaKeys = CurveKeyPair.generate();
        CurveKeyPair betaKeys = CurveKeyPair.generate();
        CurveKeyPair intruderKeys = CurveKeyPair.generate();
        int alphaPort = freePort();
        int betaPort = freePort();
        String alphaHost = "127.0.0.1:" + alphaPort;
        String betaHost = "127.0.0.1:" + betaPort;
        try (ActorSystem alpha = ActorSystem.builder("alpha").bind("tcp://" + alphaHost)
                        .curve(CurveSettings.of(alphaKeys).allowPeer(betaHost, betaKeys.publicKey())).build();
                ActorSystem beta = ActorSystem.builder("beta").bind("tcp://" + betaHost)
                        .curve(CurveSettings.of(betaKeys).allowPeer(alphaHost, alphaKeys.publicKey())).build();
                // Knows beta's server key, but beta does not list its client key.
                ActorSystem intruder = ActorSystem.builder("intruder").bind("tcp://127.0.0.1:0")
                        .downAfter(Duration.ofSeconds(20))
                        .curve(CurveSettings.of(intruderKeys).allowPeer(betaHost, betaKeys.publicKey())).build();
                // Speaks plain TCP to a CURVE node.
                ActorSystem plain = node("plain")) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteEcho fromAlpha = alpha.lookup(RemoteEcho.class, "beta@" + betaHost + "/user/echo");
            assertEquals("hi@beta", await(fromAlpha.echo("hi")));

            RemoteEcho fromIntruder = intruder.lookup(RemoteEcho.class, "beta@" + betaHost + "/user/echo");
            RemoteEcho fromPlain = plain.lookup(RemoteEcho.class, "beta@" + betaHost + "/user/echo");
            RemoteSink intruderSink = intruder.spawn(RemoteSink.class, () -> new RemoteSinkActor(1), "sink");
            RemoteSink plainSink = plain.spawn(RemoteSink.class, () -> new RemoteSinkActor(1), "sink");
            for (int i = 0; i < 10; i++) {
                fromIntruder.ping(i, intruderSink);
                fromPlain.ping(i, plainSink);
            }
            var intruderAsk = intruder.ref("beta@" + betaHost + "/user/echo")
                    .ask(new RemoteEchoMessage.Echo("let me in"), Duration.ofMillis(1_500));
            assertNotNull(failure(intruderAsk, 5_000));
            assertEquals(0, await(fromAlpha.pings()), "nothing from a wrong or missing key was delivered");
            assertTrue(beta.metrics().droppedFrames() > 0, "refused handshakes are counted");
            assertEquals("still@beta", await(fromAlpha.echo("still")));

            RemoteEcho unknownKey = alpha.lookup(RemoteEcho.class, "beta@127.0.0.1:" + freePort() + "/user/echo");
            Throwable noKey = failure(unknownKey.echo("x"), 5_000);
            assertTrue(noKey instanceof NodeUnreachableException && noKey.getMessage().contains("allowPeer"),
                    String.valueOf(noKey));
        }
    }

    @Test
    void curveSettingsRejectBadKeysWithTheFix() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> CurveSettings.of(CurveKeyPair.generate()).allowClient("not a key"));
        assertTrue(bad.getMessage().contains("CurveKeyPair.generate()"), bad.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> CurveSettings.of(CurveKeyPair.generate()).allowPeer("beta@127.0.0.1:7200", CurveKeyPair.generate().publicKey()));
        assertTrue(!CurveKeyPair.generate().toString().contains("secret"), "toString hides the secret key");
        assertThrows(IllegalStateException.class,
                () -> ActorSystem.builder("x").curve(CurveSettings.of(CurveKeyPair.generate())).build());
        assertEquals(40, CurveKeyPair.generate().publicKey().length());
    }
}
