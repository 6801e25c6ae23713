package io.spinoff.runtime.internal.remote;

import io.spinoff.api.ActorRef;
import io.spinoff.api.CodecException;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.WireReader;
import io.spinoff.api.support.WireWriter;
import io.spinoff.runtime.internal.EntitySink;
import io.spinoff.runtime.internal.cell.ActorCell;
import io.spinoff.runtime.internal.observe.FlightEvents;
import java.util.ArrayList;
import org.zeromq.ZMQ;

/**
 * Reads and decodes what arrives at the node's ROUTER socket. Not API.
 *
 * <p>Inbound envelopes are decoded frame by frame in place; each TARGET is resolved once per
 * envelope to the local actor and to the protocol definition it implements
 * ({@link ActorCell#hostedDefinition}): a frame naming a protocol its target does not implement is
 * dropped and counted (an ask gets a failure), so nothing is decoded with a protocol the target
 * did not declare. Decoded messages go straight into the target actors' mailboxes (a lock-free
 * offer), from the I/O thread, as long as the target is below the node's inbound limit
 * ({@link #admit}); past it, a TELL or ASK is dropped before it
 * is decoded, counted per peer, and an ask fails at once, so that a fast sender cannot exhaust the
 * heap through a slow actor.
 *
 * <p>Everything read is untrusted. Every envelope and every frame is decoded inside its own try
 * block; whatever fails is dropped, counted and logged ({@link DropLog}), and the I/O thread
 * carries on.
 *
 * <p><b>Threading:</b> I/O thread only.
 */
final class InboundDecoder {
    /** The most messages read from the ROUTER in one turn of the I/O loop. */
    static final int MAX_RECEIVE = 4_096;

    private final RemoteTransport transport;
    /** The targets named so far in the envelope being read; see {@link RecordKind#TARGET}. */
    private final ArrayList<InboundTarget> inboundTargets = new ArrayList<>();

    InboundDecoder(RemoteTransport transport) {
        this.transport = transport;
    }

    /**
     * Reads what the ROUTER holds, up to {@link #MAX_RECEIVE} messages.
     *
     * @return how many were read ({@link #MAX_RECEIVE} means more may wait)
     */
    int receive(ZMQ.Socket router) {
        for (int i = 0; i < MAX_RECEIVE; i++) {
            byte[] identity = router.recv(ZMQ.DONTWAIT);
            if (identity == null) {
                return i;
            }
            byte[] data = router.hasReceiveMore() ? router.recv(0) : null;
            boolean extra = false;
            while (router.hasReceiveMore()) {
                router.recv(0);
                extra = true;
            }
            if (data == null || extra) {
                transport.drops.drop(DropLog.UNKNOWN_PEER, "Dropped a message of unexpected shape from a client of " + transport.nodeName());
                continue;
            }
            handleEnvelope(data, identity);
        }
        return MAX_RECEIVE;
    }

