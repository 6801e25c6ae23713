package io.spinoff.runtime.internal.remote;

import io.spinoff.runtime.remote.CurveSettings;
import java.time.Duration;
import java.util.Objects;

/**
 * The remoting settings of one node. Not API. Immutable: any thread.
 *
 * @param host the host the node binds and names itself with; ignored for a client node
 * @param port the port, or 0 for one chosen by the system; ignored for a client node
 * @param client whether the node is a client node: it binds nothing and is answered on the
 *     connections it opens
 * @param heartbeatInterval how often the node tells each peer it is alive
 * @param downAfter how long a peer may stay silent before it is considered down
 * @param maxFrameSize the largest ZeroMQ message, in bytes, accepted or sent
 * @param outboundQueueSize how many frames may wait for the I/O thread per peer; more are dropped
 * @param maxInboundBytes what the messages from other nodes waiting in one actor's mailbox may
 *     cost, in bytes (each its payload plus {@link #INBOUND_MESSAGE_OVERHEAD}); past it, more are
 *     dropped and counted (an ask fails at once)
 * @param linger how long {@code close()} may spend flushing frames to peers
 * @param curve CURVE settings, or {@code null} for plain TCP
 */
public record RemoteConfig(
        String host,
        int port,
        boolean client,
        Duration heartbeatInterval,
        Duration downAfter,
        int maxFrameSize,
        int outboundQueueSize,
        int maxInboundBytes,
        Duration linger,
        CurveSettings curve) {

    /** The default {@link #heartbeatInterval}. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** The default {@link #downAfter}. */
    public static final Duration DEFAULT_DOWN_AFTER = Duration.ofSeconds(10);
    /** The default {@link #maxFrameSize}: 1 MiB. */
    public static final int DEFAULT_MAX_FRAME_SIZE = 1 << 20;
    /** The default {@link #outboundQueueSize}. */
    public static final int DEFAULT_OUTBOUND_QUEUE_SIZE = 200_000;
    /** The default {@link #maxInboundBytes}: 16 MiB. */
    public static final int DEFAULT_MAX_INBOUND_BYTES = 16 << 20;
    /**
     * What a message from another node costs against {@link #maxInboundBytes} beyond its payload:
     * about what holding it takes besides its fields (queue node, envelope, object headers).
     */
    public static final int INBOUND_MESSAGE_OVERHEAD = 64;
    /** The default {@link #linger}. */
    public static final Duration DEFAULT_LINGER = Duration.ofSeconds(1);

    /** Checks the components. */
    public RemoteConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(downAfter, "downAfter");
        Objects.requireNonNull(linger, "linger");
        if (maxInboundBytes <= 0) {
            throw new IllegalArgumentException("maxInboundBytes must be positive, not " + maxInboundBytes + ".");
        }
        if (downAfter.compareTo(heartbeatInterval) <= 0) {
            throw new IllegalArgumentException("The failure detector's threshold (" + downAfter
                    + ") must be longer than the heartbeat interval (" + heartbeatInterval
                    + "); make it at least three intervals.");
        }
    }

    /**
     * Parses a bind endpoint.
     *
     * @param endpoint {@code tcp://HOST:PORT}; port 0 picks a free port
     * @return host and port
     * @throws IllegalArgumentException when the endpoint is malformed
     */
    public static NodeAddress.HostPort parseEndpoint(String endpoint) {
        Objects.requireNonNull(endpoint, "endpoint");
        String fix = "; bind to tcp://HOST:PORT, such as tcp://127.0.0.1:7100 (port 0 picks a free one).";
        if (!endpoint.startsWith("tcp://")) {
            throw new IllegalArgumentException("Bind endpoint '" + endpoint + "' is not a TCP endpoint" + fix);
        }
        NodeAddress.HostPort hostPort = NodeAddress.parseHostPort(endpoint.substring("tcp://".length()), true);
        if (hostPort == null) {
            throw new IllegalArgumentException("Bind endpoint '" + endpoint + "' is malformed" + fix);
        }
        if (hostPort.host().equals("*") || hostPort.host().equals("0.0.0.0")) {
            throw new IllegalArgumentException("Bind endpoint '" + endpoint + "' has no concrete host, but the"
                    + " host is part of the node's name; bind to the address peers use, such as tcp://127.0.0.1:7100.");
        }
        return hostPort;
    }
}
