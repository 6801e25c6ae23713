package io.spinoff.runtime.remote;

import io.spinoff.api.support.ProtocolProxy;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.internal.remote.RemoteTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/** Helpers shared by the remoting tests. */
public final class RemoteTestSupport {

    private RemoteTestSupport() {}

    /** @return a node bound to a free loopback port, with a quick failure detector */
    public static ActorSystem node(String name) {
        return ActorSystem.builder(name).bind("tcp://127.0.0.1:0")
                .heartbeatInterval(Duration.ofMillis(200)).downAfter(Duration.ofSeconds(3)).build();
    }

    static RemoteTransport transport(ActorSystem system) {
        return io.spinoff.runtime.ActorSystemAccess.runtime(system).transport();
    }

    /** @return the node's name {@code name@127.0.0.1:port} */
    static String nodeName(ActorSystem system) {
        return transport(system).nodeName();
    }

    static String address(Object proxy) {
        return ProtocolProxy.actorRefOf(proxy).address();
    }

    public static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** @return the cause the stage failed with, within the time */
    public static Throwable failure(CompletionStage<?> stage, long millis) throws InterruptedException, TimeoutException {
        try {
            stage.toCompletableFuture().get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("the stage completed normally");
    }

    /** Waits until the condition holds, at most the time; @return whether it held */
    public static boolean eventually(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(10);
        }
        return true;
    }

    /** The lowest port {@link #freePort()} hands out. */
    static final int LOWEST_PORT = 20_000;
    /** Ports {@link #freePort()} handed out in this JVM, never handed out again. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    /**
     * A TCP port on loopback that was free a moment ago, below the range the system gives to
     * outgoing connections ({@link #ephemeralLow()}), and never handed out before in this JVM.
     * A port the system picked ({@code new ServerSocket(0)}) comes from that range, so any
     * connection made before the test binds it (a node connecting to another takes a local port
     * from the same range) may take it first: the CURVE soak hands ports to a child JVM rounds
     * before binding them, and once lost that race ("Address already in use"). Below the range
     * only a process binding that very port can take it.
     *
     * @return the port
     * @throws IOException if no port tried was free
     */
    static int freePort() throws IOException {
        int high = ephemeralLow();
        for (int attempt = 0; attempt < 500; attempt++) {
            int port = LOWEST_PORT + ThreadLocalRandom.current().nextInt(high - LOWEST_PORT);
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
        throw new IOException("No free port found between " + LOWEST_PORT + " and " + high + " after 500 tries;"
                + " free some ports on loopback or widen the range below the ephemeral ports");
    }

    /**
     * @return the first port of the range the system gives to outgoing connections (Linux:
     *     {@code /proc/sys/net/ipv4/ip_local_port_range}), 32768 where that cannot be read, and
     *     never less than {@link #LOWEST_PORT} + 1,000
     */
    static int ephemeralLow() {
        int low = 32_768;
        try {
            String range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim();
            low = Integer.parseInt(range.split("\\s+")[0]);
        } catch (IOException | RuntimeException unreadable) {
            // Not Linux, or no /proc: the common default.
        }
        return Math.max(low, LOWEST_PORT + 1_000);
    }

    /**
     * A raw DEALER. A fresh outbound connection of JeroMQ 0.6.0 now and then completes its TCP
     * connect but never its handshake, and sits idle until the handshake interval (30 s by default)
     * tears it down; the node's own sockets use a short interval for that reason, and so does this.
     */
    static ZMQ.Socket rawDealer(ZContext raw) {
        ZMQ.Socket dealer = raw.createSocket(SocketType.DEALER);
        dealer.setLinger(0);
        dealer.setHandshakeIvl(500);
        dealer.setReconnectIVL(100);
        return dealer;
    }
}
