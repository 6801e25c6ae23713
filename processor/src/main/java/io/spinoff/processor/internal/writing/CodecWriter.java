package io.spinoff.processor.internal.writing;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import io.spinoff.processor.internal.model.ProtocolModel;
import io.spinoff.processor.internal.model.RecordShape;
import io.spinoff.processor.internal.model.WireType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes the codec code of one protocol's definition. A value of a primitive type is written and
 * read directly ({@code out.writeInt(m.by())}); any other value goes through a
 * {@code io.spinoff.api.support.WireCodec}: a constant of {@code WireCodec} for the scalar types
 * ({@code WireCodec.STRING}), and for composite types a private constant of the definition, built
 * once from the codecs of its parts ({@code LIST_OF_POINT = WireCodec.listOf(POINT)}). A record's
 * codec is built from two generated methods, one that writes its components and one that reads
 * them into one local each. Constants and methods are created on first use, each after the
 * constants it is built from, so the output depends only on the order the definition writer asks.
 */
final class CodecWriter {

    static final ClassName WIRE_WRITER = ClassName.get("io.spinoff.api.support", "WireWriter");
    static final ClassName WIRE_READER = ClassName.get("io.spinoff.api.support", "WireReader");
    static final ClassName WIRE_CODEC = ClassName.get("io.spinoff.api.support", "WireCodec");

    private final ProtocolModel model;
    private final ClassName self;
    private final NameAllocator names;
    private final Map<WireType, String> constants = new LinkedHashMap<>();
    private final List<FieldSpec> fields = new ArrayList<>();
    private final List<MethodSpec> methods = new ArrayList<>();

    /**
     * @param model the protocol
     * @param self the definition class, which holds the constants and methods
     * @param names the names of the definition's members, given out so far
     */
    CodecWriter(ProtocolModel model, ClassName self, NameAllocator names) {
        this.model = model;
        this.self = self;
        this.names = names;
    }

    /** @return the codec constants created so far, each after those it is built from */
    List<FieldSpec> fields() {
        return fields;
    }

    /** @return the methods that write and read the components of records, in creation order */
    List<MethodSpec> methods() {
        return methods;
    }

    /**
     * @param type a wire type
     * @param value an expression of that type
     * @return a statement writing the value, with its presence byte when the type is nullable
     */
    CodeBlock write(WireType type, CodeBlock value) {
        if (type instanceof WireType.Primitive p) {
            return CodeBlock.of("out.write$L($L);\n", p.kind().wireSuffix(), value);
        }
        return CodeBlock.of("$L.write(out, $L);\n", codec(type), value);
    }

    /**
     * @param type a wire type
     * @return an expression reading a value of that type, presence byte included
     */
    CodeBlock read(WireType type) {
        if (type instanceof WireType.Primitive p) {
            return CodeBlock.of("in.read$L()", p.kind().wireSuffix());
        }
        return CodeBlock.of("$L.read(in)", codec(type));
    }

    /** @return an expression for the codec of a type that is not primitive */
    private CodeBlock codec(WireType type) {
        return switch (type) {
            case WireType.Boxed b -> CodeBlock.of("$T.$N", WIRE_CODEC, DefinitionWriter.constantName(b.kind().boxed().simpleName()));
            case WireType.PrimitiveArray a -> CodeBlock.of("$T.$N", WIRE_CODEC, DefinitionWriter.constantName(a.kind().primitive().toString()) + "_ARRAY");
            case WireType.Scalar s -> CodeBlock.of("$T.$N", WIRE_CODEC, DefinitionWriter.constantName(s.wireSuffix()));
            case WireType.Primitive p -> throw new IllegalStateException("a primitive has no codec: " + p);
            case WireType.Opaque o -> throw new IllegalStateException("local protocols have no codec");
            default -> CodeBlock.of("$N", constant(type));
        };
    }

