package io.spinoff.cluster.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * One ZooKeeper server in this JVM (ZooKeeper's own {@link ZooKeeperServerEmbedded}), on
 * 127.0.0.1 and a free port, with its data in a temporary folder deleted when it stops. Started by
 * the first {@link #acquire()}, stopped by the last {@link #release()}. Not API.
 *
 * <p><b>Threading:</b> any thread; every method is synchronized.
 */
public final class EmbeddedZooKeeper {

    private static final System.Logger LOG = System.getLogger(EmbeddedZooKeeper.class.getName());
    /** The server's tick: sessions may last 2 to 20 ticks. */
    static final int TICK_MILLIS = 500;

    private final int requestedPort;
    private ZooKeeperServerEmbedded server;
    private Path folder;
    private String connectString;
    private int users;

    /** @param port the port on 127.0.0.1, or 0 for a free one */
    public EmbeddedZooKeeper(int port) {
        this.requestedPort = port;
    }

    /** @return the server's address, starting it when it is not running */
    public synchronized String connectString() {
        if (server == null) {
            start();
        }
        return connectString;
    }

    /**
     * Counts a node that uses the server, starting it for the first.
     *
     * @return the server's address
     */
    public synchronized String acquire() {
        String address = connectString();
        users++;
        return address;
    }

    /** Counts a node that stopped using the server; the last one stops it. */
    public synchronized void release() {
        if (users > 0 && --users == 0) {
            stop();
        }
    }

    private void start() {
        try {
            folder = Files.createTempDirectory("spinoff-zookeeper");
            int port = requestedPort;
            if (port == 0) {
                try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                    port = socket.getLocalPort();
                }
            }
            Properties configuration = new Properties();
            configuration.setProperty("clientPort", Integer.toString(port));
            configuration.setProperty("clientPortAddress", "127.0.0.1");
            configuration.setProperty("tickTime", Integer.toString(TICK_MILLIS));
            configuration.setProperty("initLimit", "10");
            configuration.setProperty("syncLimit", "5");
            configuration.setProperty("admin.enableServer", "false");
            configuration.setProperty("maxClientCnxns", "0");
            server = ZooKeeperServerEmbedded.builder().baseDir(folder).configuration(configuration)
                    .exitHandler(ExitHandler.LOG_ONLY).build();
            server.start(30_000);
            connectString = "127.0.0.1:" + port;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded ZooKeeper server: " + e.getMessage(), e);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            stop();
            throw new IllegalStateException("Could not start the embedded ZooKeeper server: " + e, e);
        }
    }

    private void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
        connectString = null;
        if (folder != null) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "Could not delete " + folder + ": " + e);
            }
            folder = null;
        }
    }
}
