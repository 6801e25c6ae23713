package io.spinoff.testkit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LoopbackPortsTest {

    @Test
    void portsLieBelowTheEphemeralRangeAreDistinctAndCanBeBound() throws Exception {
        int high = LoopbackPorts.ephemeralLow();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            int port = LoopbackPorts.free();
            assertTrue(port >= LoopbackPorts.LOWEST && port < high,
                    "port " + port + " is not below the ephemeral range starting at " + high);
            assertTrue(seen.add(port), "port " + port + " handed out twice");
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), LoopbackPorts.free()), 1);
        }
    }
}
