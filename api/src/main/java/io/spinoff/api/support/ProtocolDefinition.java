package io.spinoff.api.support;

import io.spinoff.api.ActorProtocol;
import io.spinoff.api.ActorRef;
import io.spinoff.api.CodecException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Everything a runtime needs to host actors of one protocol: its name and fingerprint, its
 * methods, the dispatch table, the binary codec and the proxy factory. The processor generates one
 * final subclass per protocol ({@code CounterProtocol} for {@code Counter}), with a single instance
 * in its {@code INSTANCE} field; {@link #of(Class)} finds it from the protocol interface.
 *
 * <p><b>Threading:</b> instances are immutable and stateless; every method may be called from any
 * thread at any time. {@link #dispatch} runs the actor's code on the calling thread: the runtime
 * calls it on the actor's own turn, one message at a time.
 *
 * @param <P> the protocol interface
 * @param <M> the sealed message type generated for it
 */
public abstract class ProtocolDefinition<P, M> {

    private static final ClassValue<ProtocolDefinition<?, ?>> DEFINITIONS = new ClassValue<>() {
        @Override
        protected ProtocolDefinition<?, ?> computeValue(Class<?> type) {
            return load(type);
        }
    };

    /** The definition of each generated message class, found once. */
    private static final ClassValue<Optional<ProtocolDefinition<?, ?>>> MESSAGE_DEFINITIONS = new ClassValue<>() {
        @Override
        protected Optional<ProtocolDefinition<?, ?>> computeValue(Class<?> type) {
            for (Class<?> implemented : type.getInterfaces()) {
                MessagesOf messagesOf = implemented.getAnnotation(MessagesOf.class);
                if (messagesOf != null) {
                    ProtocolDefinition<?, ?> definition = of(messagesOf.value());
                    if (definition.messageType() == implemented) {
                        return Optional.of(definition);
                    }
                }
            }
            return Optional.empty();
        }
    };

    /**
     * The first instance of each definition class, recorded by the constructor below: the one the
     * generated class's static initializer makes for its {@code INSTANCE} field. {@code load} reads
     * it here once it has initialized the class, so it needs no access to that class, which may be
     * package-private, in a package its module neither exports nor opens. A class initializer
     * finishes before any other thread can use the class (JLS 12.4.2), so the instance read after
     * {@code Class.forName(..., true, ...)} returns is fully constructed.
     */
    private static final ClassValue<AtomicReference<ProtocolDefinition<?, ?>>> FIRST_INSTANCE = new ClassValue<>() {
        @Override
        protected AtomicReference<ProtocolDefinition<?, ?>> computeValue(Class<?> type) {
            return new AtomicReference<>();
        }
    };

    private final Class<P> protocolType;
    private final Class<M> messageType;
    private final long fingerprint;
    private final boolean local;
    private final List<MethodDescriptor> methods;

    /**
     * @param protocolType the protocol interface
     * @param messageType the sealed message interface
     * @param fingerprint the stable fingerprint of the protocol's signatures
     * @param local whether the protocol is {@code @ActorProtocol(local = true)}
     * @param methods the methods, in index order
     */
    // 'this' escapes only into FIRST_INSTANCE, which load() reads once the subclass's static
    // initializer (and so this constructor) has completed.
    @SuppressWarnings("this-escape")
    protected ProtocolDefinition(
            Class<P> protocolType,
            Class<M> messageType,
            long fingerprint,
            boolean local,
            List<MethodDescriptor> methods) {
        this.protocolType = Objects.requireNonNull(protocolType, "protocolType");
        this.messageType = Objects.requireNonNull(messageType, "messageType");
        this.fingerprint = fingerprint;
        this.local = local;
        this.methods = List.copyOf(methods);
        for (int i = 0; i < this.methods.size(); i++) {
            if (this.methods.get(i).index() != i) {
                throw new IllegalArgumentException("method " + this.methods.get(i).name() + " has index "
                        + this.methods.get(i).index() + " at position " + i);
            }
        }
        FIRST_INSTANCE.get(getClass()).compareAndSet(null, this);
    }

    /**
     * @param protocolType the protocol interface
     * @param messageType the sealed message interface
     * @param fingerprint the stable fingerprint of the protocol's signatures
     * @param local whether the protocol is {@code @ActorProtocol(local = true)}
     * @param methods the methods, in index order
     */
    protected ProtocolDefinition(
            Class<P> protocolType,
            Class<M> messageType,
            long fingerprint,
            boolean local,
            MethodDescriptor... methods) {
        this(protocolType, messageType, fingerprint, local, List.of(methods));
    }

    /**
     * Finds the generated definition of a protocol interface.
     *
     * @param protocol an interface annotated {@link ActorProtocol}
     * @param <P> the protocol type
     * @return its definition
     * @throws IllegalArgumentException when the type is not an {@code @ActorProtocol} interface or
     *     its generated definition is missing (the processor did not run on it)
     */
    @SuppressWarnings("unchecked")
    public static <P> ProtocolDefinition<P, ?> of(Class<P> protocol) {
        Objects.requireNonNull(protocol, "protocol");
        return (ProtocolDefinition<P, ?>) DEFINITIONS.get(protocol);
    }

    /**
     * Finds the generated definition of a protocol by its {@linkplain #name() name}.
     *
     * @param name the protocol interface's binary name, as {@link Class#getName()} gives it
     * @param loader the class loader to load it with
     * @return its definition
     * @throws IllegalArgumentException when no such protocol can be loaded
     */
    public static ProtocolDefinition<?, ?> forName(String name, ClassLoader loader) {
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException("No protocol interface named " + name
                    + " can be loaded; check the name and that its classes are on the class path.", e);
        }
        return of(type);
    }

    /**
     * Finds the definition of the protocol a generated message belongs to, through the
     * {@link MessagesOf} annotation of the sealed message interface it implements.
     *
     * @param messageClass the class of a message: a generated record such as
     *     {@code CounterMessage.Increment}
     * @return the definition of its protocol, or {@code null} when the class is not a generated message
     */
    public static ProtocolDefinition<?, ?> ofMessage(Class<?> messageClass) {
        Objects.requireNonNull(messageClass, "messageClass");
        return MESSAGE_DEFINITIONS.get(messageClass).orElse(null);
    }

    /**
     * Gives the timeout of the method a message calls: the one source of a method's timeout, which
     * a runtime reads for every ask sent without an explicit timeout.
     *
     * @param message a message
     * @return the timeout {@link io.spinoff.api.AskTimeout} sets on its method; empty when the
     *     system's default applies, or when the message is not a generated message
     */
    @SuppressWarnings("unchecked")
    public static Optional<Duration> askTimeoutOf(Object message) {
        ProtocolDefinition<?, ?> definition = ofMessage(message.getClass());
        if (definition == null) {
            return Optional.empty();
        }
        return ((ProtocolDefinition<?, Object>) definition).method(message).askTimeout();
    }

    private static ProtocolDefinition<?, ?> load(Class<?> type) {
        if (!type.isInterface() || !type.isAnnotationPresent(ActorProtocol.class)) {
            throw new IllegalArgumentException(type.getName() + " is not an @ActorProtocol interface;"
                    + " annotate the interface with @io.spinoff.api.ActorProtocol.");
        }
        String generated = GeneratedNames.definitionType(type.getName());
        Class<?> definitionClass;
        try {
            // Initializing the generated class runs its static initializer, whose INSTANCE the
            // constructor records in FIRST_INSTANCE: no reflective access to the class, which has
            // the protocol's visibility and lives in the protocol's module.
            definitionClass = Class.forName(generated, true, type.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("No generated protocol class " + generated + " for "
                    + type.getName() + "; put io.spinoff:spinoff-processor on the compiler's"
                    + " annotationProcessorPaths and rebuild.", e);
        }
        ProtocolDefinition<?, ?> definition = ProtocolDefinition.class.isAssignableFrom(definitionClass)
                ? FIRST_INSTANCE.get(definitionClass).get()
                : null;
        if (definition == null) {
            throw new IllegalArgumentException(generated + " is not a generated protocol definition (it makes no"
                    + " ProtocolDefinition instance when initialized); rebuild so the generated sources match.");
        }
        if (definition.protocolType() != type) {
            throw new IllegalArgumentException(generated + " defines " + definition.name()
                    + ", not " + type.getName() + "; rebuild so the generated sources match.");
        }
        return definition;
    }

    /** @return the protocol interface */
    public final Class<P> protocolType() {
        return protocolType;
    }

    /** @return the sealed message interface generated for the protocol */
    public final Class<M> messageType() {
        return messageType;
    }

    /** @return the protocol's name: the binary name of its interface */
    public final String name() {
        return protocolType.getName();
    }

    /**
     * @return a stable 64-bit fingerprint of the protocol's method names, parameter types, result
     *     types and the shapes of the records and enums they use; two builds of the same protocol
     *     agree on it, and any change to what crosses the wire changes it
     */
    public final long fingerprint() {
        return fingerprint;
    }

    /** @return whether the protocol is local: it has no codec and never leaves its JVM */
    public final boolean local() {
        return local;
    }

    /** @return the protocol's methods, in index order */
    public final List<MethodDescriptor> methods() {
        return methods;
    }

    /**
     * @param message a message of this protocol
     * @return the method the message calls
     */
    public abstract MethodDescriptor method(M message);

    /**
     * Calls the method a message stands for on an implementation of the protocol.
     *
     * @param target the implementation (the actor)
     * @param message the message
     * @return {@code null} for a tell; for an ask, the stage the implementation returned (which may
     *     itself be {@code null} when the implementation misbehaves: the runtime reports that)
     * @throws RuntimeException or {@link Error} whatever the implementation throws, unchanged
     */
    public abstract CompletionStage<?> dispatch(P target, M message);

    /**
     * Makes a typed proxy that sends every call through a reference.
     *
     * @param ref the reference
     * @return a proxy implementing the protocol interface
     */
    public abstract P proxy(ActorRef<? super M> ref);

    /**
     * Writes a message: its method index, then its arguments field by field.
     *
     * @param message the message
     * @param out where to write
     * @throws io.spinoff.api.CodecException when an argument cannot be encoded, or the protocol is
     *     local
     */
    public final void encode(M message, WireWriter out) {
        refuseIfLocal("messages");
        encodeMessage(message, out);
    }

    /**
     * Reads a message written by {@link #encode}. The input is untrusted.
     *
     * @param in the bytes of exactly one message
     * @return the message
     * @throws io.spinoff.api.CodecException on any malformed input, and nothing else
     */
    public final M decode(WireReader in) {
        refuseIfLocal("messages");
        try {
            int methodIndex = in.readVarint();
            if (methodIndex >= methods.size()) {
                throw new CodecException("Unknown method index " + methodIndex + " for protocol " + name()
                        + ", which has " + methods.size() + " methods");
            }
            M message = decodeMessage(methodIndex, in);
            in.expectEnd();
            return message;
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("Malformed " + name() + " message: " + e, e);
        }
    }

    /**
     * Writes the reply of an ask method.
     *
     * @param methodIndex the ask method's index
     * @param reply the reply value (may be {@code null})
     * @param out where to write
     * @throws io.spinoff.api.CodecException when the index is not that of an ask method, the reply
     *     cannot be encoded, or the protocol is local
     */
    public final void encodeReply(int methodIndex, Object reply, WireWriter out) {
        refuseIfLocal("replies");
        requireAsk(methodIndex);
        encodeReplyValue(methodIndex, reply, out);
    }

    /**
     * Reads a reply written by {@link #encodeReply}. The input is untrusted.
     *
     * @param methodIndex the ask method's index
     * @param in the bytes of exactly one reply
     * @return the reply value
     * @throws io.spinoff.api.CodecException on any malformed input, and nothing else
     */
    public final Object decodeReply(int methodIndex, WireReader in) {
        refuseIfLocal("replies");
        requireAsk(methodIndex);
        try {
            Object reply = decodeReplyValue(methodIndex, in);
            in.expectEnd();
            return reply;
        } catch (CodecException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new CodecException("Malformed " + name() + " reply: " + e, e);
        }
    }

    /**
     * Writes a message of a protocol that is not local: its method index, then its arguments.
     * Generated; called only by {@link #encode}.
     *
     * @param message the message
     * @param out where to write
     */
    protected void encodeMessage(M message, WireWriter out) {
        throw new IllegalStateException(name() + " has no codec");
    }

    /**
     * Reads the arguments of a message, after its method index. Generated; called only by
     * {@link #decode}, which reads the index, checks that it is one of a method, checks that
     * nothing follows the message, and turns any failure into a {@code CodecException}.
     *
     * @param methodIndex the index of a method of this protocol
     * @param in where to read
     * @return the message
     */
    protected M decodeMessage(int methodIndex, WireReader in) {
        throw new IllegalStateException(name() + " has no codec");
    }

    /**
     * Writes the reply value of an ask method. Generated; called only by {@link #encodeReply},
     * which checks that the index is one of an ask method. A reply without a value
     * ({@code CompletionStage<Void>}) writes nothing, which this default does.
     *
     * @param methodIndex the index of an ask method of this protocol
     * @param reply the reply value (may be {@code null})
     * @param out where to write
     */
    protected void encodeReplyValue(int methodIndex, Object reply, WireWriter out) {
        // Only asks without a value reach this default: their reply has no bytes.
    }

    /**
     * Reads the reply value of an ask method. Generated; called only by {@link #decodeReply}, which
     * checks the index, checks that nothing follows the reply, and turns any failure into a
     * {@code CodecException}. A reply without a value ({@code CompletionStage<Void>}) is
     * {@code null} and reads nothing, which this default does.
     *
     * @param methodIndex the index of an ask method of this protocol
     * @param in where to read
     * @return the reply value
     */
    protected Object decodeReplyValue(int methodIndex, WireReader in) {
        // Only asks without a value reach this default: their reply has no bytes and is null.
        return null;
    }

    /**
     * @param methodIndex a method index that no case of a generated {@code switch} matches
     * @return the exception to throw: the index is not one of a method of this protocol
     */
    protected final CodecException unknownMethod(int methodIndex) {
        return new CodecException("Unknown method index " + methodIndex + " for protocol " + name()
                + ", which has " + methods.size() + " methods");
    }

    private void requireAsk(int methodIndex) {
        if (methodIndex < 0 || methodIndex >= methods.size() || !methods.get(methodIndex).ask()) {
            throw new CodecException("Method index " + methodIndex + " is not an ask method of " + name()
                    + (methods.stream().anyMatch(MethodDescriptor::ask) ? "" : ", which has no ask methods"));
        }
    }

    private void refuseIfLocal(String what) {
        if (local) {
            throw new CodecException(name() + " is a local protocol (@ActorProtocol(local = true)), so its " + what
                    + " cannot cross the wire; send it only to actors of this JVM, or remove local = true and use"
                    + " transportable types.");
        }
    }

    @Override
    public String toString() {
        return "ProtocolDefinition[" + name() + ", fingerprint=" + Long.toHexString(fingerprint) + "]";
    }
}
