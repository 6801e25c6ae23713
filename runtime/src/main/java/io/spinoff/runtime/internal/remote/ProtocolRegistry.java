package io.spinoff.runtime.internal.remote;

import io.spinoff.api.support.ProtocolDefinition;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds protocol definitions: for an outgoing message, from its record class; for a HELLO's
 * fingerprints, among those already registered; for a frame to a process (which takes every
 * protocol), from the protocol name in its header. A frame to any other actor is decoded with the
 * protocols that actor implements, never through this registry. Not API.
 *
 * <p>A name from the wire is used only to find a protocol interface: the name must be a well-formed
 * binary name, the class is loaded without being initialised, and {@link ProtocolDefinition#of}
 * accepts it only when it is an {@code @ActorProtocol} interface with generated code. Nothing else
 * on the wire names a class.
 *
 * <p><b>Threading:</b> thread-safe; the caches are concurrent maps and definitions are immutable.
 */
final class ProtocolRegistry {

    private static final int MAX_NAME_LENGTH = 512;

    private final ConcurrentHashMap<String, ProtocolDefinition<?, ?>> byName = new ConcurrentHashMap<>();
    private final ClassValue<ProtocolDefinition<?, ?>> byMessageClass = new ClassValue<>() {
        @Override
        protected ProtocolDefinition<?, ?> computeValue(Class<?> type) {
            return findForMessageClass(type);
        }
    };
    private final ConcurrentHashMap<Class<?>, ProtocolDefinition<?, ?>> byMessageType = new ConcurrentHashMap<>();
    private final ClassLoader loader;

    ProtocolRegistry(ClassLoader loader) {
        this.loader = loader;
    }

    /** @param definition a definition seen by lookup or decoding, so its messages can be sent */
    void register(ProtocolDefinition<?, ?> definition) {
        if (byMessageType.putIfAbsent(definition.messageType(), definition) == null) {
            byName.putIfAbsent(definition.name(), definition);
        }
    }

    /**
     * @param max the most to return
     * @return definitions seen so far (looked up, sent or decoded), for the HELLO's fingerprints
     */
    List<ProtocolDefinition<?, ?>> registered(int max) {
        return byName.values().stream().limit(max).toList();
    }

    /**
     * @param message an outgoing message
     * @return its protocol's definition, or null when it is not a generated message
     */
    ProtocolDefinition<?, ?> forMessage(Object message) {
        return byMessageClass.get(message.getClass());
    }

    private ProtocolDefinition<?, ?> findForMessageClass(Class<?> type) {
        for (Class<?> implemented : type.getInterfaces()) {
            ProtocolDefinition<?, ?> known = byMessageType.get(implemented);
            if (known != null) {
                return known;
            }
        }
        // The generated message interface names its protocol (@MessagesOf); no name is taken apart.
        ProtocolDefinition<?, ?> found;
        try {
            found = ProtocolDefinition.ofMessage(type);
        } catch (IllegalArgumentException e) {
            return null;
        }
        if (found != null) {
            register(found);
        }
        return found;
    }

    /**
     * @param name a protocol name from the wire (untrusted)
     * @return its definition when this node has already registered it, else null; loads nothing
     */
    ProtocolDefinition<?, ?> known(String name) {
        return byName.get(name);
    }

    /**
     * Finds a protocol by name, loading its interface when it is not registered yet. Used only for
     * a frame to a {@link io.spinoff.runtime.Process}, which takes every protocol.
     *
     * @param name a protocol name from the wire (untrusted)
     * @return its definition, or null when no protocol of that name can be loaded
     */
    ProtocolDefinition<?, ?> forName(String name) {
        ProtocolDefinition<?, ?> known = byName.get(name);
        if (known != null) {
            return known;
        }
        ProtocolDefinition<?, ?> found = byNameOrNull(name, loader);
        if (found != null) {
            register(found);
        }
        return found;
    }

    private static ProtocolDefinition<?, ?> byNameOrNull(String name, ClassLoader loader) {
        if (!wellFormedBinaryName(name)) {
            return null;
        }
        try {
            Class<?> type = Class.forName(name, false, loader);
            if (!type.isInterface() || !type.isAnnotationPresent(io.spinoff.api.ActorProtocol.class)) {
                return null;
            }
            return ProtocolDefinition.of(type);
        } catch (ClassNotFoundException | LinkageError | IllegalArgumentException e) {
            return null;
        }
    }

    private static boolean wellFormedBinaryName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.startsWith(".") || name.endsWith(".")
                || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(Character.isJavaIdentifierPart(c) || c == '.' || c == '$') || Character.isIdentifierIgnorable(c)) {
                return false;
            }
        }
        return true;
    }
}
