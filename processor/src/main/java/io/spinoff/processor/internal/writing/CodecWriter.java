package io.spinoff.processor.internal.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.Modifier;

/**
 * Writes the codec code of one protocol's definition: the expressions and statements that write
 * and read each wire type field by field, and the private static helper methods for composite
 * types (records, collections, optionals), one pair per distinct type. Helpers are created on first
 * use, so the output depends only on the order the definition writer asks for them.
 */
final class CodecWriter {

    static final ClassName WIRE_WRITER = ClassName.get("io.spinoff.api.support", "WireWriter");
    static final ClassName WIRE_READER = ClassName.get("io.spinoff.api.support", "WireReader");

    private final ProtocolModel model;
    private final NameAllocator names;
    private final Map<WireType, String> writers = new LinkedHashMap<>();
    private final Map<WireType, String> readers = new LinkedHashMap<>();
    private final Map<TypeName, String> enumConstants = new LinkedHashMap<>();
    private final List<MethodSpec> helpers = new ArrayList<>();
    private final List<FieldSpec> fields = new ArrayList<>();

    CodecWriter(ProtocolModel model, NameAllocator names) {
        this.model = model;
        this.names = names;
    }

    /** @return the helper methods created so far, in creation order */
    List<MethodSpec> helpers() {
        return helpers;
    }

    /** @return the constant fields created so far (enum value tables) */
    List<FieldSpec> fields() {
        return fields;
    }

    /**
     * @param type a wire type
     * @param value an expression of that type (evaluated more than once: keep it side-effect free)
     * @return a statement writing the value, with its presence byte when the type is nullable
     */
    CodeBlock write(WireType type, CodeBlock value) {
        return switch (type) {
            case WireType.Primitive p -> CodeBlock.of("out.write$L($L);\n", p.kind().wireSuffix(), value);
            case WireType.Boxed b -> presence(value, CodeBlock.of("out.write$L($L);\n", b.kind().wireSuffix(), value));
            case WireType.PrimitiveArray a -> presence(value, CodeBlock.of("out.write$LArray($L);\n", a.kind().wireSuffix(), value));
            case WireType.Scalar s -> presence(value, CodeBlock.of("out.write$L($L);\n", s.wireSuffix(), value));
            case WireType.EnumType e -> presence(value, CodeBlock.of("out.writeEnum($L);\n", value));
            case WireType.ProtocolReference r -> presence(value, CodeBlock.of("out.writeReference($L);\n", value));
            case WireType.ActorRefType r -> presence(value, CodeBlock.of("out.writeReference($L);\n", value));
            case WireType.RecordType r -> CodeBlock.of("$N(out, $L);\n", writer(type), value);
            case WireType.ListType l -> CodeBlock.of("$N(out, $L);\n", writer(type), value);
            case WireType.SetType s -> CodeBlock.of("$N(out, $L);\n", writer(type), value);
            case WireType.MapType m -> CodeBlock.of("$N(out, $L);\n", writer(type), value);
            case WireType.OptionalType o -> CodeBlock.of("$N(out, $L);\n", writer(type), value);
            case WireType.Opaque o -> throw new IllegalStateException("local protocols have no codec");
        };
    }

    private static CodeBlock presence(CodeBlock value, CodeBlock write) {
        return CodeBlock.builder().beginControlFlow("if (out.writePresence($L))", value).add(write).endControlFlow().build();
    }

    /**
     * @param type a wire type
     * @return an expression reading a value of that type, presence byte included
     */
    CodeBlock read(WireType type) {
        return switch (type) {
            case WireType.Primitive p -> CodeBlock.of("in.read$L()", p.kind().wireSuffix());
            case WireType.Boxed b -> nullable(CodeBlock.of("$T.valueOf(in.read$L())", b.kind().boxed(), b.kind().wireSuffix()));
            case WireType.PrimitiveArray a -> nullable(CodeBlock.of("in.read$LArray()", a.kind().wireSuffix()));
            case WireType.Scalar s -> nullable(CodeBlock.of("in.read$L()", s.wireSuffix()));
            case WireType.EnumType e -> nullable(CodeBlock.of("in.readEnum($N)", enumConstants(e)));
            case WireType.ProtocolReference r -> nullable(CodeBlock.of("in.readReference($T.class)", r.protocol()));
            default -> CodeBlock.of("$N(in)", reader(type));
        };
    }

    private static CodeBlock nullable(CodeBlock read) {
        return CodeBlock.of("in.readPresence() ? $L : null", read);
    }

    /**
     * @param type a wire type
     * @return the fewest bytes one value of it takes on the wire
     */
    static int minBytes(WireType type) {
        return type instanceof WireType.Primitive p ? p.kind().minBytes() : 1;
    }