    /**
     * Decodes one envelope and delivers what it holds.
     *
     * @param data the envelope
     * @param routingId the ROUTER's routing id of the connection it came on, or null when it came
     *     on a DEALER (on a client node); a client node's peer is answered through the latest one
     */
    void handleEnvelope(byte[] data, byte[] routingId) {
        String nodeName = transport.nodeName();
        DropLog drops = transport.drops;
        Peer peer;
        WireReader in;
        EnvelopeKind kind;
        try {
            in = new WireReader(data, 0, data.length, transport, WireWriter.DEFAULT_MAX_DEPTH);
            if (in.readByte() != WireFormat.MAGIC_0 || in.readByte() != WireFormat.MAGIC_1) {
                drops.drop(DropLog.UNKNOWN_PEER, "Dropped a message that is not a Spinoff envelope (" + data.length
                        + " bytes)" + (isCurveMessage(data) ? ": a CURVE MESSAGE command that ZeroMQ handed over"
                        + " still encrypted" : ""));
                return;
            }
            byte version = in.readByte();
            if (version != WireFormat.VERSION) {
                drops.drop(DropLog.UNKNOWN_PEER, "Dropped an envelope of wire version " + version + "; this node speaks version "
                        + WireFormat.VERSION);
                return;
            }
            kind = EnvelopeKind.of(in.readByte());
            String sender = in.readString();
            long senderIncarnation = in.readLong();
            if (sender.equals(nodeName) || NodeAddress.hostPortOfNode(sender) == null || senderIncarnation == 0
                    || kind == null) {
                drops.drop(DropLog.UNKNOWN_PEER, "Dropped an envelope with a bad header from '" + RemoteTransport.abbreviate(sender) + "'");
                return;
            }
            Peers peers = transport.peers;
            peer = peers.peerFor(sender);
            if (peer == null) {
                drops.drop(sender, "Dropped an envelope from " + RemoteTransport.abbreviate(sender) + ": too many peers ("
                        + Peers.MAX_PEERS + ")");
                return;
            }
            if (peer.client && peer.incarnation != 0 && peer.incarnation != senderIncarnation) {
                // A client node's name is new at each start, so this is not a restart but another
                // connection claiming the name: it must not take the client's replies.
                drops.drop(sender, "Dropped an envelope from " + RemoteTransport.abbreviate(sender) + ": that client node"
                        + " is connected with another incarnation");
                return;
            }
            if (peer.incarnation != 0 && peer.incarnation != senderIncarnation) {
                peers.nodeDown(peer, "it restarted as a new incarnation");
                peer = peers.peerFor(sender);
            }
            if (peer.incarnation != senderIncarnation) {
                FlightEvents.nodeUp(nodeName, sender, senderIncarnation);
            }
            peer.incarnation = senderIncarnation;
            peer.lastHeardNanos = System.nanoTime();
            if (routingId != null && peer.client) {
                // A client node: it is answered on the connection it last sent on.
                peer.routingId = routingId;
            }
            if (kind == EnvelopeKind.HELLO) {
                peers.hello(sender, in);
                return;
            }
        } catch (RuntimeException e) {
            drops.drop(DropLog.UNKNOWN_PEER, "Dropped a malformed envelope (" + data.length + " bytes): " + e.getMessage());
            return;
        }
        if (data.length > transport.config.maxFrameSize()) {
            refuseOversize(peer, kind, data, data.length - in.remaining());
            return;
        }
        if (kind != EnvelopeKind.BATCH) {
            return;
        }
        // Frames are read in place: each is a length-prefixed slice of the envelope, decoded by a
        // reader bounded to the slice, so a malformed frame cannot reach into the next one.
        int position = data.length - in.remaining();
        inboundTargets.clear();
        try {
            while (position < data.length) {
                int length;
                int start;
                try {
                    long header = readVarint(data, position);
                    length = (int) header;
                    start = (int) (header >>> 32);
                    if (length > data.length - start) {
                        throw new CodecException("a frame declares " + length + " bytes but " + (data.length - start)
                                + " remain");
                    }
                } catch (RuntimeException e) {
                    drops.drop(peer.node, "Dropped the rest of a malformed batch from " + peer.node + ": " + e.getMessage());
                    return;
                }
                position = start + length;
                try {
                    handleFrame(peer, new WireReader(data, start, length, transport, WireWriter.DEFAULT_MAX_DEPTH));
                } catch (RuntimeException e) {
                    drops.drop(peer.node, "Dropped a malformed frame from " + peer.node + ": " + e.getMessage());
                }
            }
        } finally {
            inboundTargets.clear();
        }
    }

    /** @return whether the bytes are a CURVE MESSAGE command (length 7, then "MESSAGE"), not a payload */
    private static boolean isCurveMessage(byte[] data) {
        return data.length > 8 && data[0] == 7 && data[1] == 'M' && data[2] == 'E' && data[3] == 'S' && data[4] == 'S'
                && data[5] == 'A' && data[6] == 'G' && data[7] == 'E';
    }

