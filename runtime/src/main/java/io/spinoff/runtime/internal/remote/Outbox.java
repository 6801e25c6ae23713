package io.spinoff.runtime.internal.remote;

import io.spinoff.api.support.WireWriter;
import io.spinoff.runtime.internal.dispatch.MpscLinkedQueue;
import io.spinoff.runtime.remote.NodeUnreachableException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * The way out of a node: the queue of records any thread hands to the I/O thread, and the batches
 * the I/O thread packs from it for each peer. Not API.
 *
 * <p>Any thread sends by encoding the message itself (the generated codec runs on the caller, so
 * the I/O thread only copies bytes), then offering it to one lock-free queue ({@link #enqueue}).
 * The I/O thread drains that queue ({@link #send}) and packs the records for each peer into as few
 * ZeroMQ messages as the batch size allows. Within a batch, the target of a tell or an ask (path,
 * protocol name, fingerprint) is written once, as a TARGET record encoded once per reference and
 * protocol ({@link Route}); each message then carries only the target's index (see
 * {@link WireFormat}). A socket whose queue is full does not lose the batch: it waits, in order,
 * and is offered again on the next turns, up to the outbound queue size in frames.
 *
 * <p><b>Threading:</b> {@link #enqueue}, {@link #enqueueTask}, {@link #failLeftovers} and {@link #countedNodes}: any
 * thread. The queue is a {@link MpscLinkedQueue}: any thread offers (an atomic swap of its tail),
 * and one thread at a time polls: the I/O thread, and once it has finished ({@link #ioFinished}),
 * the threads that fail what is left, one at a time under this object's monitor. An offer
 * happens-before the poll that returns the item. The per-node counts are {@link QueueCounts}.
 * Everything else: I/O thread only.
 */
final class Outbox {
    /** Room kept in each ZeroMQ message for the envelope header. */
    static final int ENVELOPE_ROOM = 512;
    /**
     * A batch is closed at this size (or the frame size limit, if smaller); a single larger frame
     * travels alone. Small batches bound what an unreachable peer's socket can hold.
     */
    static final int BATCH_BYTES = 64 * 1024;
    /** The most records taken from the queue in one turn of the I/O loop. */
    static final int MAX_DRAIN = 16_384;

    private final RemoteTransport transport;
    private final RemoteConfig config;
    private final MpscLinkedQueue<Outbound> outbound = new MpscLinkedQueue<>();
    /** Records queued per node, against {@link RemoteConfig#outboundQueueSize()}. */
    private final QueueCounts queuedPerNode;
    /** Set by the I/O thread after its last drain of {@link #outbound}; see {@link #failLeftovers}. */
    private volatile boolean ioFinished;

    // I/O thread only.
    /** The envelope header of a BATCH from this node; made once bound. */
    private byte[] batchHeader;
    private long nextBatchId;
    /** Peers whose socket refused a batch, which waits in {@link Peer#blocked}. */
    private final List<Peer> blockedPeers = new ArrayList<>();

    Outbox(RemoteTransport transport) {
        this.transport = transport;
        this.config = transport.config;
        this.queuedPerNode = new QueueCounts(config.outboundQueueSize());
    }

    /** Makes the batch header, once the node's name is known. I/O thread. */
    void start() {
        WireWriter header = new WireWriter(64, null);
        transport.writeHeader(header, EnvelopeKind.BATCH);
        batchHeader = header.toByteArray();
    }

    /** @return whether records wait in the queue, one in flight included. I/O thread. */
    boolean hasQueued() {
        return outbound.peekNonEmpty();
    }

    /** @return whether batches wait for full sockets. I/O thread. */
    boolean hasBlocked() {
        return !blockedPeers.isEmpty();
    }

    // ------------------------------------------------------------------ any thread

    /**
     * Hands a record to the I/O thread, or drops it (counted, logged, an ask failed) when the frame
     * is too large, the node is closing or the peer's queue is full. Any thread.
     *
     * @param target what the record goes to, for messages
     * @param message the message, for messages; null for records that carry none
     */
    boolean enqueue(Outbound.ToPeer item, Object target, Object message) {
        return enqueue(item, target, message, true);
    }

    /**
     * As {@link #enqueue(Outbound.ToPeer, Object, Object)}; with {@code failLeftovers} false, a
     * record offered after the I/O thread finished stays in the queue rather than failing the asks
     * left there, so that no caller's callback runs inside the sender's own critical section (the
     * death watch offers inside a {@code compute}). For records without an ask only.
     */
    boolean enqueue(Outbound.ToPeer item, Object target, Object message, boolean failLeftovers) {
        String refusal = null;
        boolean tooLarge = false;
        if (transport.closing) {
            refusal = "the remoting of node " + transport.nodeName()
                    + " has stopped (the node is closing, or stopRemoting() was called)";
        } else if (size(item) > config.maxFrameSize() - ENVELOPE_ROOM) {
            tooLarge = true;
            refusal = "the frame of " + size(item) + " bytes exceeds the maximum frame size of "
                    + config.maxFrameSize() + " bytes (less " + ENVELOPE_ROOM + " for the envelope); send less data per"
                    + " message, or raise maxFrameSize on both nodes";
        } else if (!queuedPerNode.reserve(item.node())) {
            refusal = "the outbound queue to " + item.node() + " is full (" + config.outboundQueueSize()
                    + " frames); the peer is slow or unreachable";
        }
        if (refusal != null) {
            transport.drops.drop(item.node(), "Frame to " + target + (message == null ? "" : " (" + RemoteTransport.describe(message)
                    + ")") + " dropped: " + refusal);
            PendingAsk ask = item.ask();
            if (ask != null) {
                String text = "Ask " + RemoteTransport.describe(message) + " to " + target + " failed: " + refusal + ".";
                ask.promise.completeExceptionally(tooLarge ? new IllegalArgumentException(text)
                        : new NodeUnreachableException(text));
            }
            return false;
        }
        offer(item, failLeftovers);
        return true;
    }

    /** @return the bytes the record takes in a batch, with the TARGET record that names its target */
    private static int size(Outbound.ToPeer item) {
        return item.frame().length + (item instanceof Outbound.Targeted targeted ? targeted.route().targetFrame.length : 0);
    }

    /** Runs the task on the I/O thread. Any thread. */
    void enqueueTask(Runnable task) {
        offer(new Outbound.Task(task), true);
    }

    private void offer(Outbound item, boolean failLeftovers) {
        outbound.offer(item);
        transport.loop.wake();
        if (failLeftovers && ioFinished) {
            failLeftovers();
        }
    }

    /**
     * Fails the asks of records left in the queue once the I/O thread has finished. A sender that
     * offered after the I/O thread's last drain sees {@link #ioFinished} (both are sequentially
     * consistent: either the drain saw the record or the sender sees the flag), so no ask is left
     * waiting for a thread that is gone. Any thread; the monitor makes the callers take turns as
     * the queue's one consumer, a role the I/O thread gave up when it set {@link #ioFinished}
     * after its last poll.
     */
    synchronized void failLeftovers() {
        Outbound item;
        while ((item = outbound.poll()) != null) {
            if (item instanceof Outbound.ToPeer toPeer && toPeer.ask() != null) {
                PendingAsk ask = toPeer.ask();
                ask.promise.completeExceptionally(new NodeUnreachableException("Ask " + RemoteTransport.describe(ask.message)
                        + " to " + ask.target.address() + " failed: node " + transport.nodeName() + " has closed."));
            }
        }
    }

    // ------------------------------------------------------------------ I/O thread

    /**
     * Drains the outbound queue into per-peer batches and sends them.
     *
     * @return how many items were taken from the queue
     */
    int send(int max) {
        List<Peer> touched = new ArrayList<>();
        Outbound item;
        int n = 0;
        while (n < max && (item = outbound.poll()) != null) {
            n++;
            switch (item) {
                case Outbound.Task task -> task.run().run();
                case Outbound.ToPeer toPeer -> {
                    queuedPerNode.release(toPeer.node());
                    route(toPeer, touched);
                }
            }
        }
        flushAll(touched);
        return n;
    }

    /**
     * Removes the queue counts of nodes that have no peer (it went down, or never came) and nothing
     * queued. I/O thread.
     */
    void forgetIdleNodes() {
        queuedPerNode.retireIdle(node -> transport.peers.get(node) == null);
    }

    /** @return how many nodes have a queue count; any thread (for tests) */
    int countedNodes() {
        return queuedPerNode.nodes();
    }

    /** Routes records that waited (for a name lookup), and sends them. */
    void routeAll(List<Outbound.ToPeer> items) {
        List<Peer> touched = new ArrayList<>();
        for (Outbound.ToPeer item : items) {
            route(item, touched);
        }
        flushAll(touched);
    }

    private void flushAll(List<Peer> touched) {
        for (Peer peer : touched) {
            if (peer.batchFrames > 0) {
                flush(peer);
            }
        }
    }

    /** Adds a record to its peer's batch (flushing a full batch), or drops it. */
    private void route(Outbound.ToPeer item, List<Peer> touched) {
        Peer peer = transport.peers.peerFor(item.node());
        if (peer != null && peer.waiting != null) {
            if (peer.waiting.size() < config.outboundQueueSize()) {
                peer.waiting.add(item);
            } else {
                refuse(item, "the queue to " + item.node() + " is full while its host name is being resolved");
            }
            return;
        }
        if (peer == null || !peer.connected()) {
            refuse(item, peer == null ? "too many peers (" + Peers.MAX_PEERS + ")" : peer.problem);
            return;
        }
        PendingAsk ask = item.ask();
        if (ask != null && !transport.asks.sent(ask)) {
            return;
        }
        Route route = item instanceof Outbound.Targeted targeted ? targeted.route() : null;
        byte[] frame = item.frame();
        int batchLimit = Math.min(BATCH_BYTES, config.maxFrameSize() - ENVELOPE_ROOM);
        int needed = frame.length + 16 + (route == null ? 0 : route.targetFrame.length + 8);
        if (peer.batchFrames > 0 && (peer.batch.size() + needed > batchLimit
                || route != null && route.batch != peer.batchId && peer.batchTargets >= WireFormat.MAX_TARGETS)) {
            flush(peer);
        }
        if (peer.batchFrames == 0) {
            peer.batch.reset();
            peer.batch.write(batchHeader);
            peer.batchId = ++nextBatchId;
            peer.batchTargets = 0;
            touched.add(peer);
        }
        if (route == null) {
            peer.batch.writeVarint(frame.length);
            peer.batch.write(frame);
        } else {
            if (route.batch != peer.batchId) {
                // First message to this target in this batch: name it; later ones use its index.
                peer.batch.writeVarint(route.targetFrame.length);
                peer.batch.write(route.targetFrame);
                route.batch = peer.batchId;
                route.index = peer.batchTargets++;
            }
            peer.batch.writeVarint(1 + FrameBuffer.varintSize(route.index) + frame.length);
            peer.batch.writeByte(((Outbound.Targeted) item).kind().code());
            peer.batch.writeVarint(route.index);
            peer.batch.write(frame);
        }
        peer.batchFrames++;
        if (ask != null) {
            (peer.batchAsks == null ? peer.batchAsks = new ArrayList<>() : peer.batchAsks).add(ask);
        }
    }

    /** Drops a record (counted), failing its ask. */
    void refuse(Outbound.ToPeer item, String why) {
        transport.drops.drop(item.node(), "Frame to " + item.node() + " dropped: " + why);
        PendingAsk ask = item.ask();
        if (ask != null) {
            ask.promise.completeExceptionally(new NodeUnreachableException("Ask " + RemoteTransport.describe(ask.message)
                    + " to " + ask.target.address() + " failed: " + why));
        }
    }

    /**
     * Hands the peer's batch to its socket. When the socket's queue is full (the peer reads slower
     * than this node writes) the batch waits in {@link Peer#blocked}, in order, and later batches
     * queue behind it, up to the outbound queue size in frames; only past that are frames dropped
     * (counted).
     */
    void flush(Peer peer) {
        int frames = peer.batchFrames;
        List<PendingAsk> asks = peer.batchAsks;
        peer.batchFrames = 0;
        peer.batchTargets = 0;
        peer.batchAsks = null;
        if (!peer.connected()) {
            dropBatch(peer, frames, asks, "it has no connection");
        } else if (peer.blocked.isEmpty() && transport.peers.send(peer, peer.batch.array(), peer.batch.size())) {
            peer.batch.reset();
            return;
        } else if (peer.blockedFrames + frames > config.outboundQueueSize()) {
            dropBatch(peer, frames, asks, "its socket queue is full (" + peer.blockedFrames
                    + " frames wait; the peer is slow or unreachable)");
        } else {
            if (peer.blocked.isEmpty()) {
                blockedPeers.add(peer);
            }
            peer.blocked.add(new Peer.BlockedBatch(Arrays.copyOf(peer.batch.array(), peer.batch.size()), frames, asks));
            peer.blockedFrames += frames;
        }
        peer.batch.reset();
    }

    /**
     * Drops a batch (counted), and fails its asks at once rather than leaving them to their
     * timeout: their frames will never reach the peer.
     */
    private void dropBatch(Peer peer, int frames, List<PendingAsk> asks, String why) {
        transport.drops.drop(peer.node, frames, "Dropped " + frames + " frames to " + peer.node + ": " + why);
        if (asks != null) {
            for (PendingAsk ask : asks) {
                transport.asks.dropped(ask, new NodeUnreachableException("Ask " + RemoteTransport.describe(ask.message)
                        + " to " + ask.target.address() + " failed: its frame to " + peer.node + " was dropped: " + why + "."));
            }
        }
    }

    /** Offers the batches that wait for full sockets again, oldest first. */
    void retryBlocked() {
        for (Iterator<Peer> it = blockedPeers.iterator(); it.hasNext(); ) {
            Peer peer = it.next();
            Peer.BlockedBatch batch;
            while ((batch = peer.blocked.peek()) != null && peer.connected()
                    && transport.peers.send(peer, batch.bytes(), batch.bytes().length)) {
                peer.blocked.poll();
                peer.blockedFrames -= batch.frames();
            }
            if (peer.blocked.isEmpty() || !peer.connected()) {
                dropBlocked(peer, "it has no connection");
                it.remove();
            }
        }
    }

    /** Drops (counted) what waits for the peer's full socket. */
    private void dropBlocked(Peer peer, String why) {
        if (peer.blockedFrames > 0) {
            transport.drops.drop(peer.node, peer.blockedFrames, "Dropped " + peer.blockedFrames + " frames to " + peer.node + ": " + why);
        }
        for (Peer.BlockedBatch batch : peer.blocked) {
            if (batch.asks() != null) {
                for (PendingAsk ask : batch.asks()) {
                    transport.asks.dropped(ask, new NodeUnreachableException("Ask " + RemoteTransport.describe(ask.message)
                            + " to " + ask.target.address() + " failed: its frame to " + peer.node + " was dropped: " + why + "."));
                }
            }
        }
        peer.blocked.clear();
        peer.blockedFrames = 0;
    }

    /** Drops what waits for a peer that is down. */
    void peerDown(Peer peer, String why) {
        if (peer.waiting != null) {
            for (Outbound.ToPeer item : peer.waiting) {
                refuse(item, why);
            }
            // The lookup still runs; resolved() sees the peer is gone and counts it finished.
            peer.waiting = new ArrayList<>();
        }
        dropBlocked(peer, why);
        blockedPeers.remove(peer);
    }

    /**
     * Sends what is queued on close, drops what still waits for full sockets or name lookups, and
     * fails the asks of whatever a sender offers from now on.
     */
    void shutDown(Iterable<Peer> peers) {
        String nodeName = transport.nodeName();
        try {
            retryBlocked();
            send(Integer.MAX_VALUE);
            retryBlocked();
            for (Peer peer : blockedPeers) {
                dropBlocked(peer, "node " + nodeName + " closed while its socket was full");
            }
        } catch (RuntimeException e) {
            RemoteTransport.LOG.log(System.Logger.Level.DEBUG, "Flushing frames of " + nodeName + " on close failed", e);
        }
        for (Peer peer : peers) {
            if (peer.waiting != null) {
                for (Outbound.ToPeer item : peer.waiting) {
                    refuse(item, "node " + nodeName + " closed");
                }
            }
        }
    }

    /** The I/O thread has drained the queue for the last time. */
    void finish() {
        failLeftovers();
        ioFinished = true;
        failLeftovers();
    }

    /**
     * The high-water mark of a peer's socket, in batches: about the outbound queue size in frames
     * of 64 bytes, between 16 and 1024 batches, so an unreachable peer holds at most 64 MiB here
     * (more than that is dropped and counted) until the failure detector closes its socket.
     */
    static int socketQueueBatches(RemoteConfig config) {
        return Math.max(16, Math.min(1024, config.outboundQueueSize() / 64));
    }
}
