package io.spinoff.runtime.remote.conformance;

import static io.spinoff.runtime.remote.conformance.WireBytes.BATCH;
import static io.spinoff.runtime.remote.conformance.WireBytes.HEARTBEAT;
import static io.spinoff.runtime.remote.conformance.WireBytes.HELLO;

import io.spinoff.runtime.remote.conformance.WireBytes.Envelope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A peer made of raw JeroMQ sockets, as the spec describes them: a DEALER connected to the node's
 * ROUTER for everything it sends, and a ROUTER of its own, bound at the address in its node name,
 * where the node connects and sends everything it has for the peer (HELLO, heartbeats, replies,
 * failures, TERMINATED and tells to the peer's actors). A client peer binds nothing, names itself
 * {@code SYSTEM@client-HEX:0} and reads all of that from its DEALER instead. Test thread only.
 */
final class RawPeer implements AutoCloseable {
    final String name;
    final long incarnation;
    private final ZMQ.Socket router;
    private final ZMQ.Socket dealer;
    /** Every envelope received so far, in order. */
    final List<Envelope> received = new ArrayList<>();
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();

    RawPeer(ZContext context, String system, long incarnation, String nodeName) {
        this(context, system, incarnation, nodeName, false);
    }

    /** @param client whether the peer is a client node (binds nothing, reads its DEALER) */
    RawPeer(ZContext context, String system, long incarnation, String nodeName, boolean client) {
        this.incarnation = incarnation;
        if (client) {
            router = null;
            name = system + "@client-" + String.format("%016x", incarnation ^ 0x5DEECE66DL) + ":0";
        } else {
            router = context.createSocket(SocketType.ROUTER);
            router.setLinger(0);
            int port = router.bindToRandomPort("tcp://127.0.0.1");
            name = system + "@127.0.0.1:" + port;
        }
        dealer = context.createSocket(SocketType.DEALER);
        dealer.setLinger(0);
        // A fresh JeroMQ 0.6.0 connection now and then never completes its handshake; a short
        // handshake interval turns that into a quick reconnect (the node does the same).
        dealer.setHandshakeIvl(500);
        dealer.setReconnectIVL(100);
        dealer.connect("tcp://" + nodeName.substring(nodeName.indexOf('@') + 1));
    }

    /** Sends one single-part message to the node. */
    void send(byte[] message) {
        if (!dealer.send(message, 0)) {
            throw new IllegalStateException("the DEALER refused a message");
        }
    }

    /** Sends a message of several parts (which the spec says the node drops). */
    void sendParts(byte[]... parts) {
        for (int i = 0; i < parts.length; i++) {
            dealer.send(parts[i], i < parts.length - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    byte[] batch(byte[]... frames) {
        return WireBytes.batch(name, incarnation, frames);
    }

    void heartbeat() {
        send(WireBytes.heartbeat(name, incarnation));
    }

    /** @return the next envelope the node sent to this peer's ROUTER (a client's DEALER), or null after the time */
    Envelope next(long millis) {
        if (router == null) {
            dealer.setReceiveTimeOut((int) Math.max(1, millis));
            byte[] data = dealer.recv(0);
            if (data == null) {
                return null;
            }
            if (dealer.hasReceiveMore()) {
                throw new AssertionError("the node sent a client a message of more than one part");
            }
            Envelope envelope = Envelope.parse(data);
            received.add(envelope);
            return envelope;
        }
        router.setReceiveTimeOut((int) Math.max(1, millis));
        byte[] identity = router.recv(0);
        if (identity == null) {
            return null;
        }
        if (!router.hasReceiveMore()) {
            throw new AssertionError("a message without data after its identity");
        }
        byte[] data = router.recv(0);
        if (router.hasReceiveMore()) {
            throw new AssertionError("the node sent a message of more than one part");
        }
        Envelope envelope = Envelope.parse(data);
        received.add(envelope);
        return envelope;
    }

    /** @return the next envelope that matches, skipping others (kept in {@link #received}) */
    Envelope await(Predicate<Envelope> wanted, long millis, String what) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new AssertionError("no " + what + " within " + millis + " ms; received " + kinds());
            }
            Envelope envelope = next(left);
            if (envelope != null && envelope.kind() == BATCH) {
                frames.addAll(envelope.frames());
            }
            if (envelope != null && wanted.test(envelope)) {
                return envelope;
            }
        }
    }

    Envelope awaitHello(long millis) {
        return await(e -> e.kind() == HELLO, millis, "HELLO");
    }

    Envelope awaitHeartbeat(long millis) {
        return await(e -> e.kind() == HEARTBEAT, millis, "HEARTBEAT");
    }

    /** @return the next frame of a BATCH from the node (its length prefix removed) */
    byte[] nextFrame(long millis) {
        if (frames.isEmpty()) {
            await(e -> e.kind() == BATCH, millis, "BATCH");
        }
        return frames.poll();
    }

    /** @return the next frame of a BATCH within the time, or null */
    byte[] pollFrame(long millis) {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (frames.isEmpty()) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return null;
            }
            Envelope envelope = next(left);
            if (envelope != null && envelope.kind() == BATCH) {
                frames.addAll(envelope.frames());
            }
        }
        return frames.poll();
    }

    /** @return whether anything came back on the DEALER, the peer's outbound connection, within the time */
    boolean dealerReceivedWithin(long millis) {
        dealer.setReceiveTimeOut((int) millis);
        return dealer.recv(0) != null;
    }

    private List<String> kinds() {
        return received.stream().map(e -> switch (e.kind()) {
            case HELLO -> "HELLO";
            case HEARTBEAT -> "HEARTBEAT";
            case BATCH -> "BATCH(" + e.frames().size() + ")";
            default -> "kind " + e.kind();
        }).toList();
    }

    @Override
    public void close() {
        if (router != null) {
            router.close();
        }
        dealer.close();
    }
}
