package io.spinoff.runtime.internal.remote;

import static io.spinoff.runtime.internal.remote.TransportTestSupport.eventually;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.remote.RemoteEcho;
import java.time.Duration;
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
}
