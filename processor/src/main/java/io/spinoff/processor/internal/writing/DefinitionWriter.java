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
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
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

    /** Names of {@code ProtocolDefinition} members, which generated members must not reuse. */
    private static final List<String> RESERVED = List.of("INSTANCE", "method", "dispatch", "proxy", "encode",
            "decode", "encodeReply", "decodeReply", "encodeMessage", "decodeMessage", "encodeReplyValue",
            "decodeReplyValue", "unknownMethod", "of", "ofMessage", "askTimeoutOf", "forName", "protocolType",
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
            CodeBlock initializer;
            if (!method.isAsk()) {
                initializer = CodeBlock.of("$T.tell($L, $S)", METHOD_DESCRIPTOR, method.index(), method.name());
            } else if (method.askTimeout() == null) {
                initializer = CodeBlock.of("$T.ask($L, $S)", METHOD_DESCRIPTOR, method.index(), method.name());
            } else {
                initializer = CodeBlock.of("$T.ask($L, $S, $LL, $T.$L)", METHOD_DESCRIPTOR, method.index(), method.name(),
                        method.askTimeout().amount(), ChronoUnit.class, method.askTimeout().chronoUnit());
            }
            // Package-private: the runtime reads descriptors through methods() and method(message).
            type.addField(FieldSpec.builder(METHOD_DESCRIPTOR, name, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("The descriptor of $L$L.\n", link(model, method),
                            method.askTimeout() == null ? "" : ", with the timeout its {@code @AskTimeout} sets")
                    .initializer(initializer)
                    .build());
        }
        CodeBlock.Builder descriptorList = CodeBlock.builder();
        for (int i = 0; i < descriptors.length; i++) {
            descriptorList.add(", $N", descriptors[i]);
        }
        type.addMethod(MethodSpec.constructorBuilder()
                .addModifiers(Modifier.PRIVATE)
                .addStatement("super($T.class, $T.class, $L, $L$L)", model.protocol(), model.messageType(),
                        String.format(Locale.ROOT, "0x%016XL", model.fingerprint()), model.local(),
                        descriptorList.build())
                .build());

        type.addMethod(methodOf(model, descriptors));
        type.addMethod(dispatch(model));
        type.addMethod(MethodSpec.methodBuilder("proxy")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addJavadoc("Makes a typed proxy of {@link $T}.\n\n@param ref the reference to send through\n"
                        + "@return a {@link $T} sending through {@code ref}\n", model.protocol(), model.refType())
                .returns(model.refType())
                .addParameter(RefWriter.refParameterType(model), "ref")
                .addStatement("return new $T(ref)", model.refType())
                .build());

        CodecWriter codec = new CodecWriter(model, self, names);
        if (!model.local()) {
            // A local protocol has no codec: ProtocolDefinition refuses to encode or decode it.
            type.addMethod(encodeMessage(model, codec, descriptors));
            type.addMethod(decodeMessage(model, codec));
            if (model.methods().stream().anyMatch(m -> m.result() != null)) {
                type.addMethod(encodeReplyValue(model, codec));
                type.addMethod(decodeReplyValue(model, codec));
            }
        }
        codec.fields().forEach(type::addField);
        // Last of the static fields: its constructor reads the descriptors, initialised above it.
        type.addField(FieldSpec.builder(self, "INSTANCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The only instance.\n")
                .initializer("new $T()", self)
                .build());
        codec.methods().forEach(type::addMethod);
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
                .addJavadoc("Gives the method a message calls.\n\n@param message a message of {@link $T}\n"
                        + "@return the descriptor of its method\n", model.protocol())
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
                .addJavadoc("Calls the method of {@link $T} that a message stands for.\n\n@param target the actor\n"
                        + "@param message the message\n@return the stage an ask returned; {@code null} for a tell\n",
                        model.protocol())
                .addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(ClassName.get(CompletionStage.class), WildcardTypeName.subtypeOf(Object.class)))
                .addParameter(model.protocol(), "target")
                .addParameter(model.messageType(), "message")
                .addCode(body.build())
                .build();
    }

    private MethodSpec encodeMessage(ProtocolModel model, CodecWriter codec, String[] descriptors) {
        CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (message)");
        for (MethodModel m : model.methods()) {
            body.add("case $T m -> {\n", model.recordType(m)).indent();
            body.addStatement("out.writeVarint($N.index())", descriptors[m.index()]);
            for (ParameterModel parameter : m.parameters()) {
                body.add(codec.write(parameter.type(), CodeBlock.of("m.$N()", parameter.name())));
            }
            body.unindent().add("}\n");
        }
        body.endControlFlow();
        return MethodSpec.methodBuilder("encodeMessage")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PROTECTED)
                .addJavadoc("Writes the method index of a message, then its arguments in parameter order.\n\n"
                        + "@param message the message\n@param out where to write\n")
                .addParameter(model.messageType(), "message")
                .addParameter(CodecWriter.WIRE_WRITER, "out")
                .addCode(body.build())
                .build();
    }

    private MethodSpec decodeMessage(ProtocolModel model, CodecWriter codec) {
        CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (methodIndex)");
        NameAllocator reserved = new NameAllocator();
        reserved.newName("methodIndex", "methodIndex");
        reserved.newName("in", "in");
        for (MethodModel m : model.methods()) {
            body.add("case $L -> {\n", m.index()).indent();
            if (m.parameters().isEmpty()) {
                body.addStatement("return $T.INSTANCE", model.recordType(m));
            } else {
                NameAllocator locals = reserved.clone();
                CodeBlock.Builder arguments = CodeBlock.builder();
                for (ParameterModel parameter : m.parameters()) {
                    String local = locals.newName(parameter.name());
                    body.addStatement("$T $N = $L", parameter.type().typeName(), local, codec.read(parameter.type()));
                    arguments.add(arguments.isEmpty() ? "$N" : ", $N", local);
                }
                body.addStatement("return new $T($L)", model.recordType(m), arguments.build());
            }
            body.unindent().add("}\n");
        }
        body.add("default -> {\n").indent().addStatement("throw unknownMethod(methodIndex)").unindent().add("}\n");
        body.endControlFlow();
        return MethodSpec.methodBuilder("decodeMessage")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PROTECTED)
                .addJavadoc("Reads the arguments of a message, in parameter order, after its method index.\n\n"
                        + "@param methodIndex the method index, already read\n@param in where to read\n"
                        + "@return the message\n")
                .returns(model.messageType())
                .addParameter(TypeName.INT, "methodIndex")
                .addParameter(CodecWriter.WIRE_READER, "in")
                .addCode(body.build())
                .build();
    }

    private MethodSpec encodeReplyValue(ProtocolModel model, CodecWriter codec) {
        boolean unchecked = false;
        CodeBlock.Builder body = CodeBlock.builder().beginControlFlow("switch (methodIndex)");
        for (MethodModel m : model.methods()) {
            if (m.result() != null) {
                unchecked |= m.result().typeName() instanceof ParameterizedTypeName;
                body.add("case $L -> $L", m.index(), codec.write(m.result(), CodeBlock.of("($T) reply", m.result().typeName())));
            }
        }
        body.add("default -> {\n").indent().add("// $L\n", voidReplies(model)).unindent().add("}\n");
        body.endControlFlow();
        MethodSpec.Builder method = MethodSpec.methodBuilder("encodeReplyValue")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PROTECTED)
                .addJavadoc("Writes the reply value of an ask method.\n\n@param methodIndex the index of an ask method\n"
                        + "@param reply the reply value\n@param out where to write\n")
                .addParameter(TypeName.INT, "methodIndex")
                .addParameter(Object.class, "reply")
                .addParameter(CodecWriter.WIRE_WRITER, "out")
                .addCode(body.build());
        if (unchecked) {
            method.addAnnotation(AnnotationSpec.builder(SuppressWarnings.class).addMember("value", "$S", "unchecked").build());
        }
        return method.build();
    }

    private MethodSpec decodeReplyValue(ProtocolModel model, CodecWriter codec) {
        CodeBlock.Builder body = CodeBlock.builder().add("return switch (methodIndex) {\n").indent();
        for (MethodModel m : model.methods()) {
            if (m.result() != null) {
                body.add("case $L -> $L;\n", m.index(), codec.read(m.result()));
            }
        }
        body.add("default -> null; // $L\n", voidReplies(model)).unindent().add("};\n");
        return MethodSpec.methodBuilder("decodeReplyValue")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PROTECTED)
                .addJavadoc("Reads the reply value of an ask method.\n\n@param methodIndex the index of an ask method\n"
                        + "@param in where to read\n@return the reply value\n")
                .returns(Object.class)
                .addParameter(TypeName.INT, "methodIndex")
                .addParameter(CodecWriter.WIRE_READER, "in")
                .addCode(body.build())
                .build();
    }

    /** @return what the default branch of a reply switch stands for */
    private static String voidReplies(ProtocolModel model) {
        List<String> names = model.methods().stream().filter(m -> m.isAsk() && m.result() == null)
                .map(MethodModel::name).toList();
        return names.isEmpty() ? "every ask method has a case above"
                : String.join(", ", names) + (names.size() == 1 ? " replies" : " reply") + " without a value: no bytes";
    }
}
