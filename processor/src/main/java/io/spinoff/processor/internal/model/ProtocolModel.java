package io.spinoff.processor.internal.model;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.WildcardTypeName;
import io.spinoff.api.support.GeneratedNames;
import java.util.ArrayList;
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
 * @param memberTypeNames the simple names of the member types the protocol declares or inherits from
 *     its super-interfaces, sorted: inside a generated type that implements the protocol (the proxy)
 *     they hide every other type of the same simple name
 */
public record ProtocolModel(
        ClassName protocol,
        String binaryName,
        boolean publicType,
        boolean local,
        long fingerprint,
        List<MethodModel> methods,
        List<RecordShape> records,
        List<String> memberTypeNames) {

    /** Copies the lists. */
    public ProtocolModel {
        methods = List.copyOf(methods);
        records = List.copyOf(records);
        memberTypeNames = List.copyOf(memberTypeNames);
    }

    /**
     * Says whether a type, or a type inside it, is one that a member type of the protocol hides
     * inside the proxy and that JavaPoet would still write by its simple name: a type of the
     * protocol's own package (JavaPoet never qualifies those) whose top-level simple name is one of
     * {@link #memberTypeNames}. Types of other packages need no such care: JavaPoet writes them
     * qualified when the proxy's builder is told to {@code alwaysQualify} the member type names.
     *
     * @param type a type the proxy names
     * @return whether the proxy must write it fully qualified
     */
    public boolean hiddenInProxy(TypeName type) {
        return classNamesIn(type).stream().anyMatch(this::hiddenInProxy);
    }

    private boolean hiddenInProxy(ClassName name) {
        return name.packageName().equals(protocol.packageName())
                && memberTypeNames.contains(name.topLevelClassName().simpleName());
    }

    /**
     * @param type a type the proxy names
     * @return the simple names of the top-level classes of the types inside {@code type} that
     *     {@link #hiddenInProxy(TypeName)} is about, sorted
     */
    public List<String> hiddenNamesIn(TypeName type) {
        return hiddenNamesIn(protocol.packageName(), memberTypeNames, type);
    }

    /**
     * @param packageName the protocol's package
     * @param memberTypeNames the simple names of the protocol's member types
     * @param type a type the proxy names
     * @return as {@link #hiddenNamesIn(TypeName)}, for a protocol whose model is not built
     */
    public static List<String> hiddenNamesIn(String packageName, List<String> memberTypeNames, TypeName type) {
        return classNamesIn(type).stream()
                .filter(name -> name.packageName().equals(packageName)
                        && memberTypeNames.contains(name.topLevelClassName().simpleName()))
                .map(name -> name.topLevelClassName().simpleName()).distinct().sorted().toList();
    }

    /** @return the classes a type is made of: itself, its type arguments, bounds and components */
    private static List<ClassName> classNamesIn(TypeName type) {
        List<ClassName> names = new ArrayList<>();
        collectClassNames(type, names);
        return names;
    }

    private static void collectClassNames(TypeName type, List<ClassName> names) {
        switch (type) {
            case ClassName name -> names.add(name);
            case ParameterizedTypeName parameterized -> {
                if (parameterized.enclosingType() != null) {
                    collectClassNames(parameterized.enclosingType(), names);
                }
                names.add(parameterized.rawType());
                parameterized.typeArguments().forEach(argument -> collectClassNames(argument, names));
            }
            case WildcardTypeName wildcard -> {
                wildcard.upperBounds().forEach(bound -> collectClassNames(bound, names));
                wildcard.lowerBounds().forEach(bound -> collectClassNames(bound, names));
            }
            case ArrayTypeName array -> collectClassNames(array.componentType(), names);
            default -> {
                // primitives and type variables name no class
            }
        }
    }

    /** @return the simple name of the protocol: {@code Counter} */
    public String simpleName() {
        return protocol.simpleName();
    }

    /** @return {@code CounterMessage} */
    public ClassName messageType() {
        return generated(GeneratedNames.messageType(binaryName));
    }

    /** @return {@code CounterRef} */
    public ClassName refType() {
        return generated(GeneratedNames.refType(binaryName));
    }

    /** @return {@code CounterProtocol} */
    public ClassName definitionType() {
        return generated(GeneratedNames.definitionType(binaryName));
    }

    private static ClassName generated(String binaryName) {
        return ClassName.get(GeneratedNames.packageOf(binaryName), GeneratedNames.simpleNameOf(binaryName));
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