    /**
     * Refuses an envelope larger than this node's maximum frame size (its sender has a larger
     * one): logs it and counts it, with the peer's name, and answers each ask in it with a FAILURE
     * so that the asker learns at once; nothing in it is decoded or delivered. The connection
     * stays, so what the peer sends next is read as usual.
     *
     * @param position where the records start
     */
    private void refuseOversize(Peer peer, EnvelopeKind kind, byte[] data, int position) {
        int max = transport.config.maxFrameSize();
        peer.oversizeEnvelopes++;
        String why = "the envelope of " + data.length + " bytes exceeds the maximum frame size of node "
                + transport.nodeName() + ", " + max + " bytes";
        int records = 0;
        int asks = 0;
        if (kind == EnvelopeKind.BATCH) {
            // Only the record headers are read: kind, and for an ask its correlation id.
            try {
                while (position < data.length) {
                    long header = readVarint(data, position);
                    int length = (int) header;
                    int start = (int) (header >>> 32);
                    if (length < 1 || length > data.length - start) {
                        break;
                    }
                    position = start + length;
                    RecordKind record = RecordKind.of(data[start]);
                    if (record == RecordKind.TARGET) {
                        continue;
                    }
                    records++;
                    if (record == RecordKind.ASK) {
                        WireReader in = new WireReader(data, start + 1, length - 1, null, WireWriter.DEFAULT_MAX_DEPTH);
                        in.readVarint();
                        transport.asks.sendFailure(peer.node, in.readLong(), FailureCode.UNDECODABLE, "Node "
                                + transport.nodeName() + " refused the ask: " + why
                                + "; send less data per message, or give both nodes the same maxFrameSize.");
                        asks++;
                    }
                }
            } catch (RuntimeException e) {
                // A malformed rest: what was found so far is refused; the rest is dropped with the envelope.
            }
        }
        transport.drops.drop(peer.node, Math.max(1, records), "Dropped an envelope of " + data.length + " bytes from "
                + peer.node + " (" + Math.max(1, records) + " frames" + (asks > 0 ? ", " + asks + " asks failed" : "")
                + "): it exceeds this node's maximum frame size of " + max + " bytes; give both nodes the"
                + " same maxFrameSize");
    }

