package io.spinoff.runtime.internal.remote;

import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.WireReader;
import io.spinoff.api.support.WireWriter;
import io.spinoff.runtime.PeerInfo;
import io.spinoff.runtime.internal.observe.FlightEvents;
import io.spinoff.runtime.remote.CurveSettings;
import io.spinoff.runtime.remote.NodeUnreachableException;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

/**
 * The peers of a node and its failure detector. Not API.
 *
 * <p>A peer is created when this node first sends to it or first hears from it (at most
 * {@link #MAX_PEERS}). Its first frame is a HELLO with this node's name and incarnation; every
 * envelope carries the sender's name and incarnation, so a restarted node is seen as a new
 * incarnation at its first frame. Each peer gets a heartbeat every heartbeat interval; a peer not
 * heard from for the threshold is down: its pending asks fail at once, watchers of its actors get
 * {@link io.spinoff.runtime.Terminated.Reason#NODE_DOWN}, and its socket is closed (it is made
 * afresh on the next send). The HELLO also lists the fingerprints of the protocols the sender
 * knows; the receiver warns of each that differs from its own, and every call is checked again by
 * the fingerprint in its TARGET record. A peer named by host name is connected once the name is
 * resolved on another thread, so a slow or hostile name lookup never stalls the I/O thread.
 *
 * <p>A client node (a name with port 0) is never dialled: the decoder records the ROUTER routing
 * id of the connection its latest envelope came on, and everything for it goes through the ROUTER
 * with that id ({@link #send}); a client node itself reads the DEALERs it connects
 * ({@link #receiveFromNodes}).
 *
 * <p><b>Threading:</b> I/O thread only, except the name lookups, which run on virtual threads and
 * hand their result back to the I/O thread as a task through the outbound queue.
 */
final class Peers {
    /** The most peers a node keeps at once; envelopes from further unknown senders are dropped. */
    static final int MAX_PEERS = 256;
    /** The most protocol fingerprints a HELLO announces or is read for. */
    static final int MAX_HELLO_PROTOCOLS = 64;
    private static final int HANDSHAKE_MILLIS = 500;
    private static final int MAX_RESOLVING = 16;
    private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
    private static final Pattern IPV4 = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

    private final RemoteTransport transport;
    private final HashMap<String, Peer> peers = new HashMap<>();
    private ZContext context;
    /** The node's ROUTER, through which client nodes are answered; null on a client node. */
    private ZMQ.Socket router;
    /** The I/O loop's poller: a client node reads its DEALERs, so each is registered there. */
    private ZMQ.Poller poller;
    private long nextHeartbeatNanos;
    private long nextSweepNanos;
    private int resolving;

    Peers(RemoteTransport transport) {
        this.transport = transport;
    }

    /**
     * Starts the heartbeats.
     *
     * @param context where peers' sockets are made
     * @param router the node's ROUTER, or null on a client node
     * @param poller the I/O loop's poller
     */
    void start(ZContext context, ZMQ.Socket router, ZMQ.Poller poller) {
        this.context = context;
        this.router = router;
        this.poller = poller;
        nextHeartbeatNanos = System.nanoTime();
    }

    /**
     * Hands an envelope to the peer's connection without waiting: its DEALER, or for a client
     * node the ROUTER with the routing id of the connection the client opened.
     *
     * @return false when the connection's queue is full or the connection is gone (a client
     *     reconnecting): the caller keeps the envelope and tries again, until the failure detector
     *     gives up on the peer
     */
    boolean send(Peer peer, byte[] data, int length) {
        if (peer.dealer != null) {
            return peer.dealer.send(data, 0, length, ZMQ.DONTWAIT);
        }
        if (peer.routingId == null || router == null) {
            return false;
        }
        try {
            return router.send(peer.routingId, ZMQ.SNDMORE | ZMQ.DONTWAIT) && router.send(data, 0, length, ZMQ.DONTWAIT);
        } catch (ZMQException e) {
            // EHOSTUNREACH: the client's connection has closed; its next envelope brings the new one.
            return false;
        }
    }