    private String enumConstants(WireType.EnumType type) {
        return enumConstants.computeIfAbsent(type.type(), t -> {
            String name = names.newName(DefinitionWriter.constantName(type.type().simpleName()) + "_VALUES");
            fields.add(FieldSpec.builder(ArrayTypeName.of(type.type()), name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("$T.values()", type.type())
                    .build());
            return name;
        });
    }

    private String writer(WireType type) {
        String existing = writers.get(type);
        if (existing != null) {
            return existing;
        }
        String name = names.newName("write" + describe(type));
        writers.put(type, name);
        MethodSpec.Builder method = MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(WIRE_WRITER, "out")
                .addParameter(type.typeName(), "value");
        method.beginControlFlow("if (!out.writePresence(value))").addStatement("return").endControlFlow();
        method.addStatement("out.enter()");
        switch (type) {
            case WireType.RecordType r -> {
                for (RecordShape.Component component : model.record(r.key()).components()) {
                    method.addCode(write(component.type(), CodeBlock.of("value.$N()", component.name())));
                }
            }
            case WireType.ListType l -> {
                method.addStatement("out.writeSize(value.size())");
                method.beginControlFlow("for ($T element : value)", l.element().typeName())
                        .addCode(write(l.element(), CodeBlock.of("element")))
                        .endControlFlow();
            }
            case WireType.SetType s -> {
                method.addStatement("out.writeSize(value.size())");
                method.beginControlFlow("for ($T element : value)", s.element().typeName())
                        .addCode(write(s.element(), CodeBlock.of("element")))
                        .endControlFlow();
            }
            case WireType.MapType m -> {
                method.addStatement("out.writeSize(value.size())");
                method.beginControlFlow("for ($T entry : value.entrySet())",
                                ParameterizedTypeName.get(ClassName.get(Map.Entry.class), m.key().typeName(), m.value().typeName()))
                        .addCode(write(m.key(), CodeBlock.of("entry.getKey()")))
                        .addCode(write(m.value(), CodeBlock.of("entry.getValue()")))
                        .endControlFlow();
            }
            case WireType.OptionalType o -> method.addCode(write(o.element(), CodeBlock.of("value.orElse(null)")));
            default -> throw new IllegalStateException("no writer helper for " + type);
        }
        method.addStatement("out.exit()");
        helpers.add(method.build());
        return name;
    }

    private String reader(WireType type) {
        String existing = readers.get(type);
        if (existing != null) {
            return existing;
        }
        String name = names.newName("read" + describe(type));
        readers.put(type, name);
        MethodSpec.Builder method = MethodSpec.methodBuilder(name)
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(type.typeName())
                .addParameter(WIRE_READER, "in");
        method.beginControlFlow("if (!in.readPresence())").addStatement("return null").endControlFlow();
        switch (type) {
            case WireType.ActorRefType r -> {
                // Only the cast from ActorRef<?> is unchecked; no raw type is involved (ECJ reports a
                // needless "rawtypes" token as a warning).
                method.addAnnotation(AnnotationSpec.builder(SuppressWarnings.class)
                        .addMember("value", "$S", "unchecked").build());
                method.addStatement("return ($T) ($T) in.readActorRef()", type.typeName(),
                        ParameterizedTypeName.get(RefWriter.ACTOR_REF, com.palantir.javapoet.WildcardTypeName.subtypeOf(Object.class)));
            }
            case WireType.RecordType r -> {
                CodeBlock.Builder arguments = CodeBlock.builder();
                List<RecordShape.Component> components = model.record(r.key()).components();
                for (int i = 0; i < components.size(); i++) {
                    arguments.add(i == 0 ? "$L" : ", $L", read(components.get(i).type()));
                }
                method.addStatement("in.enter()")
                        .addStatement("$T result = new $T($L)", type.typeName(), type.typeName(), arguments.build())
                        .addStatement("in.exit()")
                        .addStatement("return result");
            }
            case WireType.ListType l -> collection(method, type, CodeBlock.of("new $T<>(size)", ArrayList.class),
                    CodeBlock.of("result.add($L)", read(l.element())), minBytes(l.element()));
            case WireType.SetType s -> collection(method, type, CodeBlock.of("$T.newLinkedHashSet(size)", LinkedHashSet.class),
                    CodeBlock.of("result.add($L)", read(s.element())), minBytes(s.element()));
            case WireType.MapType m -> collection(method, type, CodeBlock.of("$T.newLinkedHashMap(size)", LinkedHashMap.class),
                    CodeBlock.of("result.put($L, $L)", read(m.key()), read(m.value())), minBytes(m.key()) + minBytes(m.value()));
            case WireType.OptionalType o -> method.addStatement("in.enter()")
                    .addStatement("$T result = $T.ofNullable($L)", type.typeName(), Optional.class, read(o.element()))
                    .addStatement("in.exit()")
                    .addStatement("return result");
            default -> throw new IllegalStateException("no reader helper for " + type);
        }
        helpers.add(method.build());
        return name;
    }

    private static void collection(MethodSpec.Builder method, WireType type, CodeBlock create, CodeBlock add, int minBytes) {
        method.addStatement("int size = in.readSize($L)", minBytes)
                .addStatement("in.enter()")
                .addStatement("$T result = $L", type.typeName(), create)
                .beginControlFlow("for (int i = 0; i < size; i++)")
                .addStatement(add)
                .endControlFlow()
                .addStatement("in.exit()")
                .addStatement("return result");
    }

    /** A readable name fragment for a helper: {@code ListOfPoint}, {@code MapOfStringToLong}. */
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

    private static String rawName(TypeName type) {
        if (type instanceof ParameterizedTypeName parameterized) {
            return parameterized.rawType().simpleName();
        }
        return type instanceof ClassName name ? name.simpleName() : "Value";
    }

    private static String capitalize(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
