package io.spinoff.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on loopback between one node and the ZooKeeper server, which a test can cut: from
 * {@link #cut()} on, bytes are swallowed in both directions and new connections are held open
 * without a reply, as a network partition would, while both ends keep running.
 */
final class CutProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean cut;
    private volatile boolean closed;

    CutProxy(String targetHostPort) throws IOException {
        this.target = targetHostPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("cut-proxy-accept").start(this::accept);
    }

    /** @return the address to connect to instead of the server's */
    String connectString() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    void cut() {
        cut = true;
    }

    void heal() {
        cut = false;
    }

    private void accept() {
        while (!closed) {
            try {
                Socket inbound = server.accept();
                sockets.add(inbound);
                if (cut) {
                    continue;
                }
                int colon = target.lastIndexOf(':');
                Socket outbound = new Socket(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
                sockets.add(outbound);
                pump(inbound, outbound);
                pump(outbound, inbound);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread.ofPlatform().daemon().name("cut-proxy-pump").start(() -> {
            byte[] buffer = new byte[8192];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (!cut) {
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                }
            } catch (IOException e) {
                // The other side closed.
            } finally {
                try {
                    to.close();
                } catch (IOException e) {
                    // Closing anyway.
                }
            }
        });
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
