package io.spinoff.runtime.remote;

import static io.spinoff.runtime.remote.RemoteTestSupport.await;
import static io.spinoff.runtime.remote.RemoteTestSupport.eventually;
import static io.spinoff.runtime.remote.RemoteTestSupport.failure;
import static io.spinoff.runtime.remote.RemoteTestSupport.node;
import static io.spinoff.runtime.remote.RemoteTestSupport.nodeName;
import static io.spinoff.runtime.remote.RemoteTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.AskTimeoutException;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.PeerInfo;
import io.spinoff.runtime.Terminated;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Client nodes: systems that bind nothing and are answered on the connections they open.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ClientNodeTest {

    static ActorSystem client(String name) {
        return ActorSystem.builder(name).client()
                .heartbeatInterval(Duration.ofMillis(200)).downAfter(Duration.ofSeconds(3)).build();
    }

    @Test
    void aClientNodeIsNamedWithPortZeroAndANewNameAtEachStart() {
        String first;
        try (ActorSystem cli = client("cli")) {
            first = cli.address();
            assertTrue(first.matches("cli@client-[0-9a-f]{16}:0"), first);
        }
        try (ActorSystem cli = client("cli")) {
            assertNotEquals(first, cli.address());
        }
    }

    @Test
    void aClientTellsAndAsksAndGetsRepliesAndReplyToDeliveriesOnItsOwnConnection() throws Exception {
        int pings = 10_000;
        try (ActorSystem beta = node("beta"); ActorSystem cli = client("cli")) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteEcho echo = cli.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");
            assertEquals("hi@beta", await(echo.echo("hi")));

            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            RemoteSink sinkProxy = cli.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(pings), "sink");
            echo.answer("hello", sinkProxy);
            assertEquals("hello from beta", sink[0].texts.poll(10, TimeUnit.SECONDS));
            for (int i = 0; i < pings; i++) {
                echo.ping(i, sinkProxy);
            }
            assertEquals(pings, sink[0].done.get(30, TimeUnit.SECONDS), "every pong came back, in order");
            assertEquals(pings, await(echo.pings()));

            Throwable failed = failure(echo.explode("boom"), 10_000);
            assertInstanceOf(RemoteActorException.class, failed);
            assertTrue(failed.getMessage().contains("boom"), failed.getMessage());

            PeerInfo seen = transport(beta).peerStates().stream()
                    .filter(peer -> peer.getNode().equals(cli.address())).findFirst().orElseThrow();
            assertEquals(transport(cli).incarnation(), seen.getIncarnation());
            assertEquals(0, beta.metrics().droppedFrames());
            assertEquals(0, cli.metrics().droppedFrames());
        }
    }

    @Test
    void deathWatchWorksBothWaysAndAClientThatLeavesIsForgotten() throws Exception {
        try (ActorSystem beta = node("beta")) {
            RemoteEcho local = beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            ActorSystem cli = client("cli");
            CompletableFuture<Terminated> clientSinkEnd;
            CompletableFuture<Terminated> clientGone;
            try {
                RemoteEcho echo = cli.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");
                RemoteSinkActor[] sink = new RemoteSinkActor[1];
                cli.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(0, echo), "watcher");
                RemoteSink doomed = cli.spawn(RemoteSink.class, () -> new RemoteSinkActor(0), "doomed");
                RemoteSink lasting = cli.spawn(RemoteSink.class, () -> new RemoteSinkActor(0), "lasting");
                assertEquals("hi@beta", await(echo.echo("hi")));

                // The node watches actors of the client through references to them.
                clientSinkEnd = beta.whenTerminated(beta.lookup(RemoteSink.class, cli.address() + "/user/doomed"))
                        .toCompletableFuture();
                clientGone = beta.whenTerminated(beta.lookup(RemoteSink.class, cli.address() + "/user/lasting"))
                        .toCompletableFuture();
                // Let the WATCH records arrive before the stop: an ask on the same connection after them.
                RemoteEcho fromNode = beta.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");
                assertEquals("x@beta", await(fromNode.echo("x")));
                assertTrue(eventually(5_000, () -> transport(cli).peerStates().size() == 1));
                cli.stop(doomed);
                assertEquals(Terminated.Reason.STOPPED, clientSinkEnd.get(10, TimeUnit.SECONDS).reason());

                beta.stop(local);
                Terminated notice = sink[0].notices.poll(10, TimeUnit.SECONDS);
                assertNotNull(notice, "the client's watcher heard of the node's actor stopping");
                assertEquals(Terminated.Reason.STOPPED, notice.reason());
                assertNotNull(lasting);
            } finally {
                cli.close();
            }
            // A client that closes stops its actors first, and their remote watchers hear it; then
            // it goes silent, and the node's failure detector forgets it.
            assertEquals(Terminated.Reason.STOPPED, clientGone.get(10, TimeUnit.SECONDS).reason());
            assertTrue(eventually(10_000, () -> transport(beta).peerStates().isEmpty()), "the node forgot the client");
        }
    }

    @Test
    void aNodeCannotReachAClientThatHasNotConnectedAndClientsCannotReachEachOther() throws Exception {
        try (ActorSystem beta = node("beta"); ActorSystem cli = client("cli"); ActorSystem other = client("other")) {
            cli.spawn(RemoteEcho.class, () -> new RemoteEchoActor("cli"), "echo");
            CompletionStage<String> fromNode = beta.lookup(RemoteEcho.class, cli.address() + "/user/echo").echo("x");
            Throwable failed = failure(fromNode, 10_000);
            assertInstanceOf(NodeUnreachableException.class, failed);
            assertTrue(failed.getMessage().contains("is a client node (it has no address to dial) and has no connection"),
                    failed.getMessage());

            Throwable between = failure(other.lookup(RemoteEcho.class, cli.address() + "/user/echo").echo("x"), 10_000);
            assertInstanceOf(NodeUnreachableException.class, between);
            assertTrue(between.getMessage().contains("client nodes cannot reach each other"), between.getMessage());

            // Once the client has called the node, the node reaches the client's actors too.
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            assertEquals("hi@beta", await(cli.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo").echo("hi")));
            assertEquals("y@cli", await(beta.lookup(RemoteEcho.class, cli.address() + "/user/echo").echo("y")));
        }
    }

    @Test
    void anotherConnectionClaimingAClientsNameDoesNotTakeItsReplies() throws Exception {
        try (ActorSystem beta = node("beta"); ActorSystem cli = client("cli")) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            RemoteSink sinkProxy = cli.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(0), "sink");
            RemoteEcho echo = cli.lookup(RemoteEcho.class, nodeName(beta) + "/user/echo");
            assertEquals("hi@beta", await(echo.echo("hi")));
            long droppedBefore = beta.metrics().droppedFrames();

            // An impostor sends under the client's name with another incarnation: dropped, counted.
            try (org.zeromq.ZContext raw = new org.zeromq.ZContext(1)) {
                org.zeromq.ZMQ.Socket impostor = RemoteTestSupport.rawDealer(raw);
                impostor.connect("tcp://" + nodeName(beta).substring(nodeName(beta).indexOf('@') + 1));
                io.spinoff.api.support.WireWriter out = new io.spinoff.api.support.WireWriter(128, null);
                out.writeByte((byte) 0x53);
                out.writeByte((byte) 0x4F);
                out.writeByte((byte) 2);
                out.writeByte(RemoteSecurityTest.HEARTBEAT);
                out.writeString(cli.address());
                out.writeLong(transport(cli).incarnation() + 1);
                impostor.send(out.toByteArray(), 0);
                assertTrue(eventually(5_000, () -> beta.metrics().droppedFrames() > droppedBefore),
                        "the impostor's envelope was dropped and counted");
            }
            echo.answer("still mine", sinkProxy);
            assertEquals("still mine from beta", sink[0].texts.poll(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void aClientNodeWithCurveGetsThroughOnlyWithAnAllowedKey() throws Exception {
        CurveKeyPair nodeKeys = CurveKeyPair.generate();
        CurveKeyPair clientKeys = CurveKeyPair.generate();
        CurveKeyPair strangerKeys = CurveKeyPair.generate();
        int port = RemoteTestSupport.freePort();
        String hostPort = "127.0.0.1:" + port;
        try (ActorSystem beta = ActorSystem.builder("beta").bind("tcp://" + hostPort)
                .curve(CurveSettings.of(nodeKeys).allowClient(clientKeys.publicKey())).build();
                ActorSystem cli = ActorSystem.builder("cli").client()
                        .curve(CurveSettings.of(clientKeys).allowPeer(hostPort, nodeKeys.publicKey())).build();
                ActorSystem stranger = ActorSystem.builder("stranger").client().askTimeout(Duration.ofSeconds(1))
                        .curve(CurveSettings.of(strangerKeys).allowPeer(hostPort, nodeKeys.publicKey())).build()) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteSinkActor[] sink = new RemoteSinkActor[1];
            RemoteSink sinkProxy = cli.spawn(RemoteSink.class, () -> sink[0] = new RemoteSinkActor(0), "sink");
            RemoteEcho echo = cli.lookup(RemoteEcho.class, "beta@" + hostPort + "/user/echo");
            assertEquals("secret@beta", await(echo.echo("secret")));
            echo.answer("sealed", sinkProxy);
            assertEquals("sealed from beta", sink[0].texts.poll(10, TimeUnit.SECONDS));

            CompletionStage<String> refused = stranger.lookup(RemoteEcho.class, "beta@" + hostPort + "/user/echo")
                    .echo("let me in");
            assertInstanceOf(AskTimeoutException.class, failure(refused, 10_000));
            assertEquals(0, stranger.metrics().droppedFrames());
        }
    }

    @Test
    void aSystemCannotBeBothAClientAndABoundNode() {
        IllegalStateException both = assertThrows(IllegalStateException.class,
                () -> ActorSystem.builder("both").client().bind("tcp://127.0.0.1:0").build());
        assertTrue(both.getMessage().contains("call only one of them"), both.getMessage());
    }
}
