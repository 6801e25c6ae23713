package io.spinoff.processor.internal.writing;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.WildcardTypeName;
import io.spinoff.processor.internal.model.MethodModel;
import io.spinoff.processor.internal.model.ParameterModel;
import io.spinoff.processor.internal.model.ProtocolModel;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import javax.lang.model.element.Modifier;

/**
 * Writes {@code CounterRef}: the typed proxy. Each method builds its message record and sends it
 * through the proxy's {@code ActorRef}; an ask returns the future of the reply.
 */
public final class RefWriter extends SourceWriter {

    static final ClassName ACTOR_REF = ClassName.get("io.spinoff.api", "ActorRef");
    private static final ClassName PROTOCOL_PROXY = ClassName.get("io.spinoff.api.support", "ProtocolProxy");

    /**
     * @param model the protocol
     * @return {@code ActorRef<? super CounterMessage>}
     */
    static TypeName refParameterType(ProtocolModel model) {
        return ParameterizedTypeName.get(ACTOR_REF, WildcardTypeName.supertypeOf(model.messageType()));
    }

    /** The proxy implements the protocol: its member types are in scope. */
    @Override
    protected boolean inheritsProtocolMemberTypes() {
        return true;
    }

    /**
     * Every type the proxy names goes through {@link #named}: the proxy implements the protocol, so
     * the protocol's member types hide types of the same simple name inside it.
     */
    @Override
    protected TypeSpec.Builder type(ProtocolModel model) {
        TypeSpec.Builder type = TypeSpec.classBuilder(model.refType())
                .addModifiers(visibility(model))
                .addModifiers(Modifier.FINAL)
                .superclass(named(model, ParameterizedTypeName.get(PROTOCOL_PROXY, model.messageType())))
                .addSuperinterface(named(model, model.protocol()))
                .addJavadoc("The typed proxy of {@link $T}: each call becomes a message sent to the actor.\n\n"
                        + "<p>Thread-safe and immutable. Equality, hash code and {@code toString} follow the actor's"
                        + " address.\n", named(model, model.protocol()))
                .addMethod(MethodSpec.constructorBuilder()
                        .addModifiers(Modifier.PUBLIC)
                        .addJavadoc("Makes a proxy that sends every call through {@code ref}.\n\n"
                                + "@param ref the reference to the actor\n")
                        .addParameter(named(model, refParameterType(model)), "ref")
                        .addStatement("super(ref, $S)", model.simpleName())
                        .build());
        for (MethodModel method : model.methods()) {
            type.addMethod(method(model, method));
        }
        return type;
    }

    private MethodSpec method(ProtocolModel model, MethodModel method) {
        MethodSpec.Builder spec = MethodSpec.methodBuilder(method.name())
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC);
        CodeBlock.Builder arguments = CodeBlock.builder();
        for (int i = 0; i < method.parameters().size(); i++) {
            ParameterModel parameter = method.parameters().get(i);
            spec.addParameter(named(model, parameter.type().typeName()), parameter.name());
            arguments.add(i == 0 ? "$N" : ", $N", parameter.name());
        }
        TypeName record = named(model, model.recordType(method));
        CodeBlock message = method.parameters().isEmpty()
                ? CodeBlock.of("$T.INSTANCE", record)
                : CodeBlock.of("new $T($L)", record, arguments.build());
        if (!method.isAsk()) {
            return spec.addJavadoc("Sends $L to the actor and returns at once.\n", link(model, method))
                    .addStatement("this.ref.tell($L)", message)
                    .build();
        }
        ClassName stage = method.kind() == MethodModel.Kind.ASK_STAGE
                ? ClassName.get(CompletionStage.class) : ClassName.get(CompletableFuture.class);
        TypeName resultType = named(model, method.resultType());
        spec.returns(ParameterizedTypeName.get(stage, resultType))
                .addJavadoc("Sends $L to the actor and returns the future of its reply ($L).\n", link(model, method),
                        method.askTimeout() == null ? "the system's default timeout applies"
                                : "times out after " + method.askTimeout().amount() + " "
                                        + method.askTimeout().chronoUnit().toLowerCase(Locale.ROOT)
                                        + ", as {@code @AskTimeout} sets")
                // The runtime reads the method's timeout from its descriptor: no second copy here.
                .addStatement("return this.ref.ask($L)", message);
        return spec.build();
    }
}
