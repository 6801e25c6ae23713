package io.spinoff.processor.internal.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import io.spinoff.processor.internal.model.MethodModel;
import io.spinoff.processor.internal.model.ParameterModel;
import io.spinoff.processor.internal.model.ProtocolModel;
import io.spinoff.processor.internal.model.WireType;
import java.util.List;
import javax.lang.model.element.Modifier;

/** Writes {@code CounterMessage}: a sealed interface with one record per protocol method. */
public final class MessageWriter extends SourceWriter {

    private static final ClassName ASK = ClassName.get("io.spinoff.api", "Ask");
    private static final ClassName MESSAGES_OF = ClassName.get("io.spinoff.api.support", "MessagesOf");
    private static final ClassName MESSAGE_TEXT = ClassName.get("io.spinoff.api.support", "MessageText");

    @Override
    protected TypeSpec.Builder type(ProtocolModel model) {
        ClassName messageType = model.messageType();
        TypeSpec.Builder type = TypeSpec.interfaceBuilder(messageType)
                .addModifiers(visibility(model))
                .addModifiers(Modifier.SEALED)
                .addJavadoc("The messages of {@link $T}: one record per method, holding its arguments.\n",
                        model.protocol());
        for (MethodModel method : model.methods()) {
            type.addType(record(model, method));
        }
        return type;
    }

    /** The message interface names its protocol, so a runtime holding a message finds the protocol. */
    @Override
    protected List<AnnotationSpec> annotations(ProtocolModel model) {
        return List.of(AnnotationSpec.builder(MESSAGES_OF).addMember("value", "$T.class", model.protocol()).build());
    }

    private TypeSpec record(ProtocolModel model, MethodModel method) {
        MethodSpec.Builder constructor = MethodSpec.constructorBuilder();
        for (ParameterModel parameter : method.parameters()) {
            constructor.addParameter(ParameterSpec.builder(parameter.type().typeName(), parameter.name()).build());
        }
        TypeSpec.Builder record = TypeSpec.recordBuilder(method.recordName())
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .recordConstructor(constructor.build())
                .addSuperinterface(model.messageType())
                .addJavadoc(recordJavadoc(model, method))
                .addMethod(MethodSpec.methodBuilder("toString")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(String.class)
                        .addJavadoc("@return the call this message stands for: {@code $L.$L($L)}\n",
                                model.simpleName(), method.name(), String.join(", ",
                                        method.parameters().stream().map(ParameterModel::name).toList()))
                        .addStatement("return $L", text(model, method))
                        .build());
        if (method.isAsk()) {
            // The reply type, for ActorRef.ask(Ask<R>): asking for another type does not compile.
            record.addSuperinterface(ParameterizedTypeName.get(ASK, method.replyType().box()));
        }
        if (method.parameters().isEmpty()) {
            // A message without arguments is the same every time: proxies send this one instance.
            ClassName self = model.recordType(method);
            record.addField(FieldSpec.builder(self, "INSTANCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("The only instance the proxy sends; the message has no arguments.\n")
                    .initializer("new $T()", self)
                    .build());
        }
        return record.build();
    }

    private CodeBlock recordJavadoc(ProtocolModel model, MethodModel method) {
        CodeBlock.Builder javadoc = CodeBlock.builder()
                .add("The message of $L, $L.\n", link(model, method), method.isAsk() ? "an ask" : "a tell");
        if (!method.parameters().isEmpty()) {
            javadoc.add("\n");
        }
        for (ParameterModel parameter : method.parameters()) {
            javadoc.add("@param $N the argument {@code $N}\n", parameter.name(), parameter.name());
        }
        return javadoc.build();
    }

    private CodeBlock text(ProtocolModel model, MethodModel method) {
        String call = model.simpleName() + "." + method.name() + "(";
        if (method.parameters().isEmpty()) {
            return CodeBlock.of("$S", call + ")");
        }
        CodeBlock.Builder text = CodeBlock.builder().add("$S", call);
        for (int i = 0; i < method.parameters().size(); i++) {
            ParameterModel parameter = method.parameters().get(i);
            if (i > 0) {
                text.add(" + $S", ", ");
            }
            if (parameter.type() instanceof WireType.Primitive primitive
                    && primitive.kind() != io.spinoff.processor.internal.model.PrimitiveKind.CHAR) {
                text.add(" + $N", parameter.name());
            } else {
                text.add(" + $T.argument($N)", MESSAGE_TEXT, parameter.name());
            }
        }
        return text.add(" + $S", ")").build();
    }
}
