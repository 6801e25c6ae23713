package io.spinoff.runtime.remote;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The ports the remote tests reserve ahead of binding them lie below the range the system gives
 * to outgoing connections, so no connection made meanwhile can take one; none is handed out twice,
 * and each can be bound.
 */
class FreePortTest {

    @Test
    void portsLieBelowTheEphemeralRangeAreDistinctAndCanBeBound() throws Exception {
        int high = RemoteTestSupport.ephemeralLow();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = RemoteTestSupport.freePort();
            assertTrue(port >= RemoteTestSupport.LOWEST_PORT && port < high,
                    "port " + port + " is not below the ephemeral range starting at " + high);
            assertTrue(seen.add(port), "port " + port + " handed out twice");
        }
        int port = RemoteTestSupport.freePort();
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        }
    }
}