    /**
     * Reads what the nodes a client node dialled sent back on its DEALERs, up to
     * {@link InboundDecoder#MAX_RECEIVE} envelopes per peer. Client nodes only.
     *
     * @return the most envelopes read from one peer ({@link InboundDecoder#MAX_RECEIVE} means more
     *     may wait)
     */
    int receiveFromNodes() {
        int most = 0;
        for (Peer peer : new ArrayList<>(peers.values())) {
            int fromPeer = 0;
            while (fromPeer < InboundDecoder.MAX_RECEIVE && peer.dealer != null && peers.get(peer.node) == peer) {
                byte[] data = peer.dealer.recv(ZMQ.DONTWAIT);
                if (data == null) {
                    break;
                }
                fromPeer++;
                if (peer.dealer.hasReceiveMore()) {
                    while (peer.dealer.hasReceiveMore()) {
                        peer.dealer.recv(0);
                    }
                    transport.drops.drop(peer.node, "Dropped a message of unexpected shape from " + peer.node);
                    continue;
                }
                transport.inbound.handleEnvelope(data, null);
            }
            most = Math.max(most, fromPeer);
        }
        return most;
    }

    /** @return the peer of that name, or null */
    Peer get(String node) {
        return peers.get(node);
    }

    Iterable<Peer> all() {
        return peers.values();
    }

    /** @return a snapshot of every peer, as {@link RemoteTransport#peerStates} shows it */
    List<PeerInfo> states() {
        long now = System.nanoTime();
        List<PeerInfo> states = new ArrayList<>();
        for (Peer peer : peers.values()) {
            states.add(new PeerInfo(peer.node, peer.incarnation, TimeUnit.NANOSECONDS.toMillis(now - peer.lastHeardNanos),
                    peer.blockedFrames + (peer.waiting == null ? 0 : peer.waiting.size()), peer.oversizeEnvelopes,
                    peer.inboundDropped));
        }
        return states;
    }

    /** @return the peer of that name, made (and greeted) if new; null past {@link #MAX_PEERS} */
    Peer peerFor(String node) {
        Peer peer = peers.get(node);
        if (peer != null) {
            return peer;
        }
        NodeAddress.HostPort hostPort = NodeAddress.hostPortOfNode(node);
        if (hostPort == null || peers.size() >= MAX_PEERS) {
            return null;
        }
        peer = new Peer(node, hostPort.port() == 0);
        peers.put(node, peer);
        if (peer.client) {
            // A client node cannot be dialled: it is reached through the ROUTER once it has
            // connected (the decoder records its routing id), and until then not at all.
            peer.problem = router == null
                    ? "node " + node + " is a client node and so is this one; client nodes cannot reach each other"
                    : "node " + node + " is a client node (it has no address to dial) and has no connection to"
                            + " this node; it is reachable only while it keeps one open";
            return peer;
        }
        CurveSettings curve = transport.config.curve();
        String serverKey = curve == null ? null : curve.peerServerKeys().get(hostPort.toString());
        if (curve != null && serverKey == null) {
            peer.problem = "this node uses CURVE but has no server key for " + hostPort
                    + "; add it with CurveSettings.allowPeer(\"" + hostPort + "\", key)";
            return peer;
        }
        if (IPV4.matcher(hostPort.host()).matches()) {
            connect(peer, hostPort.toString(), serverKey);
        } else if (resolving >= MAX_RESOLVING) {
            peer.problem = "more than " + MAX_RESOLVING + " host names are being resolved at once";
        } else {
            // A name lookup may take seconds: it runs on its own thread, and the peer's frames wait
            // until the I/O thread connects to the address found (or drops them).
            resolving++;
            peer.waiting = new ArrayList<>();
            Peer resolvingPeer = peer;
            String key = serverKey;
            Thread.ofVirtual().name("spinoff-resolve-" + hostPort.host()).start(() -> {
                String endpoint;
                String problem = null;
                try {
                    InetAddress address = InetAddress.getByName(hostPort.host());
                    endpoint = (address instanceof Inet6Address ? "[" + address.getHostAddress() + "]"
                            : address.getHostAddress()) + ":" + hostPort.port();
                } catch (IOException | RuntimeException e) {
                    endpoint = null;
                    problem = "its host " + hostPort.host() + " cannot be resolved (" + e.getMessage() + ")";
                }
                String found = endpoint;
                String failure = problem;
                transport.outbox.enqueueTask(() -> resolved(resolvingPeer, found, failure, key));
            });
        }
        return peer;
    }

