package io.spinoff.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports on loopback for tests that must know a port before something binds it: a node started in
 * another JVM, a ZooKeeper server, a peer told its neighbours' addresses up front. (A node of
 * this JVM can bind port 0 and report the port it got; see {@link TestKit#nodes}.)
 *
 * <p>A port the system picks ({@code new ServerSocket(0)}) comes from the range it also gives to
 * outgoing connections, so any connection made between the reservation and the bind may take it
 * ("Address already in use"). The ports handed out here lie below that range, where only a process
 * binding that very port can take them, and none is handed out twice in a JVM. (On a system
 * whose ephemeral range starts below 21,000, the ports come from 20,000 to 21,000 and may lie
 * inside it.)
 *
 * <p><b>Threads:</b> any; {@link #free()} is safe to call concurrently.
 */
public final class LoopbackPorts {

    /** The lowest port {@link #free()} hands out. */
    public static final int LOWEST = 20_000;
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private LoopbackPorts() {}

    /**
     * @return a TCP port on 127.0.0.1 that could be bound a moment ago, at least {@link #LOWEST},
     *     below {@link #ephemeralLow()}, and not handed out before in this JVM
     * @throws IOException when 500 tries found no free port in the range
     */
    public static int free() throws IOException {
        int high = ephemeralLow();
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = LOWEST + ThreadLocalRandom.current().nextInt(high - LOWEST);
            if (!HANDED_OUT.add(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
                return port;
            } catch (IOException taken) {
                // Held by another process: try another.
            }
        }
        throw new IOException("No free port found between " + LOWEST + " and " + high + " after 500 tries;"
                + " free some ports on loopback or widen the range below the ephemeral ports");
    }

    /**
     * @return the first port of the range the system gives to outgoing connections (Linux:
     *     {@code /proc/sys/net/ipv4/ip_local_port_range}), 32768 where that cannot be read, and
     *     never less than {@link #LOWEST} + 1,000
     */
    public static int ephemeralLow() {
        int low = 32_768;
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            low = Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException unreadable) {
            // Not Linux, or no /proc: the common default.
        }
        return Math.max(low, LOWEST + 1_000);
    }
}