    /** @return the name of the constant holding the codec of a composite type, created on first use */
    private String constant(WireType type) {
        String existing = constants.get(type);
        if (existing != null) {
            return existing;
        }
        if (type instanceof WireType.RecordType r) {
            // A record's codec refers to its methods, not to other constants: it is declared first,
            // so that a record that contains itself (through a list, say) finds its own constant.
            String writeName = names.newName("write" + rawName(r.type()));
            String readName = names.newName("read" + rawName(r.type()));
            String name = declare(type, CodeBlock.of("$T.record($T::$N, $T::$N)", WIRE_CODEC, self, writeName, self,
                    readName), CodeBlock.of("{@link $T}", raw(r.type())));
            recordMethods(r, writeName, readName);
            return name;
        }
        CodeBlock initializer = switch (type) {
            case WireType.EnumType e -> CodeBlock.of("$T.enumOf($T.values())", WIRE_CODEC, e.type());
            case WireType.ProtocolReference r -> CodeBlock.of("$T.referenceTo($T.class)", WIRE_CODEC, r.protocol());
            case WireType.ActorRefType r -> CodeBlock.of("$T.actorRef()", WIRE_CODEC);
            case WireType.ListType l -> CodeBlock.of("$T.listOf($L)", WIRE_CODEC, codec(l.element()));
            case WireType.SetType s -> CodeBlock.of("$T.setOf($L)", WIRE_CODEC, codec(s.element()));
            case WireType.MapType m -> {
                CodeBlock key = codec(m.key());
                yield CodeBlock.of("$T.mapOf($L, $L)", WIRE_CODEC, key, codec(m.value()));
            }
            case WireType.OptionalType o -> CodeBlock.of("$T.optionalOf($L)", WIRE_CODEC, codec(o.element()));
            default -> throw new IllegalStateException("no codec constant for " + type);
        };
        return declare(type, initializer, CodeBlock.of("{@code $T}", type.typeName()));
    }

    private String declare(WireType type, CodeBlock initializer, CodeBlock javadocType) {
        String name = names.newName(DefinitionWriter.constantName(describe(type)));
        constants.put(type, name);
        fields.add(FieldSpec.builder(ParameterizedTypeName.get(WIRE_CODEC, type.typeName().box()), name,
                        Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The codec of $L.\n", javadocType)
                .initializer(initializer)
                .build());
        return name;
    }

    /** Adds the two methods a record's codec is built from; their names were given out with it. */
    private void recordMethods(WireType.RecordType type, String writeName, String readName) {
        List<RecordShape.Component> components = model.record(type.key()).components();
        MethodSpec.Builder write = MethodSpec.methodBuilder(writeName)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("Writes the components of {@link $T}, in declaration order.\n", raw(type.type()))
                .addParameter(WIRE_WRITER, "out")
                .addParameter(type.typeName(), "value");
        MethodSpec.Builder read = MethodSpec.methodBuilder(readName)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addJavadoc("Reads the components of {@link $T}, in declaration order, and makes it.\n", raw(type.type()))
                .returns(type.typeName())
                .addParameter(WIRE_READER, "in");
        NameAllocator locals = new NameAllocator();
        locals.newName("in", "in");
        CodeBlock.Builder arguments = CodeBlock.builder();
        for (RecordShape.Component component : components) {
            write.addCode(write(component.type(), CodeBlock.of("value.$N()", component.name())));
            String local = locals.newName(component.name());
            read.addStatement("$T $N = $L", component.type().typeName(), local, read(component.type()));
            arguments.add(arguments.isEmpty() ? "$N" : ", $N", local);
        }
        read.addStatement("return new $T($L)", type.typeName(), arguments.build());
        methods.add(write.build());
        methods.add(read.build());
    }

    /** A readable name fragment for a constant: {@code ListOfPoint}, {@code MapOfStringToLong}. */
    private static String describe(WireType type) {
        return switch (type) {
            case WireType.Primitive p -> capitalize(p.kind().primitive().toString());
            case WireType.Boxed b -> b.kind().boxed().simpleName();
            case WireType.PrimitiveArray a -> capitalize(a.kind().primitive().toString()) + "Array";
            case WireType.Scalar s -> s.type().simpleName();
            case WireType.EnumType e -> e.type().simpleName();
            case WireType.ProtocolReference r -> r.protocol().simpleName();
            case WireType.ActorRefType r -> "ActorRef";
            case WireType.RecordType r -> rawName(r.type());
            case WireType.ListType l -> "ListOf" + describe(l.element());
            case WireType.SetType s -> "SetOf" + describe(s.element());
            case WireType.MapType m -> "MapOf" + describe(m.key()) + "To" + describe(m.value());
            case WireType.OptionalType o -> "OptionalOf" + describe(o.element());
            case WireType.Opaque o -> "Value";
        };
    }

    private static TypeName raw(TypeName type) {
        return type instanceof ParameterizedTypeName parameterized ? parameterized.rawType() : type;
    }

    private static String rawName(TypeName type) {
        return raw(type) instanceof ClassName name ? name.simpleName() : "Value";
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