    /**
     * Reads an unsigned varint of at most 5 bytes that fits an int.
     *
     * @return the value in the low 32 bits, the position after it in the high 32 bits
     */
    private static long readVarint(byte[] data, int position) {
        int result = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            if (position >= data.length) {
                throw new CodecException("a frame length is truncated");
            }
            int b = data[position++];
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (result < 0) {
                    throw new CodecException("a frame length is negative");
                }
                return (long) position << 32 | result;
            }
        }
        throw new CodecException("a frame length is longer than 5 bytes");
    }

    private void handleFrame(Peer peer, WireReader in) {
        byte code = in.readByte();
        RecordKind kind = RecordKind.of(code);
        if (kind == null) {
            transport.drops.drop(peer.node, "Dropped a frame of unknown kind " + code + " from " + peer.node);
            return;
        }
        switch (kind) {
            case TARGET -> {
                if (inboundTargets.size() >= WireFormat.MAX_TARGETS) {
                    throw new CodecException("an envelope names more than " + WireFormat.MAX_TARGETS + " targets");
                }
                inboundTargets.add(resolveTarget(peer, in));
            }
            case TELL -> {
                InboundTarget target = inboundTarget(in.readVarint());
                if (target.refusal != null) {
                    if (target.refusalCode == FailureCode.NOT_FOUND && target.ref != null) {
                        // No actor to decode for: the message is a dead letter, described by its protocol.
                        transport.runtime.deadLetter(target.ref.address(), "a message of " + target.protocol + " from "
                                + peer.node, "no actor at this address");
                    } else {
                        transport.drops.drop(peer.node, "Dropped a message from " + peer.node + ": " + target.refusal);
                    }
                    return;
                }
                int cost = in.remaining() + RemoteConfig.INBOUND_MESSAGE_OVERHEAD;
                if (!admit(peer, target, "a message", cost)) {
                    return;
                }
                Object message;
                try {
                    message = target.definition.decode(in);
                    in.expectEnd();
                } catch (RuntimeException e) {
                    target.undelivered(cost);
                    throw e;
                }
                if (target.cell == null) {
                    target.ref.tell(message);
                } else {
                    target.cell.tellRemote(message, cost);
                }
            }
            case ASK -> transport.asks.serve(peer, inboundTarget(in.readVarint()), in);
            case REPLY, FAILURE -> transport.asks.handleReply(peer, in, kind);
            case WATCH -> transport.watch.hostWatch(peer, in.readString());
            case UNWATCH -> transport.watch.hostUnwatch(peer.node, in.readString());
            case TERMINATED -> {
                String path = in.readString();
                byte reason = in.readByte();
                in.expectEnd();
                transport.watch.terminated(peer, path, TerminationReason.of(reason));
            }
        }
    }

    /**
     * Reserves room for one message or ask from a peer in its target's mailbox, against the
     * node's inbound limit (see {@link ActorCell#admitRemote}); past it, the record is dropped
     * undecoded and counted, per peer and in the node's dropped frames, with a rate-limited warning
     * naming the peer and the actor.
     *
     * @param what "a message" or "an ask", for the log
     * @param cost its payload's size plus {@link RemoteConfig#INBOUND_MESSAGE_OVERHEAD}
     * @return whether the record may be delivered; if so, it must be (or its room given back)
     */
    boolean admit(Peer peer, InboundTarget target, String what, int cost) {
        int limit = transport.config.maxInboundBytes();
        if (target.cell == null || target.cell.admitRemote(cost, limit)) {
            return true;
        }
        peer.inboundDropped++;
        String node = peer.node;
        ActorCell cell = target.cell;
        transport.drops.dropLazily(node, () -> "Dropped " + what + " from " + node + " to " + cell.address() + ": "
                + "messages from other nodes worth its inbound limit of " + limit + " bytes already wait in its"
                + " mailbox; the actor is slower than its senders (raise the limit with"
                + " ActorSystemBuilder.maxInboundBytes, or slow the senders down)");
        return false;
    }

    private InboundTarget inboundTarget(int index) {
        if (index < 0 || index >= inboundTargets.size()) {
            throw new CodecException("a frame refers to target " + index + " but its envelope named "
                    + inboundTargets.size());
        }
        return inboundTargets.get(index);
    }

    /**
     * A target named by a TARGET frame, resolved once for the rest of its envelope: the local actor
     * and the definition its frames are decoded with, or why its frames are refused.
     */
    record InboundTarget(String protocol, ActorRef<Object> ref, ActorCell cell,
            ProtocolDefinition<Object, Object> definition, String refusal, FailureCode refusalCode) {
        static InboundTarget refused(String protocol, ActorRef<Object> ref, String refusal, FailureCode code) {
            return new InboundTarget(protocol, ref, null, null, refusal, code);
        }

        /** Gives back the room a record reserved in its target's mailbox; a sink reserves none. */
        void undelivered(int cost) {
            if (cell != null) {
                cell.remoteUndelivered(cost);
            }
        }
    }

    /**
     * Resolves a TARGET frame: the actor at the path, and the definition of the named protocol
     * among those the actor implements ({@link ActorCell#hostedDefinition}); a frame is never
     * decoded with a protocol its target does not implement, and no class is loaded by a name from
     * the wire, except for a {@link io.spinoff.runtime.Process}, which takes every protocol (see
     * {@link ActorCell#acceptsAnyProtocol()}): for it the registry finds the protocol by name,
     * accepting only {@code @ActorProtocol} interfaces with generated code.
     *
     * @return the target; a refused one when its frames must be dropped (or its asks answered
     *     with a failure)
     */
    @SuppressWarnings("unchecked")
    private InboundTarget resolveTarget(Peer peer, WireReader in) {
        String path;
        String protocol;
        long fingerprint;
        try {
            path = in.readString();
            protocol = in.readString();
            fingerprint = in.readLong();
            in.expectEnd();
        } catch (RuntimeException e) {
            // Keeps the indexes of later targets in place; the frames of this one are refused.
            return InboundTarget.refused("?", null, "its target frame is malformed: " + e.getMessage(),
                    FailureCode.UNDECODABLE);
        }
        if (!NodeAddress.validPath(path)) {
            return InboundTarget.refused(RemoteTransport.abbreviate(protocol), null, "the target path '"
                    + RemoteTransport.abbreviate(path) + "' is neither under /user nor an entity's path",
                    FailureCode.NOT_FOUND);
        }
        ActorRef<Object> ref = transport.runtime.resolveLocal(path);
        ActorCell cell = ActorCell.cellOf(ref);
        if (cell == null && ref instanceof EntitySink sink) {
            return sinkTarget(peer, protocol, fingerprint, sink);
        }
        if (cell == null) {
            return InboundTarget.refused(RemoteTransport.abbreviate(protocol), ref,
                    "no actor lives at this address; check the path, or spawn the actor first.", FailureCode.NOT_FOUND);
        }
        ProtocolDefinition<Object, Object> definition = (ProtocolDefinition<Object, Object>) cell.hostedDefinition(protocol);
        if (definition == null && cell.acceptsAnyProtocol()) {
            definition = (ProtocolDefinition<Object, Object>) transport.protocols.forName(protocol);
        }
        if (definition == null) {
            return InboundTarget.refused(RemoteTransport.abbreviate(protocol), ref, "actor " + ref.address()
                    + " does not implement protocol " + RemoteTransport.abbreviate(protocol)
                    + "; look it up with a protocol it implements.", FailureCode.NOT_IMPLEMENTED);
        }
        return checked(peer, protocol, fingerprint, ref, cell, definition);
    }

    /**
     * The target, once the caller's fingerprint of its protocol matches this node's; refused
     * (and recorded as a failed handshake) otherwise.
     */
    private InboundTarget checked(Peer peer, String protocol, long fingerprint, ActorRef<Object> ref, ActorCell cell,
            ProtocolDefinition<Object, Object> definition) {
        long local = transport.localFingerprint(definition);
        if (local != fingerprint) {
            FlightEvents.handshakeFailed(transport.nodeName(), peer.node,
                    FlightEvents.HandshakeFailure.FINGERPRINT_MISMATCH, definition.name());
            return InboundTarget.refused(protocol, ref, transport.mismatch(definition.name(), peer.node, fingerprint, local),
                    FailureCode.PROTOCOL_MISMATCH);
        }
        transport.protocols.register(definition);
        return new InboundTarget(protocol, ref, cell, definition, null, null);
    }

    /** A target that is an entity not active here: its router takes the frames (see {@link EntitySink}). */
    @SuppressWarnings("unchecked")
    private InboundTarget sinkTarget(Peer peer, String protocol, long fingerprint, EntitySink sink) {
        ProtocolDefinition<Object, Object> definition = (ProtocolDefinition<Object, Object>) sink.protocol();
        if (!definition.name().equals(protocol)) {
            return InboundTarget.refused(RemoteTransport.abbreviate(protocol), sink, "entity " + sink.address()
                    + " does not implement protocol " + RemoteTransport.abbreviate(protocol)
                    + "; look it up with " + definition.name() + ".", FailureCode.NOT_IMPLEMENTED);
        }
        return checked(peer, protocol, fingerprint, sink, null, definition);
    }
}
