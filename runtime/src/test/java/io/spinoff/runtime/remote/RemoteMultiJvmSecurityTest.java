package io.spinoff.runtime.remote;

import static io.spinoff.runtime.remote.RemoteSecurityTest.BATCH;
import static io.spinoff.runtime.remote.RemoteSecurityTest.FAKE_NODE;
import static io.spinoff.runtime.remote.RemoteSecurityTest.HEARTBEAT;
import static io.spinoff.runtime.remote.RemoteSecurityTest.HELLO;
import static io.spinoff.runtime.remote.RemoteSecurityTest.askFrame;
import static io.spinoff.runtime.remote.RemoteSecurityTest.envelope;
import static io.spinoff.runtime.remote.RemoteSecurityTest.targetFrame;
import static io.spinoff.runtime.remote.RemoteSecurityTest.tellFrame;
import static io.spinoff.runtime.remote.RemoteTestSupport.await;
import static io.spinoff.runtime.remote.RemoteTestSupport.failure;
import static io.spinoff.runtime.remote.RemoteTestSupport.freePort;
import static io.spinoff.runtime.remote.RemoteTestSupport.node;
import static io.spinoff.runtime.remote.RemoteTestSupport.rawDealer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Hostile and unauthorised peers against a node in a child JVM ({@link RemoteTestNode}): random
 * and mutated frames and an oversize frame from a raw JeroMQ socket in the test JVM, and CURVE with
 * wrong or unlisted keys. The child must keep serving its legitimate peer, losing nothing of its.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RemoteMultiJvmSecurityTest {

    private final List<Process> children = new ArrayList<>();

    @AfterEach
    void destroyChildren() throws InterruptedException {
        RemoteChild.destroyAll(children);
    }

    /** @return a random frame, or one of the templates with a few bytes flipped and maybe cut short */
    private static byte[] hostileFrame(Random random, List<byte[]> templates) {
        if (random.nextBoolean()) {
            byte[] frame = new byte[random.nextInt(200)];
            random.nextBytes(frame);
            return frame;
        }
        byte[] frame = templates.get(random.nextInt(templates.size())).clone();
        if (random.nextInt(8) == 0) {
            frame = Arrays.copyOf(frame, random.nextInt(frame.length));
        }
        for (int flips = 1 + random.nextInt(3); flips > 0 && frame.length > 0; flips--) {
            frame[random.nextInt(frame.length)] ^= (byte) (1 + random.nextInt(255));
        }
        return frame;
    }

    @Test
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void randomAndMutatedFramesFromARawSocketDoNotHurtAChildNode() throws Exception {
        int legitimate = 20_000;
        int hostile = 100_000;
        try (ActorSystem alpha = node("alpha"); ZContext raw = new ZContext(1)) {
            RemoteChild beta = RemoteChild.start(children, "256m", "beta", 0);
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, beta.nodeName + "/user/echo");
            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            RemoteSink sinkProxy = alpha.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(legitimate), "sink");
            assertEquals("warm@beta", await(echo.echo("warm")));
            long droppedBefore = beta.status().droppedFrames();

            RemoteSink fakeSink = alpha.lookup(RemoteSink.class, FAKE_NODE + "/user/sink");
            List<byte[]> templates = List.of(
                    envelope(HELLO, 42, List.of(), beta.nodeName),
                    envelope(HEARTBEAT, 42, List.of(), null),
                    envelope(BATCH, 42, List.of(targetFrame("/user/echo"), tellFrame(0, new RemoteEchoMessage.Ping(7, fakeSink))),
                            null),
                    envelope(BATCH, 42, List.of(targetFrame("/user/echo"), askFrame(0, 9, new RemoteEchoMessage.Echo("x")),
                            targetFrame("/user/nobody"), tellFrame(1, new RemoteEchoMessage.Answer("y", fakeSink))), null));

            ZMQ.Socket attacker = rawDealer(raw);
            attacker.connect("tcp://" + beta.hostPort());
            Random random = new Random(6);
            CompletableFuture<Void> attack = CompletableFuture.runAsync(() -> {
                for (int i = 0; i < hostile; i++) {
                    attacker.send(hostileFrame(random, templates), 0);
                }
            });
            // The legitimate peer's traffic is spread over the attack, with asks among it.
            int sent = 0;
            int sentDuringAttack = 0;
            int asksDuringAttack = 0;
            while (sent < legitimate) {
                for (int i = 0; i < 100 && sent < legitimate; i++) {
                    echo.ping(sent++, sinkProxy);
                }
                if (!attack.isDone()) {
                    sentDuringAttack = sent;
                    if (sent % 2_000 == 0) {
                        assertEquals("during@beta", await(echo.echo("during")), "an ask is answered during the attack");
                        asksDuringAttack++;
                    }
                }
                Thread.sleep(2);
            }
            attack.get(60, TimeUnit.SECONDS);
            // One well-formed frame behind the attack on the same connection: once it is handled,
            // so is every hostile frame before it.
            RemoteSinkActor[] marker = new RemoteSinkActor[1];
            RemoteSink markerProxy = alpha.spawn(RemoteSink.class, () -> marker[0] = new RemoteSinkActor(1), "marker");
            attacker.send(envelope(BATCH, 43, List.of(targetFrame("/user/echo"),
                    tellFrame(0, new RemoteEchoMessage.Ping(0, markerProxy))), null), 0);
            assertEquals(1, marker[0].done.get(30, TimeUnit.SECONDS), "the child still serves the attacker's connection");
            assertEquals(legitimate, sink[0].done.get(30, TimeUnit.SECONDS), "every legitimate message arrived, in order");
            assertEquals("after@beta", await(echo.echo("after")), "the child still serves");

            assertTrue(beta.process.isAlive(), "the child did not crash");
            RemoteChild.Status status = beta.status();
            assertTrue(status.ioThreadAlive(), "the child's I/O thread is alive");
            long dropped = status.droppedFrames() - droppedBefore;
            assertTrue(dropped > hostile / 4, "hostile frames are counted as dropped by the child: " + dropped);
            System.out.printf("fuzzing a child node: %d hostile frames, %d dropped; %d legitimate pings "
                    + "(%d sent during the attack, %d asks answered during it) all arrived in order%n",
                    hostile, dropped, legitimate, sentDuringAttack, asksDuringAttack);
        } finally {
            RemoteChild.destroyAll(children);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void anOversizeFrameIsRefusedByAChildNodeBeforeItIsAllocated() throws Exception {
        // The frame is twice the child's whole heap: had the child allocated it, it would have run
        // out of memory, and its I/O would have died with it.
        int oversizeBytes = 128 << 20;
        try (ActorSystem alpha = node("alpha"); ZContext raw = new ZContext(1)) {
            RemoteChild beta = RemoteChild.start(children, "64m", "beta", 0);
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, beta.nodeName + "/user/echo");
            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            RemoteSink sinkProxy = alpha.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(2_000), "sink");
            assertEquals("warm@beta", await(echo.echo("warm")));
            for (int i = 0; i < 1_000; i++) {
                echo.ping(i, sinkProxy);
            }

            // A well-formed batch whose first frame would make beta answer pong(777) to alpha's
            // sink, padded far past the 1 MiB limit.
            byte[] oversize = envelope(BATCH, 42, List.of(targetFrame("/user/echo"),
                    tellFrame(0, new RemoteEchoMessage.Ping(777, sinkProxy)), new byte[oversizeBytes]), null);
            ZMQ.Socket attacker = rawDealer(raw);
            String monitorEndpoint = "inproc://oversize-monitor";
            attacker.monitor(monitorEndpoint, ZMQ.EVENT_CONNECTED | ZMQ.EVENT_DISCONNECTED);
            ZMQ.Socket monitor = raw.createSocket(SocketType.PAIR);
            monitor.setReceiveTimeOut(30_000);
            monitor.connect(monitorEndpoint);
            attacker.connect("tcp://" + beta.hostPort());
            // A well-formed frame first, answered once the connection is up and handshaken.
            RemoteSinkActor[] marker = new RemoteSinkActor[1];
            RemoteSink markerProxy = alpha.spawn(RemoteSink.class, () -> marker[0] = new RemoteSinkActor(1), "marker");
            attacker.send(envelope(BATCH, 43, List.of(targetFrame("/user/echo"),
                    tellFrame(0, new RemoteEchoMessage.Ping(0, markerProxy))), null), 0);
            assertEquals(1, marker[0].done.get(30, TimeUnit.SECONDS), "the child serves the raw connection");
            while (ZMQ.Event.recv(monitor, ZMQ.DONTWAIT) != null) {
                // events of the connection so far, including a stalled handshake's, are not the refusal
            }
            attacker.send(oversize, 0);
            oversize = null;
            // The child reads the size in the frame's header, refuses it and drops the connection.
            boolean disconnected = false;
            for (ZMQ.Event event; !disconnected && (event = ZMQ.Event.recv(monitor)) != null; ) {
                disconnected = event.getEvent() == ZMQ.EVENT_DISCONNECTED;
            }
            assertTrue(disconnected, "the child did not drop the connection of the oversize frame");
            attacker.disconnect("tcp://" + beta.hostPort());

            for (int i = 1_000; i < 2_000; i++) {
                echo.ping(i, sinkProxy);
            }
            assertEquals(2_000, sink[0].done.get(30, TimeUnit.SECONDS), "pong 777 never came, the others did in order");
            // Not 2,002: the oversize frame's ping was never handled.
            assertEquals(2_001, await(echo.pings()), "alpha's pings and the raw socket's first one");
            assertTrue(beta.process.isAlive(), "the child did not crash");
            assertTrue(beta.status().ioThreadAlive(), "the child's I/O thread is alive");
            assertEquals("after@beta", await(echo.echo("after")));
        } finally {
            RemoteChild.destroyAll(children);
        }
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void curveInAChildNodeLetsTheRightKeyInAndKeepsWrongKeysOut() throws Exception {
        CurveKeyPair alphaKeys = CurveKeyPair.generate();
        CurveKeyPair betaKeys = CurveKeyPair.generate();
        CurveKeyPair intruderKeys = CurveKeyPair.generate();
        int alphaPort = freePort();
        String alphaHost = "127.0.0.1:" + alphaPort;
        RemoteChild beta = RemoteChild.start(children, "256m", "beta", freePort(),
                "--curve", betaKeys.publicKey(), betaKeys.secretKey(), "--allow-peer", alphaHost, alphaKeys.publicKey());
        String betaHost = beta.hostPort();
        String echoAddress = beta.nodeName + "/user/echo";
        try (ActorSystem alpha = ActorSystem.builder("alpha").bind("tcp://" + alphaHost)
                        .curve(CurveSettings.of(alphaKeys).allowPeer(betaHost, betaKeys.publicKey())).build();
                // Knows beta's server key, but beta does not list its client key.
                ActorSystem unlisted = ActorSystem.builder("unlisted").bind("tcp://127.0.0.1:0")
                        .downAfter(Duration.ofSeconds(20))
                        .curve(CurveSettings.of(intruderKeys).allowPeer(betaHost, betaKeys.publicKey())).build();
                // Presents alpha's listed public key, without alpha's secret key.
                ActorSystem impostor = ActorSystem.builder("impostor").bind("tcp://127.0.0.1:0")
                        .downAfter(Duration.ofSeconds(20))
                        .curve(CurveSettings.of(new CurveKeyPair(alphaKeys.publicKey(), intruderKeys.secretKey()))
                                .allowPeer(betaHost, betaKeys.publicKey())).build();
                // Speaks plain TCP to a CURVE node.
                ActorSystem plain = node("plain")) {
            RemoteEcho fromAlpha = alpha.lookup(RemoteEcho.class, echoAddress);
            assertEquals("hi@beta", await(fromAlpha.echo("hi")));
            long droppedBefore = beta.status().droppedFrames();

            List<CompletionStage<String>> intruderAsks = new ArrayList<>();
            for (ActorSystem intruder : List.of(unlisted, impostor, plain)) {
                RemoteEcho fromIntruder = intruder.lookup(RemoteEcho.class, echoAddress);
                RemoteSink intruderSink = intruder.spawn(RemoteSink.class, () -> new RemoteSinkActor(1), "sink");
                for (int i = 0; i < 10; i++) {
                    fromIntruder.ping(i, intruderSink);
                }
                intruderAsks.add(intruder.ref(echoAddress).ask(new RemoteEchoMessage.Echo("let me in"), Duration.ofSeconds(3)));
            }
            for (CompletionStage<String> ask : intruderAsks) {
                assertNotNull(failure(ask, 20_000), "an intruder's ask got no answer");
            }
            assertEquals(0, await(fromAlpha.pings()), "nothing from a wrong or unlisted key was delivered");
            assertTrue(beta.status().droppedFrames() > droppedBefore, "refused handshakes are counted by the child");

            // The right key keeps working, both ways. (Loss and order are the business of the
            // plain-TCP ping-pong tests; delivery is at most once, so this one checks that the
            // encrypted link carries the traffic and answers asks.)
            RemoteSink sinkProxy = alpha.spawn(RemoteSink.class, () -> new RemoteSinkActor(1_000), "sink");
            for (int i = 0; i < 1_000; i++) {
                fromAlpha.ping(i, sinkProxy);
            }
            for (int i = 0; i < 20; i++) {
                assertEquals("still" + i + "@beta", await(fromAlpha.echo("still" + i)));
            }
            assertTrue(await(fromAlpha.pings()) >= 990, "the pings sent with the right key arrived");
            assertTrue(beta.status().ioThreadAlive(), "the child's I/O thread is alive");
        } finally {
            RemoteChild.destroyAll(children);
        }
    }
}
