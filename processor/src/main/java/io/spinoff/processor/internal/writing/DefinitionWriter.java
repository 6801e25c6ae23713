package io.spinoff.processor.internal.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import io.spinoff.processor.internal.model.MethodModel;
import io.spinoff.processor.internal.model.ParameterModel;
import io.spinoff.processor.internal.model.ProtocolModel;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code CounterProtocol}: the protocol's definition, with its method descriptors, its
 * dispatch table (a {@code switch} over the sealed message type), its binary codec and its proxy
 * factory. The runtime finds its single instance through {@code ProtocolDefinition.of(Counter.class)}.
 */
public final class DefinitionWriter extends SourceWriter {

    private static final ClassName PROTOCOL_DEFINITION = ClassName.get("io.spinoff.api.support", "ProtocolDefinition");
    private static final ClassName METHOD_DESCRIPTOR = ClassName.get("io.spinoff.api.support", "MethodDescriptor");
    private static final ClassName CODEC_EXCEPTION = ClassName.get("io.spinoff.api", "CodecException");

    /** Names of {@code ProtocolDefinition} members, which generated members must not reuse. */
    private static final List<String> RESERVED = List.of("INSTANCE", "method", "dispatch", "proxy", "encode",
            "decode", "encodeReply", "decodeReply", "of", "forName", "generatedName", "protocolType",
            "messageType", "name", "fingerprint", "local", "methods");

