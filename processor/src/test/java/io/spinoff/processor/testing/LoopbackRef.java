package io.spinoff.processor.testing;

import io.spinoff.api.ActorRef;
import io.spinoff.api.Ask;
import io.spinoff.api.CodecException;
import io.spinoff.api.support.MethodDescriptor;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.ReferenceCodec;
import io.spinoff.api.support.WireReader;
import io.spinoff.api.support.WireWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test double of an actor: an {@link ActorRef} that hosts one implementation of a protocol and
 * delivers every message to it synchronously, on the caller's thread, through the generated code.
 *
 * <p>Each message is encoded with the protocol's codec, decoded back, and dispatched; each reply is
 * encoded and decoded the same way before it completes the caller's future. So a call on a proxy
 * over this ref runs the whole path a remote call would: proxy, record, encode, bytes, decode,
 * dispatch, implementation, reply, encode, decode. A local protocol ({@code local = true}) skips the
 * codec and hands the message and reply over as they are.
 *
 * <p>Refs live in a {@link Registry}, which is also the {@link ReferenceCodec}: a reference inside a
 * message travels as an address and arrives as a proxy over the ref registered at that address.
 *
 * <p>Ask semantics follow the specification: if the implementation throws, the future fails with
 * that exception; a returned stage that fails fails the future with its exception; a {@code null}
 * stage fails the future with an {@link IllegalStateException} saying so. A tell whose
 * implementation throws lets the exception reach the caller (there is no supervisor here). Encoding
 * failures are thrown to the caller of {@code tell} or {@code ask}.
 *
 * <p>Every message delivered and every ask timeout given is recorded, for assertions.
 *
 * <p><b>Threading:</b> delivery runs on the caller's thread, so concurrent callers reach the
 * implementation concurrently (unlike an actor); the records are thread-safe.
 *
 * @param <P> the protocol interface
 * @param <M> the protocol's message type
 */
public final class LoopbackRef<P, M> implements ActorRef<M> {

    private final Registry registry;
    private final String address;
    private final ProtocolDefinition<P, M> protocol;
    private final P implementation;
    private final List<M> delivered = new ArrayList<>();
    private final List<Optional<Duration>> askTimeouts = new ArrayList<>();
    private byte[] lastEncoding;

    private LoopbackRef(Registry registry, String address, ProtocolDefinition<P, M> protocol, P implementation) {
        this.registry = registry;
        this.address = address;
        this.protocol = protocol;
        this.implementation = implementation;
    }

    /** @return the typed proxy of the hosted actor, sending through this ref */
    public P proxy() {
        return protocol.proxy(this);
    }

    /** @return the protocol this ref hosts */
    public ProtocolDefinition<P, M> protocol() {
        return protocol;
    }

    /** @return the implementation this ref delivers to */
    public P implementation() {
        return implementation;
    }

    /** @return the messages delivered to the implementation so far, as it received them */
    public synchronized List<M> delivered() {
        return List.copyOf(delivered);
    }

    /**
     * @return the timeout of every ask so far, in order: for {@link #ask(Ask)} the method's
     *     {@code @AskTimeout} or empty (the system's default), the given duration for
     *     {@link #ask(Ask, Duration)}
     */
    public synchronized List<Optional<Duration>> askTimeouts() {
        return List.copyOf(askTimeouts);
    }

    /** @return the bytes of the last message encoded, or {@code null} (none yet, or a local protocol) */
    public synchronized byte[] lastEncoding() {
        return lastEncoding == null ? null : lastEncoding.clone();
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void tell(M message) {
        Objects.requireNonNull(message, "message");
        protocol.dispatch(implementation, transmit(message));
    }

    @Override
    public <R> CompletableFuture<R> ask(Ask<R> message) {
        Objects.requireNonNull(message, "message");
        synchronized (this) {
            // What a runtime does: the method's @AskTimeout, from its descriptor, when none is given.
            askTimeouts.add(ProtocolDefinition.askTimeoutOf(message));
        }
        return deliverAsk(message(message));
    }

    @Override
    public <R> CompletableFuture<R> ask(Ask<R> message, Duration timeout) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(timeout, "timeout");
        synchronized (this) {
            askTimeouts.add(Optional.of(timeout));
        }
        return deliverAsk(message(message));
    }

    /** The message types of a protocol are its records; an ask message is one of them. */
    @SuppressWarnings("unchecked")
    private M message(Ask<?> ask) {
        return (M) ask;
    }

