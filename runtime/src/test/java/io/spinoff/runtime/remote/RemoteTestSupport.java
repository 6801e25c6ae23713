package io.spinoff.runtime.remote;

import io.spinoff.api.support.ProtocolProxy;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.internal.remote.RemoteTransport;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
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

    /** @return a TCP port that was free a moment ago */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
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