    /**
     * @param name a method or type name in camelCase
     * @return the name in UPPER_SNAKE_CASE, as a constant: {@code getCount} gives {@code GET_COUNT}
     */
    static String constantName(String name) {
        StringBuilder constant = new StringBuilder();
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(name.charAt(i - 1))) {
                constant.append('_');
            }
            constant.append(Character.toUpperCase(c));
        }
        return constant.toString();
    }

    @Override
    protected TypeSpec.Builder type(ProtocolModel model) {
        NameAllocator names = new NameAllocator();
        RESERVED.forEach(reserved -> names.newName(reserved, reserved));
        ClassName self = model.definitionType();
        TypeSpec.Builder type = TypeSpec.classBuilder(self)
                .addModifiers(visibility(model))
                .addModifiers(Modifier.FINAL)
                .superclass(ParameterizedTypeName.get(PROTOCOL_DEFINITION, model.protocol(), model.messageType()))
                .addJavadoc("The definition of {@link $T}: its method descriptors, dispatch table, binary codec and"
                        + " proxy factory.\n\n<p>Stateless and thread-safe. A runtime finds the single {@link #INSTANCE}"
                        + " through {@code ProtocolDefinition.of($T.class)}.\n", model.protocol(), model.protocol());

        String[] descriptors = new String[model.methods().size()];
        for (MethodModel method : model.methods()) {
            String name = names.newName(constantName(method.name()));
            descriptors[method.index()] = name;
            CodeBlock timeout = method.askTimeout() == null
                    ? CodeBlock.of("$T.empty()", Optional.class)
                    : CodeBlock.of("$T.of($T.of($LL, $T.$L))", Optional.class, Duration.class,
                            method.askTimeout().amount(), ChronoUnit.class, method.askTimeout().chronoUnit());
            type.addField(FieldSpec.builder(METHOD_DESCRIPTOR, name, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("The descriptor of $L.\n", link(model, method))
                    .initializer("new $T($L, $S, $L, $L)", METHOD_DESCRIPTOR, method.index(), method.name(),
                            method.isAsk(), timeout)
                    .build());
        }
        CodeBlock.Builder descriptorList = CodeBlock.builder();
        for (int i = 0; i < descriptors.length; i++) {
            descriptorList.add(i == 0 ? "$N" : ", $N", descriptors[i]);
        }
        type.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addStatement("super($T.class, $T.class, $L, $L, $T.of($L))", model.protocol(), model.messageType(),
                        String.format(Locale.ROOT, "0x%016XL", model.fingerprint()), model.local(), List.class,
                        descriptorList.build())
                .build());

        type.addMethod(methodOf(model, descriptors));
        type.addMethod(dispatch(model));
        type.addMethod(MethodSpec.methodBuilder("proxy")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("@return a {@link $T} sending through {@code ref}\n", model.refType())
                .returns(model.refType())
                .addParameter(RefWriter.refParameterType(model), "ref")
                .addStatement("return new $T(ref)", model.refType())
                .build());

        CodecWriter codec = new CodecWriter(model, names);
        type.addMethod(encode(model, codec));
        type.addMethod(decode(model, codec));
        type.addMethod(encodeReply(model, codec));
        type.addMethod(decodeReply(model, codec));
        codec.fields().forEach(type::addField);
        // Last of the static fields: its constructor reads the descriptors, initialised above it.
        type.addField(FieldSpec.builder(self, "INSTANCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The only instance.\n")
                .initializer("new $T()", self)
                .build());
        codec.helpers().forEach(type::addMethod);
        return type;
    }

    private MethodSpec methodOf(ProtocolModel model, String[] descriptors) {
        CodeBlock.Builder body = CodeBlock.builder().add("return switch (message) {\n").indent();
        for (MethodModel method : model.methods()) {
            body.add("case $T m -> $N;\n", model.recordType(method), descriptors[method.index()]);
        }
        body.unindent().add("};\n");
        return MethodSpec.methodBuilder("method")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(METHOD_DESCRIPTOR)
                .addParameter(model.messageType(), "message")
                .addCode(body.build())
                .build();
    }

    private MethodSpec dispatch(ProtocolModel model) {
        CodeBlock.Builder body = CodeBlock.builder().add("return switch (message) {\n").indent();
        for (MethodModel method : model.methods()) {
            CodeBlock.Builder arguments = CodeBlock.builder();
            for (int i = 0; i < method.parameters().size(); i++) {
                arguments.add(i == 0 ? "m.$N()" : ", m.$N()", method.parameters().get(i).name());
            }
            if (method.isAsk()) {
                body.add("case $T m -> target.$N($L);\n", model.recordType(method), method.name(), arguments.build());
            } else {
                body.add("case $T m -> {\n", model.recordType(method)).indent()
                        .addStatement("target.$N($L)", method.name(), arguments.build())
                        .addStatement("yield null")
                        .unindent().add("}\n");
            }
        }
        body.unindent().add("};\n");
        return MethodSpec.methodBuilder("dispatch")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(ClassName.get(CompletionStage.class), WildcardTypeName.subtypeOf(Object.class)))
                .addParameter(model.protocol(), "target")
                .addParameter(model.messageType(), "message")
                .addCode(body.build())
                .build();
    }

    private CodeBlock localRefusal(ProtocolModel model, String what) {
        return CodeBlock.of("throw new $T($S);\n", CODEC_EXCEPTION, model.protocol().canonicalName()
                + " is a local protocol (@ActorProtocol(local = true)), so its " + what + " cannot cross the wire;"
                + " send it only to actors of this JVM, or remove local = true and use transportable types.");
    }

    private MethodSpec encode(ProtocolModel model, CodecWriter codec) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("encode")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(model.messageType(), "message")
                .addParameter(CodecWriter.WIRE_WRITER, "out");
        if (model.local()) {
            return method.addCode(localRefusal(model, "messages")).build();
        }
        CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (message)");
        for (MethodModel m : model.methods()) {
            body.add("case $T m -> {\n", model.recordType(m)).indent();
            body.addStatement("out.writeVarint($L)", m.index());
            for (ParameterModel parameter : m.parameters()) {
                body.add(codec.write(parameter.type(), CodeBlock.of("m.$N()", parameter.name())));
            }
            body.unindent().add("}\n");
        }
        body.endControlFlow();
        return method.addCode(body.build()).build();
    }

    private MethodSpec decode(ProtocolModel model, CodecWriter codec) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("decode")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(model.messageType())
                .addParameter(CodecWriter.WIRE_READER, "in");
        if (model.local()) {
            return method.addCode(localRefusal(model, "messages")).build();
        }
        CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("try")
                .addStatement("int index = in.readVarint()")
                .add("$T message = switch (index) {\n", model.messageType()).indent();
        for (MethodModel m : model.methods()) {
            CodeBlock.Builder arguments = CodeBlock.builder();
            for (int i = 0; i < m.parameters().size(); i++) {
                arguments.add(i == 0 ? "$L" : ", $L", codec.read(m.parameters().get(i).type()));
            }
            body.add("case $L -> new $T($L);\n", m.index(), model.recordType(m), arguments.build());
        }
        body.add("default -> throw new $T(\"Unknown method index \" + index + $S);\n", CODEC_EXCEPTION,
                        " for protocol " + model.binaryName() + ", which has " + model.methods().size() + " methods")
                .unindent().add("};\n")
                .addStatement("in.expectEnd()")
                .addStatement("return message");
        catchInto(body, model, "message");
        return method.addCode(body.build()).build();
    }

    private void catchInto(CodeBlock.Builder body, ProtocolModel model, String what) {
        body.nextControlFlow("catch ($T e)", CODEC_EXCEPTION)
                .addStatement("throw e")
                .nextControlFlow("catch ($T e)", RuntimeException.class)
                .addStatement("throw new $T($S + e, e)", CODEC_EXCEPTION,
                        "Malformed " + model.binaryName() + " " + what + ": ")
                .endControlFlow();
    }

    private MethodSpec encodeReply(ProtocolModel model, CodecWriter codec) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("encodeReply")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(TypeName.INT, "methodIndex")
                .addParameter(Object.class, "reply")
                .addParameter(CodecWriter.WIRE_WRITER, "out");
        if (model.local()) {
            return method.addCode(localRefusal(model, "replies")).build();
        }
        boolean unchecked = false;
        CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (methodIndex)");
        for (MethodModel m : model.methods()) {
            if (!m.isAsk()) {
                continue;
            }
            body.add("case $L -> {\n", m.index()).indent();
            if (m.result() != null) {
                unchecked |= m.result().typeName() instanceof ParameterizedTypeName;
                body.addStatement("$T value = ($T) reply", m.result().typeName(), m.result().typeName());
                body.add(codec.write(m.result(), CodeBlock.of("value")));
            }
            body.unindent().add("}\n");
        }
        body.add("default -> throw new $T(\"Method index \" + methodIndex + $S);\n", IllegalArgumentException.class,
                " is not an ask method of " + model.binaryName());
        body.endControlFlow();
        if (unchecked) {
            method.addAnnotation(AnnotationSpec.builder(SuppressWarnings.class).addMember("value", "$S", "unchecked").build());
        }
        return method.addCode(body.build()).build();
    }

    private MethodSpec decodeReply(ProtocolModel model, CodecWriter codec) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("decodeReply")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(Object.class)
                .addParameter(TypeName.INT, "methodIndex")
                .addParameter(CodecWriter.WIRE_READER, "in");
        if (model.local()) {
            return method.addCode(localRefusal(model, "replies")).build();
        }
        if (model.methods().stream().noneMatch(MethodModel::isAsk)) {
            return method.addStatement("throw new $T(\"Method index \" + methodIndex + $S)", CODEC_EXCEPTION,
                    " is not an ask method of " + model.binaryName() + ", which has no ask methods").build();
        }
        CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("try")
                .add("$T reply = switch (methodIndex) {\n", Object.class).indent();
        for (MethodModel m : model.methods()) {
            if (m.isAsk()) {
                body.add("case $L -> $L;\n", m.index(), m.result() == null ? CodeBlock.of("null") : codec.read(m.result()));
            }
        }
        body.add("default -> throw new $T(\"Method index \" + methodIndex + $S);\n", CODEC_EXCEPTION,
                        " is not an ask method of " + model.binaryName())
                .unindent().add("};\n")
                .addStatement("in.expectEnd()")
                .addStatement("return reply");
        catchInto(body, model, "reply");
        return method.addCode(body.build()).build();
    }
}