    /** Finishes a name lookup: connects and sends what waited, or drops it. */
    private void resolved(Peer peer, String endpoint, String problem, String serverKey) {
        resolving--;
        List<Outbound.ToPeer> waiting = peer.waiting;
        peer.waiting = null;
        if (peers.get(peer.node) != peer) {
            for (Outbound.ToPeer item : waiting) {
                transport.outbox.refuse(item, "node " + peer.node + " went down before its host name was resolved");
            }
            return;
        }
        if (endpoint != null) {
            connect(peer, endpoint, serverKey);
        } else {
            peer.problem = problem;
        }
        transport.outbox.routeAll(waiting);
    }

    /** Makes the peer's socket, connects it and greets the peer. */
    private void connect(Peer peer, String endpoint, String serverKey) {
        RemoteConfig config = transport.config;
        CurveSettings curve = config.curve();
        ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
        dealer.setLinger(config.linger().toMillis());
        dealer.setSndHWM(Outbox.socketQueueBatches(config));
        dealer.setMaxMsgSize(config.maxFrameSize());
        dealer.setReconnectIVL(100);
        dealer.setReconnectIVLMax(1_000);
        // A fresh outbound connection of JeroMQ 0.6.0 now and then completes its TCP connect but
        // never its ZeroMQ handshake (a registration race in its I/O thread's selector), and sits
        // idle until the handshake interval tears it down (30 s by default). A short interval turns
        // that stall into a quick reconnect; frames wait in the socket's queue meanwhile.
        dealer.setHandshakeIvl(HANDSHAKE_MILLIS);
        if (curve != null) {
            if (router == null) {
                // A client node reads this socket: no receive limit under CURVE (see IoLoop#bind).
                dealer.setRcvHWM(0);
            }
            dealer.setCurvePublicKey(ZMQ.Curve.z85Decode(curve.keys().publicKey()));
            dealer.setCurveSecretKey(ZMQ.Curve.z85Decode(curve.keys().secretKey()));
            dealer.setCurveServerKey(ZMQ.Curve.z85Decode(serverKey));
        }
        try {
            dealer.connect("tcp://" + endpoint);
        } catch (RuntimeException e) {
            dealer.setLinger(0);
            dealer.close();
            peer.problem = "cannot connect to tcp://" + endpoint + " (" + e.getMessage() + ")";
            return;
        }
        peer.dealer = dealer;
        if (router == null) {
            // A client node hears from its peers on this socket.
            poller.register(dealer, ZMQ.Poller.POLLIN);
        }
        WireWriter hello = new WireWriter(128, null);
        transport.writeHeader(hello, EnvelopeKind.HELLO);
        hello.writeString(peer.node);
        List<ProtocolDefinition<?, ?>> known = transport.protocols.registered(MAX_HELLO_PROTOCOLS);
        hello.writeSize(known.size());
        for (ProtocolDefinition<?, ?> definition : known) {
            hello.writeString(definition.name());
            hello.writeLong(transport.localFingerprint(definition));
        }
        dealer.send(hello.buffer(), 0, hello.size(), ZMQ.DONTWAIT);
    }

