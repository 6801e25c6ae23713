package io.spinoff.runtime.internal.remote;

import io.spinoff.api.Ask;
import io.spinoff.api.AskTimeoutException;
import io.spinoff.api.CodecException;
import io.spinoff.api.support.MethodDescriptor;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.WireReader;
import io.spinoff.api.support.WireWriter;
import io.spinoff.runtime.ActorNotFoundException;
import io.spinoff.runtime.ActorStoppedException;
import io.spinoff.runtime.internal.observe.FlightEvents;
import io.spinoff.runtime.remote.NodeUnreachableException;
import io.spinoff.runtime.remote.ProtocolMismatchException;
import io.spinoff.runtime.remote.RemoteActorException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Remote asks, both sides: asks this node sends (their pending table, their deadlines, their
 * replies and failures) and asks it serves for its peers (handed to the local actor, whose reply
 * or failure goes back as a REPLY or FAILURE record). Not API.
 *
 * <h2>Threads</h2>
 * <ul>
 *   <li>{@link #ask}: any thread. It encodes the ask on the caller and hands it to the
 *       {@link Outbox}; the queue's offer happens-before the I/O thread's poll, which publishes
 *       the {@link PendingAsk}.</li>
 *   <li>Everything else on the sending side ({@link #sent}, {@link #handleReply}, {@link #tick},
 *       {@link #failNode}, {@link #failAll}): I/O thread only, so the pending table and the
 *       deadline heap are plain collections. The future of an ask is completed on the I/O thread
 *       (by the reply, a failure, the deadline or the peer going down), so callbacks attached to it
 *       without an executor run there and must not block; an actor or process awaiting the future
 *       is not affected. The race between those and a failure from another thread (the outbox
 *       refusing the ask) is decided by the promise's own atomicity.</li>
 *   <li>Serving ({@link #serve}): the I/O thread decodes and delivers the ask; the local reply
 *       completes on whichever thread the actor answers on, which encodes the reply there and
 *       hands it to the outbox (any thread).</li>
 * </ul>
 */
final class RemoteAsks {
    /** The longest timeout a served ask gets, whatever the caller asked for. */
    static final long MAX_ASK_TIMEOUT_MILLIS = TimeUnit.HOURS.toMillis(1);

    private final RemoteTransport transport;
    private final AtomicLong nextCorrelation = new AtomicLong();

    // I/O thread only.
    private final HashMap<Long, PendingAsk> pending = new HashMap<>();
    /** The asks of {@link #pending} by deadline; an ask leaves both together. */
    private final AskDeadlines deadlines = new AskDeadlines();

    RemoteAsks(RemoteTransport transport) {
        this.transport = transport;
    }

    // ------------------------------------------------------------------ asking (any thread)

    @SuppressWarnings("unchecked")
    <R> CompletableFuture<R> ask(RemoteActorRef target, Object message, Duration timeout) {
        CompletableFuture<Object> promise = new CompletableFuture<>();
        ProtocolDefinition<Object, Object> definition;
        byte[] frame;
        long correlation = nextCorrelation.incrementAndGet();
        long timeoutMillis = timeout == null ? transport.runtime.settings().askTimeout().toMillis() : timeout.toMillis();
        MethodDescriptor method;
        Route route;
        try {
            definition = transport.definitionOf(target, message);
            method = definition.method(message);
            route = transport.routeFor(target, definition);
            WireWriter out = new WireWriter(128, transport);
            out.writeLong(correlation);
            out.writeVarlong(timeoutMillis);
            definition.encode(message, out);
            frame = out.toByteArray();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        PendingAsk ask = new PendingAsk(correlation, target, message, definition, method.index(), promise,
                System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis), timeoutMillis);
        transport.runtime.observeAsk(promise, target.address(), message);
        transport.outbox.enqueue(new Outbound.Ask(target.node(), route, frame, ask), target, message);
        return (CompletableFuture<R>) (CompletableFuture<?>) promise;
    }

    // ------------------------------------------------------------------ sent asks (I/O thread)

    /**
     * Records an ask about to be written to its peer's batch.
     *
     * @return false when it is already done (failed by the sender's side) and must not be sent
     */
    boolean sent(PendingAsk ask) {
        if (ask.promise.isDone()) {
            return false;
        }
        pending.put(ask.correlation, ask);
        deadlines.add(ask);
        return true;
    }

    /** Completes the pending ask a REPLY or FAILURE record answers. */
    void handleReply(Peer peer, WireReader in, RecordKind kind) {
        long correlation = in.readLong();
        PendingAsk ask = pending.get(correlation);
        if (ask == null || !ask.target.node().equals(peer.node)) {
            transport.drops.drop(peer.node, "Dropped a reply from " + peer.node + " to no pending ask (it timed out, or was never sent)");
            return;
        }
        pending.remove(correlation);
        deadlines.remove(ask);
        if (kind == RecordKind.REPLY) {
            Object value;
            try {
                value = ask.definition.decodeReply(ask.methodIndex, in);
                in.expectEnd();
            } catch (RuntimeException e) {
                ask.promise.completeExceptionally(new RemoteActorException("The reply to " + RemoteTransport.describe(ask.message)
                        + " from " + ask.target.address() + " could not be decoded: " + e.getMessage()));
                throw e;
            }
            ask.promise.complete(value);
            return;
        }
        byte code;
        String text;
        try {
            code = in.readByte();
            text = in.readString();
            in.expectEnd();
        } catch (RuntimeException e) {
            ask.promise.completeExceptionally(new RemoteActorException("The failure of " + RemoteTransport.describe(ask.message)
                    + " reported by " + ask.target.address() + " could not be decoded: " + e.getMessage()));
            throw e;
        }
        String prefix = "Ask " + RemoteTransport.describe(ask.message) + " to " + ask.target.address() + " failed: ";
        FailureCode failure = FailureCode.of(code);
        ask.promise.completeExceptionally(failure == null ? new RemoteActorException(prefix + text) : switch (failure) {
            case NOT_FOUND -> new ActorNotFoundException(prefix + text);
            case STOPPED -> new ActorStoppedException(prefix + text);
            case TIMED_OUT -> new AskTimeoutException(prefix + text);
            case PROTOCOL_MISMATCH -> new ProtocolMismatchException(prefix + text);
            default -> new RemoteActorException(prefix + text);
        });
    }

    /** Fails the asks whose deadline has passed. */
    void tick(long now) {
        PendingAsk ask;
        while ((ask = deadlines.peek()) != null && ask.deadlineNanos - now <= 0) {
            deadlines.remove(ask);
            pending.remove(ask.correlation);
            FlightEvents.askTimedOut(ask.target.address(), ask.message, ask.timeoutMillis);
            ask.promise.completeExceptionally(new AskTimeoutException("Ask " + RemoteTransport.describe(ask.message)
                    + " to " + ask.target.address() + " got no reply within " + ask.timeoutMillis + " ms"));
        }
    }

    /** Fails an ask whose frame was dropped before it reached the peer. */
    void dropped(PendingAsk ask, NodeUnreachableException failure) {
        if (pending.remove(ask.correlation, ask)) {
            deadlines.remove(ask);
            ask.promise.completeExceptionally(failure);
        }
    }

    /** Fails the pending asks to actors of a node that is down. */
    void failNode(String node, NodeUnreachableException failure) {
        for (Iterator<PendingAsk> it = pending.values().iterator(); it.hasNext(); ) {
            PendingAsk ask = it.next();
            if (ask.target.node().equals(node)) {
                it.remove();
                deadlines.remove(ask);
                ask.promise.completeExceptionally(failure);
            }
        }
    }

    /** Fails every pending ask: the node closes. */
    void failAll(NodeUnreachableException failure) {
        for (PendingAsk ask : pending.values()) {
            ask.promise.completeExceptionally(failure);
        }
        pending.clear();
        deadlines.clear();
    }

    /** @return how many asks wait in the deadline heap; I/O thread (for tests) */
    int waitingDeadlines() {
        return deadlines.size();
    }

    // ------------------------------------------------------------------ served asks

    /** Serves an ASK record from a peer: delivers it to the local actor, replies when it answers. I/O thread. */
    @SuppressWarnings("unchecked")
    void serve(Peer peer, InboundDecoder.InboundTarget target, WireReader in) {
        long correlation = in.readLong();
        long timeoutMillis = Math.max(1, Math.min(in.readVarlong(), MAX_ASK_TIMEOUT_MILLIS));
        String caller = peer.node;
        String nodeName = transport.nodeName();
        if (target.refusal() != null) {
            if (target.refusalCode() == FailureCode.NOT_FOUND && target.ref() != null) {
                transport.runtime.deadLetter(target.ref().address(), "an ask of " + target.protocol() + " from " + caller,
                        "no actor at this address");
            } else {
                transport.drops.drop(caller, "Refused an ask from " + caller + ": " + target.refusal());
            }
            sendFailure(caller, correlation, target.refusalCode(), target.refusal());
            return;
        }
        int cost = in.remaining() + RemoteConfig.INBOUND_MESSAGE_OVERHEAD;
        if (!transport.inbound.admit(peer, target, "an ask", cost)) {
            sendFailure(caller, correlation, FailureCode.FAILED_IN_ACTOR, "Node " + nodeName + " refused the ask: actor "
                    + target.ref().address() + " is at its inbound limit (messages from other nodes worth "
                    + transport.config.maxInboundBytes() + " bytes wait in its mailbox); it is slower than its senders.");
            return;
        }
        ProtocolDefinition<Object, Object> definition = target.definition();
        Object message;
        try {
            message = definition.decode(in);
            in.expectEnd();
        } catch (RuntimeException e) {
            target.undelivered(cost);
            if (!(e instanceof CodecException)) {
                throw e;
            }
            transport.drops.drop(caller, "Dropped an undecodable ask from " + caller + ": " + e.getMessage());
            sendFailure(caller, correlation, FailureCode.UNDECODABLE, "Node " + nodeName + " could not decode the ask: "
                    + e.getMessage());
            return;
        }
        if (!(message instanceof Ask<?> ask)) {
            target.undelivered(cost);
            transport.drops.drop(caller, "Refused an ask from " + caller + ": " + RemoteTransport.describe(message) + " is a tell");
            sendFailure(caller, correlation, FailureCode.UNDECODABLE, "Node " + nodeName + " refused the ask: "
                    + RemoteTransport.describe(message) + " is the message of a tell, which has no reply; send it as a tell.");
            return;
        }
        int methodIndex;
        try {
            methodIndex = definition.method(message).index();
        } catch (RuntimeException e) {
            target.undelivered(cost);
            throw e;
        }
        int maxFrameSize = transport.config.maxFrameSize();
        CompletableFuture<Object> answer = target.cell() == null
                ? target.ref().ask((Ask<Object>) ask, Duration.ofMillis(timeoutMillis))
                : target.cell().askRemote(ask, Duration.ofMillis(timeoutMillis), cost);
        answer.whenComplete((value, failure) -> {
            if (failure == null) {
                byte[] reply;
                try {
                    WireWriter out = new WireWriter(64, transport);
                    out.writeByte(RecordKind.REPLY.code());
                    out.writeLong(correlation);
                    definition.encodeReply(methodIndex, value, out);
                    reply = out.toByteArray();
                } catch (RuntimeException e) {
                    sendFailure(caller, correlation, FailureCode.FAILED_IN_ACTOR, "The reply of "
                            + RemoteTransport.describe(message) + " on node " + nodeName + " could not be encoded: "
                            + e.getMessage());
                    return;
                }
                if (reply.length > maxFrameSize - Outbox.ENVELOPE_ROOM) {
                    sendFailure(caller, correlation, FailureCode.FAILED_IN_ACTOR, "The reply of "
                            + RemoteTransport.describe(message) + " on node " + nodeName + " takes " + reply.length
                            + " bytes, more than the maximum frame size of " + maxFrameSize
                            + " bytes; reply with less data, or raise maxFrameSize on both nodes.");
                    return;
                }
                transport.outbox.enqueue(new Outbound.Plain(caller, reply), caller, null);
            } else {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                FailureCode code = cause instanceof ActorNotFoundException ? FailureCode.NOT_FOUND
                        : cause instanceof ActorStoppedException ? FailureCode.STOPPED
                        : cause instanceof AskTimeoutException ? FailureCode.TIMED_OUT
                        : FailureCode.FAILED_IN_ACTOR;
                sendFailure(caller, correlation, code, String.valueOf(cause.getMessage()));
            }
        });
    }

    /** Sends a FAILURE record answering an ask of a peer. Any thread. */
    void sendFailure(String node, long correlation, FailureCode code, String text) {
        WireWriter out = new WireWriter(64, null);
        out.writeByte(RecordKind.FAILURE.code());
        out.writeLong(correlation);
        out.writeByte(code.code());
        out.writeString(text.length() > 4_000 ? text.substring(0, 4_000) : text);
        transport.outbox.enqueue(new Outbound.Plain(node, out.toByteArray()), node, null);
    }
}