    private <R> CompletableFuture<R> deliverAsk(M message) {
        M received = transmit(message);
        MethodDescriptor method = protocol.method(received);
        if (!method.ask()) {
            throw new IllegalArgumentException(received + " is a tell; send it with tell(...)");
        }
        CompletableFuture<R> result = new CompletableFuture<>();
        CompletionStage<?> stage;
        try {
            stage = protocol.dispatch(implementation, received);
        } catch (RuntimeException | Error e) {
            result.completeExceptionally(e);
            return result;
        }
        if (stage == null) {
            result.completeExceptionally(new IllegalStateException(protocol.protocolType().getSimpleName() + "."
                    + method.name() + " returned null instead of a CompletionStage; return a completed stage,"
                    + " such as CompletableFuture.completedFuture(value)"));
            return result;
        }
        stage.whenComplete((value, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
                return;
            }
            try {
                @SuppressWarnings("unchecked")
                R reply = (R) transmitReply(method.index(), value);
                result.complete(reply);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    /** Encodes and decodes a message (a local protocol's message is delivered as it is). */
    private M transmit(M message) {
        if (protocol.local()) {
            record(message, null);
            return message;
        }
        WireWriter out = new WireWriter(64, registry);
        protocol.encode(message, out);
        M decoded = protocol.decode(new WireReader(out.buffer(), 0, out.size(), registry, WireWriter.DEFAULT_MAX_DEPTH));
        record(decoded, out.toByteArray());
        return decoded;
    }

    private synchronized void record(M message, byte[] encoding) {
        delivered.add(message);
        lastEncoding = encoding;
    }

    /** Encodes and decodes a reply (a local protocol's reply is handed over as it is). */
    private Object transmitReply(int methodIndex, Object reply) {
        if (protocol.local()) {
            return reply;
        }
        WireWriter out = new WireWriter(64, registry);
        protocol.encodeReply(methodIndex, reply, out);
        return protocol.decodeReply(methodIndex,
                new WireReader(out.buffer(), 0, out.size(), registry, WireWriter.DEFAULT_MAX_DEPTH));
    }

    /** Two refs are equal when they have the same address, as {@link ActorRef} requires. */
    @Override
    public boolean equals(Object other) {
        return other instanceof LoopbackRef<?, ?> ref && ref.address.equals(address);
    }

    @Override
    public int hashCode() {
        return address.hashCode();
    }

    @Override
    public String toString() {
        return "LoopbackRef[" + address + "]";
    }

    /**
     * The refs of one test, by address, and the {@link ReferenceCodec} that turns references into
     * addresses and back. An implementation hosted here may also pass itself ({@code this}) as a
     * reference: it travels as the address it is hosted at.
     */
    public static final class Registry implements ReferenceCodec {

        private final Map<String, LoopbackRef<?, ?>> refs = new ConcurrentHashMap<>();
        private final Map<Object, String> implementations = new IdentityHashMap<>();

        /**
         * Hosts an implementation at an address.
         *
         * @param address the address, unique in this registry
         * @param protocol the protocol's definition, such as {@code CounterProtocol.INSTANCE}
         * @param implementation the actor's code
         * @param <P> the protocol type
         * @param <M> the message type
         * @return the ref delivering to the implementation
         */
        public <P, M> LoopbackRef<P, M> host(String address, ProtocolDefinition<P, M> protocol, P implementation) {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(implementation, "implementation");
            LoopbackRef<P, M> ref = new LoopbackRef<>(this, address, protocol, implementation);
            if (refs.putIfAbsent(address, ref) != null) {
                throw new IllegalArgumentException("An actor is already hosted at " + address);
            }
            synchronized (implementations) {
                implementations.putIfAbsent(implementation, address);
            }
            return ref;
        }

        /**
         * @param address an address
         * @return the ref hosted there
         * @throws IllegalArgumentException when nothing is hosted there
         */
        public LoopbackRef<?, ?> at(String address) {
            LoopbackRef<?, ?> ref = refs.get(address);
            if (ref == null) {
                throw new IllegalArgumentException("Nothing is hosted at " + address);
            }
            return ref;
        }

        @Override
        public String addressOf(Object reference) {
            synchronized (implementations) {
                String address = implementations.get(reference);
                if (address == null) {
                    throw new CodecException(reference.getClass().getName() + " is not hosted in this registry");
                }
                return address;
            }
        }

        @Override
        public <P> P resolve(Class<P> protocolType, String address) {
            LoopbackRef<?, ?> ref = refs.get(address);
            if (ref == null) {
                throw new CodecException("No actor is hosted at " + address);
            }
            if (ref.protocol.protocolType() != protocolType) {
                throw new CodecException("The actor at " + address + " hosts " + ref.protocol.name()
                        + ", not " + protocolType.getName());
            }
            return protocolType.cast(ref.proxy());
        }

        @Override
        @SuppressWarnings("unchecked")
        public ActorRef<Object> resolveRef(String address) {
            LoopbackRef<?, ?> ref = refs.get(address);
            if (ref == null) {
                throw new CodecException("No actor is hosted at " + address);
            }
            return (ActorRef<Object>) ref;
        }
    }
}
