package io.spinoff.runtime.internal.remote;

import static io.spinoff.runtime.internal.remote.TransportTestSupport.eventually;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.failure;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.PeerInfo;
import io.spinoff.runtime.remote.NodeUnreachableException;
import io.spinoff.runtime.remote.RemoteEcho;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The outbox keeps nothing for peers that are gone. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OutboxTest {

    @Test
    void queueCountsOfPeersThatAreGoneAreRemoved() throws Exception {
        try (ActorSystem alpha = ActorSystem.builder("alpha").bind("tcp://127.0.0.1:0")
                .heartbeatInterval(Duration.ofMillis(50)).downAfter(Duration.ofMillis(300))
                .linger(Duration.ZERO).build()) {
            RemoteTransport transport = transport(alpha);
            // More nodes than a node keeps peers: the first go down unheard, the rest are refused.
            int nodes = 2 * Peers.MAX_PEERS;
            for (int i = 0; i < nodes; i++) {
                RemoteEcho gone = alpha.lookup(RemoteEcho.class, "beta" + i + "@127.0.0.1:" + (20_000 + i) + "/user/echo");
                gone.ping(i, null);
            }
            assertTrue(eventually(10_000, () -> transport.peerStates().isEmpty()), "the unheard peers went down");
            assertTrue(eventually(5_000, () -> transport.outbox.countedNodes() == 0),
                    transport.outbox.countedNodes() + " nodes still have a queue count");
        }
    }

    @Test
    void anAskWhoseBatchIsDroppedForAFullSocketFailsAtOnce() throws Exception {
        int queueSize = 64;
        try (ActorSystem alpha = ActorSystem.builder("alpha").bind("tcp://127.0.0.1:0").outboundQueueSize(queueSize)
                .heartbeatInterval(Duration.ofSeconds(1)).downAfter(Duration.ofMinutes(1))
                .linger(Duration.ZERO).build()) {
            RemoteTransport transport = transport(alpha);
            String node = "beta@127.0.0.1:" + freePort();
            RemoteEcho gone = alpha.lookup(RemoteEcho.class, node + "/user/echo");
            // Nothing listens there: the socket's queue fills, then the batches that wait for it,
            // then further batches are dropped.
            String big = "x".repeat(16 * 1024);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (queued(transport, node) < queueSize && System.nanoTime() - deadline < 0) {
                for (int i = 0; i < 64; i++) {
                    gone.answer(big, null);
                }
                Thread.sleep(5);
            }
            assertTrue(queued(transport, node) >= queueSize - 4, "the frames to " + node + " wait: "
                    + queued(transport, node));
            long start = System.nanoTime();
            CompletableFuture<String> ask = gone.echo("anyone?").toCompletableFuture();
            Throwable failed = failure(ask, 5_000);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertInstanceOf(NodeUnreachableException.class, failed);
            assertTrue(failed.getMessage().contains("socket queue is full"), failed.getMessage());
            assertTrue(millis < 2_000, "the ask failed after " + millis + " ms");
            assertEquals(0, (int) transport.onIoThread(transport.asks::waitingDeadlines, -1));
        }
    }

    private static int queued(RemoteTransport transport, String node) {
        List<PeerInfo> peers = transport.peerStates();
        return peers.stream().filter(peer -> peer.getNode().equals(node)).mapToInt(PeerInfo::getQueuedFrames).sum();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