    /**
     * Reads the rest of a HELLO: warns when the peer believes it talks to another node, and of every
     * protocol whose fingerprint differs from this node's (calls on it will fail with
     * {@link io.spinoff.runtime.remote.ProtocolMismatchException}).
     */
    void hello(String sender, WireReader in) {
        String nodeName = transport.nodeName();
        String expected = in.readString();
        if (!expected.equals(nodeName)) {
            transport.peerEvents.warn("Node " + sender + " believes it talks to " + RemoteTransport.abbreviate(expected)
                    + " but reached " + nodeName + "; check the node name in its addresses.");
        }
        int count = in.readSize(9);
        for (int i = 0; i < Math.min(count, MAX_HELLO_PROTOCOLS); i++) {
            String name = in.readString();
            long theirs = in.readLong();
            // Only protocols this node already uses are compared: no class is loaded by a name from the wire.
            ProtocolDefinition<?, ?> definition = transport.protocols.known(name);
            if (definition != null && transport.localFingerprint(definition) != theirs) {
                transport.peerEvents.warn(transport.mismatch(definition.name(), sender, theirs,
                        transport.localFingerprint(definition)));
                FlightEvents.handshakeFailed(nodeName, sender, FlightEvents.HandshakeFailure.FINGERPRINT_MISMATCH,
                        definition.name());
            }
        }
    }

    /** Heartbeats and the failure detector. */
    void tick(long now) {
        RemoteConfig config = transport.config;
        if (now - nextHeartbeatNanos >= 0) {
            nextHeartbeatNanos = now + config.heartbeatInterval().toNanos();
            WireWriter beat = new WireWriter(64, null);
            transport.writeHeader(beat, EnvelopeKind.HEARTBEAT);
            for (Peer peer : peers.values()) {
                send(peer, beat.buffer(), beat.size());
            }
        }
        if (now - nextSweepNanos >= 0) {
            nextSweepNanos = now + TimeUnit.SECONDS.toNanos(1);
            transport.outbox.forgetIdleNodes();
        }
        long threshold = config.downAfter().toNanos();
        List<Peer> down = null;
        for (Peer peer : peers.values()) {
            if (now - peer.lastHeardNanos > threshold) {
                (down == null ? down = new ArrayList<>() : down).add(peer);
            }
        }
        if (down != null) {
            for (Peer peer : down) {
                nodeDown(peer, "nothing was heard from it for " + config.downAfter().toMillis() + " ms");
            }
        }
    }

    /**
     * I/O thread: the cluster removed a member. Its connection, asks and watches end as for a
     * node found down, unless the peer known here is another incarnation (a restart on the same
     * address, which the removal does not concern).
     */
    void memberRemoved(String node, long incarnation, String why) {
        Peer peer = peers.get(node);
        if (peer == null) {
            transport.watch.nodeDown(node);
        } else if (incarnation == 0 || peer.incarnation == 0 || peer.incarnation == incarnation) {
            nodeDown(peer, why);
        }
    }

    /** Declares a peer down: fails its asks, tells its watchers, forgets it. */
    void nodeDown(Peer peer, String why) {
        String nodeName = transport.nodeName();
        FlightEvents.nodeDown(nodeName, peer.node, peer.incarnation, why);
        transport.peerEvents.warn("Node " + peer.node + " is down: " + why);
        peers.remove(peer.node);
        transport.outbox.peerDown(peer, "node " + peer.node + " is down");
        if (peer.dealer != null) {
            if (router == null) {
                poller.unregister(peer.dealer);
            }
            peer.dealer.setLinger(0);
            peer.dealer.close();
            peer.dealer = null;
        }
        peer.routingId = null;
        transport.outbox.forgetIdleNodes();
        transport.asks.failNode(peer.node, new NodeUnreachableException("Node " + peer.node + " is down: " + why
                + "; the reply will not come."));
        transport.watch.nodeDown(peer.node);
    }
}
