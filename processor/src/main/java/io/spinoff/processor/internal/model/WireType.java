package io.spinoff.processor.internal.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import java.util.List;

/**
 * How a parameter or result type crosses the wire. Immutable; holds JavaPoet names, never
 * {@code javax.lang.model} types.
 */
public sealed interface WireType {

    /** @return the Java type, for declarations in generated code */
    TypeName typeName();

    /** @return whether a value of the type may be null and is preceded by a presence byte */
    default boolean nullable() {
        return true;
    }

    /**
     * @return the signature used in the protocol's fingerprint: a canonical text that changes
     *     whenever the bytes on the wire change
     */
    String signature();

    /** A primitive, written directly. */
    record Primitive(PrimitiveKind kind) implements WireType {
        @Override
        public TypeName typeName() {
            return kind.primitive();
        }

        @Override
        public boolean nullable() {
            return false;
        }

        @Override
        public String signature() {
            return kind.primitive().toString();
        }
    }

    /** A box of a primitive. */
    record Boxed(PrimitiveKind kind) implements WireType {
        @Override
        public TypeName typeName() {
            return kind.boxed();
        }

        @Override
        public String signature() {
            return kind.boxed().simpleName();
        }
    }

    /** An array of a primitive, {@code byte[]} included. */
    record PrimitiveArray(PrimitiveKind kind) implements WireType {
        @Override
        public TypeName typeName() {
            return com.palantir.javapoet.ArrayTypeName.of(kind.primitive());
        }

        @Override
        public String signature() {
            return kind.primitive() + "[]";
        }
    }

    /** A value type with a dedicated wire method: String, UUID, Instant, Duration, BigInteger, BigDecimal. */
    record Scalar(ClassName type, String wireSuffix) implements WireType {
        @Override
        public TypeName typeName() {
            return type;
        }

        @Override
        public String signature() {
            return type.simpleName();
        }
    }

    /** An enum, written as its ordinal; the fingerprint covers its constants' names. */
    record EnumType(ClassName type, List<String> constants) implements WireType {
        /** Copies the constants. */
        public EnumType {
            constants = List.copyOf(constants);
        }

        @Override
        public TypeName typeName() {
            return type;
        }

        @Override
        public String signature() {
            return "enum " + type.canonicalName() + String.join(",", constants).transform(s -> "{" + s + "}");
        }
    }

    /**
     * A record, written component by component. Its components are in the protocol model's record
     * table under {@code key}, which lets records refer to themselves.
     */
    record RecordType(TypeName type, String key) implements WireType {
        @Override
        public TypeName typeName() {
            return type;
        }

        @Override
        public String signature() {
            return "record " + key;
        }
    }

    /** A {@code List}. */
    record ListType(TypeName type, WireType element) implements WireType {
        @Override
        public TypeName typeName() {
            return type;
        }

        @Override
        public String signature() {
            return "List<" + element.signature() + ">";
        }
    }

    /** A {@code Set}. */
    record SetType(TypeName type, WireType element) implements WireType {
        @Override
        public TypeName typeName() {
            return type;
        }

        @Override
        public String signature() {
            return "Set<" + element.signature() + ">";
        }
    }

    /** A {@code Map}. */
    record MapType(TypeName type, WireType key, WireType value) implements WireType {
        @Override
        public TypeName typeName() {
            return type;
        }

        @Override
        public String signature() {
            return "Map<" + key.signature() + "," + value.signature() + ">";
        }
    }

    /** An {@code Optional}. */
    record OptionalType(TypeName type, WireType element) implements WireType {
        @Override
        public TypeName typeName() {
            return type;
        }

        @Override
        public String signature() {
            return "Optional<" + element.signature() + ">";
        }
    }

    /** Another {@code @ActorProtocol} interface, sent as the actor's address. */
    record ProtocolReference(ClassName protocol) implements WireType {
        @Override
        public TypeName typeName() {
            return protocol;
        }

        @Override
        public String signature() {
            return "protocol " + protocol.canonicalName();
        }
    }

    /** An {@code ActorRef<M>}, sent as the actor's address. */
    record ActorRefType(TypeName type) implements WireType {
        @Override
        public TypeName typeName() {
            return type;
        }

        @Override
        public String signature() {
            return "ActorRef";
        }
    }

    /** Any type, in a local protocol: never encoded. */
    record Opaque(TypeName type) implements WireType {
        @Override
        public TypeName typeName() {
            return type;
        }

        @Override
        public boolean nullable() {
            return !type.isPrimitive();
        }

        @Override
        public String signature() {
            return type.toString();
        }
    }
}
