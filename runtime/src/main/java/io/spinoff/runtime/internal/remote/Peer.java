package io.spinoff.runtime.internal.remote;

import java.util.ArrayDeque;
import java.util.List;
import org.zeromq.ZMQ;

/**
 * What this node knows of another: its socket, the batch being filled for it, what waits for it,
 * and when it was last heard from. Not API.
 *
 * <p><b>Threading:</b> I/O thread only (made, read and written there; never shared).
 */
final class Peer {
    final String node;
    /** Whether the peer is a client node: it binds nothing and is answered by {@link #routingId}. */
    final boolean client;
    final FrameBuffer batch = new FrameBuffer(4096);
    /** Batches the socket refused (its queue was full), oldest first; see {@link Outbox#flush}. */
    final ArrayDeque<BlockedBatch> blocked = new ArrayDeque<>();
    int blockedFrames;
    long batchId;
    int batchTargets;
    int batchFrames;
    /** The asks in the batch being filled, or null when it holds none. */
    List<PendingAsk> batchAsks;
    /** The socket connected to the peer's ROUTER; null for a client node, which cannot be dialled. */
    ZMQ.Socket dealer;
    /**
     * For a client node: the ROUTER's routing id of the connection it last sent on, through which
     * it is answered; null until it has sent (or once it is down).
     */
    byte[] routingId;
    /** Frames that wait while the peer's host name is resolved; null otherwise. */
    List<Outbound.ToPeer> waiting;
    String problem;
    long incarnation;
    long lastHeardNanos = System.nanoTime();
    /** Envelopes from this peer refused for exceeding this node's maximum frame size. */
    long oversizeEnvelopes;
    /** Messages and asks from this peer dropped over their target's inbound limit; see {@link InboundDecoder#admit}. */
    long inboundDropped;

    Peer(String node, boolean client) {
        this.node = node;
        this.client = client;
    }

    /** @return whether envelopes can be handed to this peer's connection (now or once it reconnects) */
    boolean connected() {
        return dealer != null || routingId != null;
    }

    /**
     * A batch its peer's socket refused for now.
     *
     * @param bytes the envelope
     * @param frames how many records it holds
     * @param asks the asks among them, failed at once should the batch be dropped; null if none
     */
    record BlockedBatch(byte[] bytes, int frames, List<PendingAsk> asks) {}
}
