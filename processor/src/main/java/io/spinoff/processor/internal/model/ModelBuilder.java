package io.spinoff.processor.internal.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import io.spinoff.api.ActorProtocol;
import io.spinoff.api.AskTimeout;
import io.spinoff.api.support.GeneratedNames;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Builds the immutable {@link ProtocolModel} of a protocol that validation passed. It reports
 * nothing: every rule was checked before, so a type it cannot use here is a bug in the processor
 * (an {@link IllegalStateException}, which the processor turns into a {@code [ProcessorError]}).
 * Once built, the model holds no {@code javax.lang.model} types.
 */
public final class ModelBuilder {

    private final ProcessingEnvironment env;
    private final Elements elements;
    private final Types types;

    /** @param env the processing environment of the current compilation */
    public ModelBuilder(ProcessingEnvironment env) {
        this.env = env;
        this.elements = env.getElementUtils();
        this.types = env.getTypeUtils();
    }

    /**
     * @param protocol a protocol interface without errors or unresolved types
     * @return its model
     */
    public ProtocolModel build(TypeElement protocol) {
        String binaryName = elements.getBinaryName(protocol).toString();
        boolean local = protocol.getAnnotation(ActorProtocol.class).local();
        TypeClassifier classifier = new TypeClassifier(env, elements.getPackageOf(protocol).getQualifiedName().toString());
        List<MethodModel> methods = new ArrayList<>();
        for (ProtocolMembers.Member member : ProtocolMembers.methods(protocol, elements, types)) {
            methods.add(method(member, local, classifier));
        }
        methods.sort(Comparator.comparing(MethodModel::name));
        List<MethodModel> indexed = new ArrayList<>();
        for (int i = 0; i < methods.size(); i++) {
            MethodModel m = methods.get(i);
            indexed.add(new MethodModel(i, m.name(), m.recordName(), m.kind(), m.parameters(), m.result(),
                    m.resultType(), m.askTimeout(), m.declaringType(), m.erasedParameterTypes()));
        }
        long fingerprint = Fingerprint.of(Fingerprint.canonicalText(binaryName, indexed, classifier.records()));
        boolean publicType = protocol.getModifiers().contains(Modifier.PUBLIC)
                || protocol.getEnclosingElement().getKind().isInterface();
        return new ProtocolModel(ClassName.get(protocol), binaryName, publicType, local, fingerprint, indexed,
                classifier.records(), ProtocolMembers.memberTypeNames(protocol));
    }

    private MethodModel method(ProtocolMembers.Member member, boolean local, TypeClassifier classifier) {
        ExecutableElement method = member.element();
        String name = method.getSimpleName().toString();
        TypeMirror returnType = member.type().getReturnType();
        MethodModel.Kind kind;
        TypeMirror resultType = null;
        if (returnType.getKind() == TypeKind.VOID) {
            kind = MethodModel.Kind.TELL;
        } else {
            DeclaredType stage = (DeclaredType) returnType;
            kind = stage.asElement().getSimpleName().contentEquals("CompletionStage")
                    ? MethodModel.Kind.ASK_STAGE : MethodModel.Kind.ASK_FUTURE;
            resultType = stage.getTypeArguments().get(0);
        }
        AskTimeout timeout = method.getAnnotation(AskTimeout.class);
        MethodModel.AskTimeoutModel askTimeout = timeout == null ? null
                : new MethodModel.AskTimeoutModel(timeout.value(), timeout.unit().toChronoUnit().name());

        List<ParameterModel> parameters = new ArrayList<>();
        List<? extends VariableElement> parameterElements = method.getParameters();
        for (int i = 0; i < parameterElements.size(); i++) {
            TypeMirror parameterType = member.type().getParameterTypes().get(i);
            parameters.add(new ParameterModel(parameterElements.get(i).getSimpleName().toString(),
                    wireType(parameterType, local, classifier)));
        }
        WireType result = resultType == null || isVoid(resultType) ? null : wireType(resultType, local, classifier);
        List<TypeName> erased = new ArrayList<>();
        for (VariableElement parameter : parameterElements) {
            erased.add(TypeName.get(types.erasure(parameter.asType())));
        }
        return new MethodModel(-1, name, GeneratedNames.recordName(name), kind, parameters, result,
                resultType == null ? null : TypeName.get(resultType), askTimeout,
                ClassName.get((TypeElement) method.getEnclosingElement()), erased);
    }

    private static WireType wireType(TypeMirror type, boolean local, TypeClassifier classifier) {
        TypeClassifier.Result result = local ? classifier.classifyOpaque(type) : classifier.classify(type);
        if (result instanceof TypeClassifier.Transportable(WireType wire)) {
            return wire;
        }
        throw new IllegalStateException(type + " passed validation but is " + result);
    }

    private static boolean isVoid(TypeMirror type) {
        return type instanceof DeclaredType declared
                && ((javax.lang.model.element.TypeElement) declared.asElement()).getQualifiedName().contentEquals("java.lang.Void");
    }
}
