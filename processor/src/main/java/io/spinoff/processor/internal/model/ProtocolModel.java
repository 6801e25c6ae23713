package io.spinoff.processor.internal.model;

import com.palantir.javapoet.ClassName;
import java.util.List;

/**
 * Everything the writers need to generate the sources of one protocol. Immutable, and free of
 * {@code javax.lang.model} types: it can be built and inspected without a compiler.
 *
 * @param protocol the protocol interface
 * @param binaryName its binary name ({@code p.Outer$Counter}): the protocol's name at run time
 * @param publicType whether the generated types are public (as the protocol is)
 * @param local whether the protocol is {@code @ActorProtocol(local = true)}
 * @param fingerprint the stable 64-bit fingerprint of its signatures
 * @param methods its methods, ordered by name
 * @param records the records its codec writes, in first-use order
 */
public record ProtocolModel(
        ClassName protocol,
        String binaryName,
        boolean publicType,
        boolean local,
        long fingerprint,
        List<MethodModel> methods,
        List<RecordShape> records) {

    /** Copies the lists. */
    public ProtocolModel {
        methods = List.copyOf(methods);
        records = List.copyOf(records);
    }

    /** @return the simple name of the protocol: {@code Counter} */
    public String simpleName() {
        return protocol.simpleName();
    }

    /** @return the prefix of generated names: {@code Counter}, or {@code Outer_Counter} when nested */
    public String generatedPrefix() {
        return String.join("_", protocol.simpleNames());
    }

    /** @return {@code CounterMessage} */
    public ClassName messageType() {
        return ClassName.get(protocol.packageName(), generatedPrefix() + "Message");
    }

    /** @return {@code CounterRef} */
    public ClassName refType() {
        return ClassName.get(protocol.packageName(), generatedPrefix() + "Ref");
    }

    /** @return {@code CounterProtocol} */
    public ClassName definitionType() {
        return ClassName.get(protocol.packageName(), generatedPrefix() + "Protocol");
    }

    /**
     * @param method a method of this protocol
     * @return its message record: {@code CounterMessage.Increment}
     */
    public ClassName recordType(MethodModel method) {
        return messageType().nestedClass(method.recordName());
    }

    /**
     * @param key a record's key
     * @return its shape
     */
    public RecordShape record(String key) {
        for (RecordShape shape : records) {
            if (shape.key().equals(key)) {
                return shape;
            }
        }
        throw new IllegalArgumentException("No record " + key + " in " + binaryName);
    }
}
