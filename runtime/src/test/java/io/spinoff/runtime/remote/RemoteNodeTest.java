package io.spinoff.runtime.remote;

import static io.spinoff.runtime.remote.RemoteTestSupport.address;
import static io.spinoff.runtime.remote.RemoteTestSupport.await;
import static io.spinoff.runtime.remote.RemoteTestSupport.failure;
import static io.spinoff.runtime.remote.RemoteTestSupport.node;
import static io.spinoff.runtime.remote.RemoteTestSupport.nodeName;
import static io.spinoff.runtime.remote.RemoteTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.ActorRef;
import io.spinoff.api.AskTimeoutException;
import io.spinoff.runtime.ActorNotFoundException;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.Terminated;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Two or three nodes in one JVM: remote tell and ask, references in messages, watch, errors. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RemoteNodeTest {

    @Test
    void nodeNameAndAddressesCarryTheBoundPort() {
        try (ActorSystem alpha = node("alpha")) {
            String name = nodeName(alpha);
            assertTrue(name.matches("alpha@127\\.0\\.0\\.1:\\d+") && !name.endsWith(":0"), name);
            RemoteEcho echo = alpha.spawn(RemoteEcho.class, () -> new RemoteEchoActor("alpha"), "echo");
            assertEquals(name + "/user/echo", address(echo));
            // The node's own full address is local.
            assertEquals(alpha.lookup(RemoteEcho.class, name + "/user/echo"), echo);
        }
    }

    @Test
    void askTellAndFailuresCrossNodes() throws Exception {
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta")) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");

            assertEquals("hi@beta", await(echo.echo("hi")));
            Throwable thrown = failure(echo.explode("boom"), 5_000);
            assertInstanceOf(RemoteActorException.class, thrown);
            assertTrue(thrown.getMessage().contains("boom"), thrown.getMessage());

            long start = System.nanoTime();
            RemoteEcho nobody = alpha.lookup(RemoteEcho.class, nodeName(beta) + "/user/nobody");
            assertInstanceOf(ActorNotFoundException.class, failure(nobody.echo("x"), 5_000));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "an ask to no actor fails promptly");

            ActorRef<Object> ref = alpha.ref(nodeName(beta) + "/user/echo");
            assertInstanceOf(AskTimeoutException.class,
                    failure(ref.ask(new RemoteEchoMessage.Never(), Duration.ofMillis(300)), 5_000));

            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            RemoteSink sinkProxy = alpha.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(1_000), "sink");
            for (int i = 0; i < 1_000; i++) {
                echo.ping(i, sinkProxy);
            }
            assertEquals(1_000, sink[0].done.get(10, TimeUnit.SECONDS));
            assertEquals(1_000, await(echo.pings()));
        }
    }

    @Test
    void replyToPassesThroughAThirdNode() throws Exception {
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta"); ActorSystem gamma = node("gamma")) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            gamma.spawn(RemoteEcho.class, () -> new RemoteEchoActor("gamma"), "echo");
            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            RemoteSink sinkProxy = alpha.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(0), "sink");
            RemoteEcho atBeta = alpha.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");
            RemoteEcho atGamma = alpha.lookup(RemoteEcho.class, nodeName(gamma) + "/user/echo");

            // alpha -> beta (gets a ref to gamma's actor and to alpha's sink) -> gamma -> alpha
            atBeta.relay("hello", atGamma, sinkProxy);
            assertEquals("hello via beta from gamma", sink[0].texts.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aNodeNamedByHostNameIsReached() throws Exception {
        try (ActorSystem alpha = node("alpha");
                ActorSystem beta = ActorSystem.builder("beta").bind("tcp://localhost:0").build()) {
            assertTrue(nodeName(beta).startsWith("beta@localhost:"), nodeName(beta));
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");
            assertEquals("hi@beta", await(echo.echo("hi")));
            RemoteEcho unknownHost = alpha.lookup(RemoteEcho.class, "beta@no-such-host.invalid:7200/user/echo");
            Throwable unresolved = failure(unknownHost.echo("x"), 8_000);
            assertInstanceOf(NodeUnreachableException.class, unresolved);
            assertTrue(unresolved.getMessage().contains("cannot be resolved"), unresolved.getMessage());
        }
    }

    @Test
    void anUntypedReferenceSendsGeneratedMessages() throws Exception {
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta")) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            // No lookup through the protocol first: the message's own type leads to its codec.
            ActorRef<Object> ref = alpha.ref(nodeName(beta) + "/user/echo");
            assertEquals("raw@beta", await(ref.<String>ask(new RemoteEchoMessage.Echo("raw"))));
            IllegalArgumentException notAMessage = assertThrows(IllegalArgumentException.class, () -> ref.tell("text"));
            assertTrue(notAMessage.getMessage().contains("not a message of an @ActorProtocol"), notAMessage.getMessage());
        }
    }

    @Test
    void remoteStopIsRefused() {
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta")) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> alpha.stop(echo));
            assertTrue(refused.getMessage().contains("cannot stop actors of another node"), refused.getMessage());
        }
    }

    @Test
    void fingerprintMismatchNamesProtocolAndBothNodes() throws Exception {
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta")) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            transport(beta).overrideFingerprint(RemoteEcho.class.getName(), 0x1234L);
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");

            Throwable thrown = failure(echo.echo("hi"), 5_000);
            assertInstanceOf(ProtocolMismatchException.class, thrown);
            String message = thrown.getMessage();
            assertTrue(message.contains(RemoteEcho.class.getName()), message);
            assertTrue(message.contains(nodeName(alpha)), message);
            assertTrue(message.contains(nodeName(beta)), message);
            assertTrue(message.contains("1234"), message);
            assertTrue(beta.metrics().droppedFrames() >= 1, "the refused ask is counted");
        }
    }

    @Test
    void watchersLearnOfARemoteStop() throws Exception {
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta")) {
            RemoteEcho local = beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");
            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            alpha.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(0, echo), "watcher");
            await(echo.echo("warm up"));
            // The WATCH frame goes out before the sink's later frames; an ask behind it proves arrival.
            Thread.sleep(200);
            await(beta.stop(local));
            Terminated notice = sink[0].notices.poll(10, TimeUnit.SECONDS);
            assertEquals(Terminated.Reason.STOPPED, notice.reason());
            assertEquals(nodeName(beta) + "/user/echo", notice.address());
        }
    }

    @Test
    void whenTerminatedWatchesARemoteActor() throws Exception {
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta")) {
            RemoteEcho local = beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, beta.address() + "/user/echo");
            CompletableFuture<Terminated> ended = alpha.whenTerminated(echo).toCompletableFuture();
            // The WATCH frame travels ahead of this ask on the same connection, so it has arrived.
            assertEquals("warm up@beta", await(echo.echo("warm up")));
            assertFalse(ended.isDone(), "a live remote actor has not terminated");
            await(beta.stop(local));
            Terminated notice = await(ended);
            assertEquals(Terminated.Reason.STOPPED, notice.reason());
            assertEquals(beta.address() + "/user/echo", notice.address());

            RemoteEcho nobody = alpha.lookup(RemoteEcho.class, beta.address() + "/user/nobody");
            assertEquals(Terminated.Reason.STOPPED, await(alpha.whenTerminated(nobody)).reason());
        }
    }

    @Test
    void addressIsTheNodeNameWithTheBoundPort() {
        try (ActorSystem alpha = node("alpha"); ActorSystem local = ActorSystem.create("local")) {
            String address = alpha.address();
            assertTrue(address.matches("alpha@127\\.0\\.0\\.1:\\d+") && !address.endsWith(":0"), address);
            assertEquals(nodeName(alpha), address);
            RemoteEcho echo = alpha.spawn(RemoteEcho.class, () -> new RemoteEchoActor("alpha"), "echo");
            assertEquals(address + "/user/echo", address(echo));
            assertEquals("local", local.address());
        }
    }

    @Test
    void aFrameForAProtocolTheTargetDoesNotImplementIsRefused() throws Exception {
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta")) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            beta.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(0), "sink");

            RemoteEcho notAnEcho = alpha.lookup(RemoteEcho.class, beta.address() + "/user/sink");
            Throwable refused = failure(notAnEcho.echo("x"), 5_000);
            assertInstanceOf(RemoteActorException.class, refused);
            assertTrue(refused.getMessage().contains("does not implement protocol " + RemoteEcho.class.getName()),
                    refused.getMessage());

            RemoteSink notASink = alpha.lookup(RemoteSink.class, beta.address() + "/user/echo");
            notASink.text("not for an echo");
            // Frames arrive in order: once this ask is answered, the tell before it was handled.
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, beta.address() + "/user/echo");
            assertEquals("hi@beta", await(echo.echo("hi")));
            assertTrue(beta.metrics().droppedFrames() >= 2, "the refused ask and the refused tell are counted");
            assertEquals(0, beta.metrics().deadLetters(), "nothing was decoded and delivered");
            assertTrue(sink[0].texts.isEmpty());
        }
    }

    @Test
    void framesBeyondTheMaximumSizeAreRefusedWithTheFix() throws Exception {
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta")) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");

            Throwable outbound = failure(echo.echo("x".repeat(2 << 20)), 5_000);
            assertInstanceOf(IllegalArgumentException.class, outbound);
            assertTrue(outbound.getMessage().contains("maximum frame size"), outbound.getMessage());

            Throwable reply = failure(echo.blob(2 << 20), 5_000);
            assertTrue(reply.getMessage().contains("maximum frame size"), reply.getMessage());
            assertEquals(10, await(echo.blob(10)).length);
            assertTrue(alpha.metrics().droppedFrames() >= 1);
        }
    }

    @Test
    void badAddressesFailWithTheFix() {
        try (ActorSystem alpha = node("alpha"); ActorSystem local = ActorSystem.create("local")) {
            IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                    () -> alpha.lookup(RemoteEcho.class, "beta@127.0.0.1/user/echo"));
            assertTrue(malformed.getMessage().contains("name@host:port/user/NAME"), malformed.getMessage());
            assertThrows(IllegalArgumentException.class, () -> local.lookup(RemoteEcho.class, "beta@127.0.0.1:7200/user/echo"));
            IllegalArgumentException wildcard = assertThrows(IllegalArgumentException.class,
                    () -> ActorSystem.builder("x").bind("tcp://*:7100"));
            assertTrue(wildcard.getMessage().contains("concrete"), wildcard.getMessage());
            assertThrows(IllegalArgumentException.class, () -> ActorSystem.builder("x").bind("udp://127.0.0.1:1"));
        }
    }

    @Test
    void aTakenPortFailsTheBuild() {
        try (ActorSystem alpha = node("alpha")) {
            String port = nodeName(alpha).substring(nodeName(alpha).lastIndexOf(':') + 1);
            AtomicReference<ActorSystem> second = new AtomicReference<>();
            IllegalStateException taken = assertThrows(IllegalStateException.class,
                    () -> second.set(ActorSystem.builder("beta").bind("tcp://127.0.0.1:" + port).build()));
            assertTrue(taken.getMessage().contains("pick a free port"), taken.getMessage());
        }
    }

    @Test
    void framesForAnUnreachablePeerAreBoundedAndEveryDropCounted() throws Exception {
        try (ActorSystem alpha = ActorSystem.builder("alpha").bind("tcp://127.0.0.1:0").outboundQueueSize(1_024)
                .linger(Duration.ZERO).build()) {
            RemoteSink sink = alpha.spawn(RemoteSink.class, () -> new RemoteSinkActor(0), "sink");
            RemoteEcho gone = alpha.lookup(RemoteEcho.class, "beta@127.0.0.1:" + RemoteTestSupport.freePort() + "/user/echo");
            int sent = 100_000;
            for (int i = 0; i < sent; i++) {
                gone.ping(i, sink);
            }
            // About 16 batches of 64 KiB may wait in the socket; everything else is dropped, counted.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (alpha.metrics().droppedFrames() < sent / 2 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(alpha.metrics().droppedFrames() >= sent / 2, "dropped " + alpha.metrics().droppedFrames());
        }
    }

    @Test
    void closeIsQuickWhenAPeerIsUnreachable() throws Exception {
        ActorSystem alpha = ActorSystem.builder("alpha").bind("tcp://127.0.0.1:0").linger(Duration.ofMillis(500)).build();
        RemoteEcho gone = alpha.lookup(RemoteEcho.class, "beta@127.0.0.1:" + RemoteTestSupport.freePort() + "/user/echo");
        for (int i = 0; i < 100; i++) {
            gone.ping(i, null);
        }
        var pending = gone.echo("anyone?");
        long start = System.nanoTime();
        alpha.close();
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 3_000, "close took " + millis + " ms");
        System.out.printf("close with an unreachable peer (linger 500 ms): %d ms%n", millis);
        assertInstanceOf(NodeUnreachableException.class, failure(pending, 1_000));
    }
}
