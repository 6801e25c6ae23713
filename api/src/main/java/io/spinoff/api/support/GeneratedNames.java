package io.spinoff.api.support;

import java.util.Objects;

/**
 * The one rule that names what the processor generates for a protocol. The processor names the
 * types it writes with it, and a runtime finds them with it: nothing else computes these names, and
 * nothing maps a generated name back to its protocol (a generated message type names its protocol
 * in {@link MessagesOf} instead).
 *
 * <p>For a protocol {@code p.Counter} the generated types are {@code p.CounterMessage},
 * {@code p.CounterRef} and {@code p.CounterProtocol}. The prefix is the protocol's name inside its
 * package, with the {@code $} of a nested type's binary name replaced by {@code _}: for
 * {@code p.Outer.Counter}, binary name {@code p.Outer$Counter}, they are {@code p.Outer_CounterMessage},
 * {@code p.Outer_CounterRef} and {@code p.Outer_CounterProtocol}. The message record of a method is
 * nested in the message type and named after the method with its first letter in upper case:
 * {@code increment} gives {@code CounterMessage.Increment}.
 *
 * <p><b>Threading:</b> stateless; callable from any thread.
 */
public final class GeneratedNames {

    /** The suffix of the sealed message interface: {@code CounterMessage}. */
    public static final String MESSAGE_SUFFIX = "Message";

    /** The suffix of the typed proxy: {@code CounterRef}. */
    public static final String REF_SUFFIX = "Ref";

    /** The suffix of the protocol definition: {@code CounterProtocol}. */
    public static final String DEFINITION_SUFFIX = "Protocol";

    private GeneratedNames() {}

    /**
     * @param protocol the protocol's binary name, as {@link Class#getName()} gives it
     * @return the binary name of its sealed message interface: {@code p.CounterMessage}
     */
    public static String messageType(String protocol) {
        return generated(protocol, MESSAGE_SUFFIX);
    }

    /**
     * @param protocol the protocol's binary name, as {@link Class#getName()} gives it
     * @return the binary name of its typed proxy: {@code p.CounterRef}
     */
    public static String refType(String protocol) {
        return generated(protocol, REF_SUFFIX);
    }

    /**
     * @param protocol the protocol's binary name, as {@link Class#getName()} gives it
     * @return the binary name of its definition: {@code p.CounterProtocol}
     */
    public static String definitionType(String protocol) {
        return generated(protocol, DEFINITION_SUFFIX);
    }

    /**
     * @param methodName the name of a protocol method: {@code increment}
     * @return the simple name of its message record: {@code Increment}
     */
    public static String recordName(String methodName) {
        if (methodName.isEmpty()) {
            throw new IllegalArgumentException("A method name is never empty");
        }
        return Character.toUpperCase(methodName.charAt(0)) + methodName.substring(1);
    }

    /**
     * @param binaryName a binary name: {@code p.Outer_CounterRef}
     * @return its package, empty for the unnamed package: {@code p}
     */
    public static String packageOf(String binaryName) {
        int dot = binaryName.lastIndexOf('.');
        return dot < 0 ? "" : binaryName.substring(0, dot);
    }

    /**
     * @param binaryName the binary name of a top-level type: {@code p.Outer_CounterRef}
     * @return its simple name: {@code Outer_CounterRef}
     */
    public static String simpleNameOf(String binaryName) {
        return binaryName.substring(binaryName.lastIndexOf('.') + 1);
    }

    private static String generated(String protocol, String suffix) {
        Objects.requireNonNull(protocol, "protocol");
        String pkg = packageOf(protocol);
        String inPackage = simpleNameOf(protocol).replace('$', '_') + suffix;
        return pkg.isEmpty() ? inPackage : pkg + "." + inPackage;
    }
}
