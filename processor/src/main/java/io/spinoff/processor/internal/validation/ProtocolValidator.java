package io.spinoff.processor.internal.validation;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import io.spinoff.api.ActorProtocol;
import io.spinoff.api.AskTimeout;
import io.spinoff.api.support.GeneratedNames;
import io.spinoff.processor.internal.model.ProtocolMembers;
import io.spinoff.processor.internal.model.ProtocolMembers.Member;
import io.spinoff.processor.internal.model.ProtocolModel;
import io.spinoff.processor.internal.model.TypeClassifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Checks one {@code @ActorProtocol} element against the rules of SPEC §2. It never prints and never
 * throws for a user error: everything goes into the returned {@link ValidationReport}, so that a
 * user sees every error at once. It builds no model: a protocol whose report is
 * {@linkplain ValidationReport#valid() valid} goes to {@code ModelBuilder}. It reads the protocol's
 * methods and types through the same {@link ProtocolMembers} and {@link TypeClassifier} the model
 * stage uses, so that the two agree.
 */
public final class ProtocolValidator {

    /** Record component names that records forbid, because Object's methods already use them. */
    private static final Set<String> RESERVED_COMPONENT_NAMES = Set.of(
            "clone", "finalize", "getClass", "hashCode", "notify", "notifyAll", "toString", "wait");

    private final ProcessingEnvironment env;
    private final Types types;
    private final Elements elements;

    /** @param env the processing environment of the current compilation */
    public ProtocolValidator(ProcessingEnvironment env) {
        this.env = env;
        this.types = env.getTypeUtils();
        this.elements = env.getElementUtils();
    }

    /**
     * Validates a protocol.
     *
     * @param element an element annotated {@code @ActorProtocol}
     * @return its errors and unresolved types
     */
    public ValidationReport validate(TypeElement element) {
        List<Diagnostic> errors = new ArrayList<>();
        List<Diagnostic> unresolved = new ArrayList<>();
        String name = element.getSimpleName().toString();
        if (element.getKind() != ElementKind.INTERFACE) {
            errors.add(new Diagnostic(element, ErrorId.NotAnInterface, "@ActorProtocol " + name + " is "
                    + kindName(element.getKind()) + "; an actor protocol is an interface: declare "
                    + name + " as an interface."));
            return new ValidationReport(errors, unresolved);
        }
        if (!element.getTypeParameters().isEmpty()) {
            errors.add(new Diagnostic(element, ErrorId.GenericProtocol, name + " declares type parameters "
                    + element.getTypeParameters().stream().map(Object::toString).collect(Collectors.joining(", ", "<", ">"))
                    + "; an actor protocol cannot be generic: replace them with concrete types."));
        }
        String packageName = elements.getPackageOf(element).getQualifiedName().toString();
        TypeClassifier classifier = new TypeClassifier(env, packageName);
        String inaccessible = classifier.inaccessibility(element);
        if (inaccessible != null) {
            errors.add(new Diagnostic(element, ErrorId.Inaccessible, inaccessible + "."));
        }
        boolean local = element.getAnnotation(ActorProtocol.class).local();
        List<Member> members = ProtocolMembers.methods(element, elements, types);
        if (members.isEmpty()) {
            errors.add(new Diagnostic(element, ErrorId.EmptyProtocol, name
                    + " declares no abstract method; an actor protocol needs at least one: add a method."));
        }
        checkOverloads(element, members, errors);

        Map<String, Member> recordNames = new HashMap<>();
        String binaryName = elements.getBinaryName(element).toString();
        String messageName = GeneratedNames.simpleNameOf(GeneratedNames.messageType(binaryName));
        for (Member member : members) {
            validateMethod(element, member, local, classifier, errors, unresolved);
            String recordName = GeneratedNames.recordName(member.element().getSimpleName().toString());
            Member previous = recordNames.putIfAbsent(recordName, member);
            if (previous != null && !previous.element().getSimpleName().equals(member.element().getSimpleName())) {
                errors.add(new Diagnostic(errorSite(element, member.element()), ErrorId.NameCollision,
                        signature(element, member) + " and " + signature(element, previous)
                                + " both become the message record " + recordName + "; rename one of them."));
            }
            if (recordName.equals(messageName)) {
                errors.add(new Diagnostic(errorSite(element, member.element()), ErrorId.NameCollision,
                        signature(element, member) + " would become the record " + recordName
                                + ", the name of its enclosing generated interface; rename the method."));
            }
        }
        checkGeneratedNames(element, binaryName, errors);

        if (errors.isEmpty() && unresolved.isEmpty()) {
            checkHiddenInUnnamedPackage(element, members, errors);
        }
        return new ValidationReport(errors, unresolved);
    }

    /**
     * The proxy writes a type that a member type of the protocol hides by its qualified name; a type
     * of the unnamed package has none, so there the hiding is an error.
     */
    private void checkHiddenInUnnamedPackage(TypeElement element, List<Member> members, List<Diagnostic> errors) {
        if (!elements.getPackageOf(element).isUnnamed()) {
            return;
        }
        String binaryName = elements.getBinaryName(element).toString();
        List<String> memberTypeNames = ProtocolMembers.memberTypeNames(element);
        List<TypeName> named = new ArrayList<>(List.of(ClassName.get(element),
                ClassName.get("", GeneratedNames.messageType(binaryName))));
        for (Member member : members) {
            named.add(ClassName.get((TypeElement) member.element().getEnclosingElement()));
            member.type().getParameterTypes().forEach(type -> named.add(TypeName.get(type)));
            member.element().getParameters().forEach(parameter -> named.add(TypeName.get(types.erasure(parameter.asType()))));
            if (member.type().getReturnType().getKind() != TypeKind.VOID) {
                named.add(TypeName.get(member.type().getReturnType()));
            }
        }
        Set<String> hidden = new TreeSet<>();
        named.forEach(type -> hidden.addAll(ProtocolModel.hiddenNamesIn("", memberTypeNames, type)));
        if (!hidden.isEmpty()) {
            errors.add(new Diagnostic(element, ErrorId.NameCollision, "Inside the generated "
                    + GeneratedNames.refType(binaryName) + ", which implements " + element.getSimpleName()
                    + ", member types of " + element.getSimpleName() + " hide " + String.join(", ", hidden)
                    + " of the unnamed package, which the proxy must name and cannot qualify; move "
                    + element.getSimpleName() + " into a package, or rename the member types."));
        }
    }

    private void checkOverloads(TypeElement protocol, List<Member> members, List<Diagnostic> errors) {
        Map<String, Member> first = new HashMap<>();
        for (Member member : members) {
            String name = member.element().getSimpleName().toString();
            Member previous = first.putIfAbsent(name, member);
            if (previous != null) {
                errors.add(new Diagnostic(errorSite(protocol, member.element()), ErrorId.OverloadedMethod,
                        signature(protocol, member) + " overloads " + signature(protocol, previous)
                                + "; each method name becomes a message record: give each method its own name."));
            }
        }
    }

    /** What a method's return type makes it; unset while the return type is in error. */
    private enum ReturnKind { TELL, ASK }

    private void validateMethod(TypeElement protocol, Member member, boolean local,
            TypeClassifier classifier, List<Diagnostic> errors, List<Diagnostic> unresolved) {
        ExecutableElement method = member.element();
        ExecutableType type = member.type();
        Element site = errorSite(protocol, method);
        String signature = signature(protocol, member);
        int errorsBefore = errors.size();

        if (!method.getTypeParameters().isEmpty()) {
            errors.add(new Diagnostic(site, ErrorId.GenericMethod, signature + " declares type parameters "
                    + method.getTypeParameters().stream().map(Object::toString).collect(Collectors.joining(", ", "<", ">"))
                    + "; an actor method cannot be generic: use concrete types."));
        }
        List<String> checked = new ArrayList<>();
        for (TypeMirror thrown : type.getThrownTypes()) {
            if (!isUnchecked(thrown)) {
                checked.add(thrown.toString());
            }
        }
        if (!checked.isEmpty()) {
            errors.add(new Diagnostic(site, ErrorId.CheckedException, signature + " declares checked exception"
                    + (checked.size() > 1 ? "s " : " ") + String.join(", ", checked)
                    + "; an actor method reports failure by failing its returned stage (an ask) or by throwing"
                    + " an unchecked exception: remove the throws clause."));
        }

        ReturnKind kind = null;
        TypeMirror resultType = null;
        TypeMirror returnType = type.getReturnType();
        if (returnType.getKind() == TypeKind.VOID) {
            kind = ReturnKind.TELL;
        } else if (returnType.getKind() == TypeKind.ERROR) {
            unresolved.add(new Diagnostic(site, ErrorId.UnresolvedType, signature + " returns " + returnType
                    + ", which cannot be resolved; fix the import, or make sure the code that generates it runs."));
        } else if (returnType instanceof DeclaredType declared
                && isStage(((TypeElement) declared.asElement()).getQualifiedName().toString())) {
            String stage = declared.asElement().getSimpleName().toString();
            if (declared.getTypeArguments().size() != 1) {
                errors.add(new Diagnostic(site, ErrorId.BadReturnType, signature + " returns a raw " + stage
                        + "; declare its reply type: " + stage + "<T>, with Void for no value."));
            } else if (declared.getTypeArguments().get(0).getKind() == TypeKind.WILDCARD) {
                errors.add(new Diagnostic(site, ErrorId.BadReturnType, signature + " returns " + stage + "<"
                        + declared.getTypeArguments().get(0) + ">; declare the reply type itself: " + stage
                        + "<T>, with Void for no value."));
            } else {
                kind = ReturnKind.ASK;
                resultType = declared.getTypeArguments().get(0);
            }
        } else {
            errors.add(new Diagnostic(site, ErrorId.BadReturnType, signature + " returns " + display(returnType)
                    + "; an actor method returns void (tell), CompletionStage<T> or CompletableFuture<T> (ask):"
                    + " change the return type to one of these."));
        }

        AskTimeout timeout = method.getAnnotation(AskTimeout.class);
        if (timeout != null) {
            if (kind == ReturnKind.TELL) {
                errors.add(new Diagnostic(site, ErrorId.BadAskTimeout, signature
                        + " is a tell and gets no reply, so @AskTimeout does not apply: remove it, or make the method"
                        + " an ask by returning CompletionStage<T> or CompletableFuture<T>."));
            } else if (timeout.value() <= 0) {
                errors.add(new Diagnostic(site, ErrorId.BadAskTimeout, signature + " has @AskTimeout("
                        + timeout.value() + "); a timeout must be positive: give a value above 0."));
            }
        }

        List<? extends VariableElement> parameterElements = method.getParameters();
        List<? extends TypeMirror> parameterTypes = type.getParameterTypes();
        for (int i = 0; i < parameterElements.size(); i++) {
            VariableElement parameter = parameterElements.get(i);
            Element parameterSite = method.getEnclosingElement().equals(protocol) ? parameter : protocol;
            String parameterName = parameter.getSimpleName().toString();
            TypeMirror parameterType = parameterTypes.get(i);
            if (RESERVED_COMPONENT_NAMES.contains(parameterName)) {
                errors.add(new Diagnostic(parameterSite, ErrorId.NameCollision, "Parameter '" + parameterName
                        + "' of " + signature + " would become a record component named like Object."
                        + parameterName + "(); rename the parameter."));
            }
            if (local) {
                opaque(parameterType, parameterSite, signature, errors, unresolved, classifier);
            } else {
                wireType(parameterType, parameterSite, "Parameter '" + parameterName + "' of " + signature
                        + " has type " + display(parameterType), classifier, errors, unresolved);
            }
        }

        if (resultType != null && !isVoid(resultType)) {
            if (local) {
                opaque(resultType, site, signature, errors, unresolved, classifier);
            } else {
                wireType(resultType, site, signature + " replies with " + display(resultType), classifier, errors,
                        unresolved);
            }
        }
    }

    private void wireType(TypeMirror type, Element site, String subject, TypeClassifier classifier,
            List<Diagnostic> errors, List<Diagnostic> unresolved) {
        switch (classifier.classify(type)) {
            case TypeClassifier.Transportable t -> {
                // crosses the wire: nothing to report
            }
            case TypeClassifier.Unresolved(String what) -> unresolved.add(new Diagnostic(site, ErrorId.UnresolvedType,
                    subject + ", and " + what
                            + " cannot be resolved; fix the import, or make sure the code that generates it runs."));
            case TypeClassifier.Unreachable(String reason) ->
                    errors.add(new Diagnostic(site, ErrorId.Inaccessible, subject + ", and " + reason + "."));
            case TypeClassifier.Rejected(String reason) -> {
                errors.add(new Diagnostic(site, ErrorId.NotTransportable, subject
                        + ", which cannot cross the wire (" + reason + "); use a transportable type (primitives,"
                        + " String, enums, records, List, Set, Map, Optional, UUID, Instant, Duration, BigInteger,"
                        + " BigDecimal, byte[], actor protocols, ActorRef) or declare @ActorProtocol(local = true)."));
            }
        }
    }

    private void opaque(TypeMirror type, Element site, String signature, List<Diagnostic> errors,
            List<Diagnostic> unresolved, TypeClassifier classifier) {
        switch (classifier.classifyOpaque(type)) {
            case TypeClassifier.Unresolved(String what) -> unresolved.add(new Diagnostic(site, ErrorId.UnresolvedType,
                    signature + " uses " + what
                            + ", which cannot be resolved; fix the import, or make sure the code that generates it runs."));
            case TypeClassifier.Unreachable(String reason) -> errors.add(new Diagnostic(site, ErrorId.Inaccessible,
                    signature + " uses a type that generated code cannot name: " + reason + "."));
            case TypeClassifier.Transportable t -> {
                // any type generated code can name will do in a local protocol
            }
            case TypeClassifier.Rejected r -> throw new IllegalStateException("a local protocol rejects nothing: " + r);
        }
    }

    private void checkGeneratedNames(TypeElement element, String binaryName, List<Diagnostic> errors) {
        for (String qualified : List.of(GeneratedNames.messageType(binaryName), GeneratedNames.refType(binaryName),
                GeneratedNames.definitionType(binaryName))) {
            TypeElement existing = elements.getTypeElement(qualified);
            if (existing != null && !looksGenerated(existing, qualified, binaryName)) {
                errors.add(new Diagnostic(element, ErrorId.NameCollision, "The generated type " + qualified
                        + " for " + element.getSimpleName() + " would replace an existing type of that name;"
                        + " rename or move one of them."));
            }
        }
    }

    /** Recognises a type this processor generated in an earlier compilation. */
    private boolean looksGenerated(TypeElement existing, String qualified, String binaryName) {
        if (qualified.equals(GeneratedNames.messageType(binaryName))) {
            return existing.getKind() == ElementKind.INTERFACE && existing.getModifiers().contains(Modifier.SEALED);
        }
        return qualified.equals(GeneratedNames.refType(binaryName))
                ? superclassIs(existing, "io.spinoff.api.support.ProtocolProxy")
                : superclassIs(existing, "io.spinoff.api.support.ProtocolDefinition");
    }

    private boolean superclassIs(TypeElement type, String name) {
        TypeMirror superclass = type.getSuperclass();
        return superclass instanceof DeclaredType declared
                && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals(name);
    }

    private boolean isUnchecked(TypeMirror thrown) {
        TypeMirror runtime = elements.getTypeElement("java.lang.RuntimeException").asType();
        TypeMirror error = elements.getTypeElement("java.lang.Error").asType();
        return types.isSubtype(thrown, runtime) || types.isSubtype(thrown, error);
    }

    private static boolean isStage(String name) {
        return name.equals("java.util.concurrent.CompletionStage")
                || name.equals("java.util.concurrent.CompletableFuture");
    }

    private static boolean isVoid(TypeMirror type) {
        return type instanceof DeclaredType declared
                && ((TypeElement) declared.asElement()).getQualifiedName().contentEquals("java.lang.Void");
    }

    /** The element an error about a method is attached to: the method if the protocol declares it. */
    private static Element errorSite(TypeElement protocol, ExecutableElement method) {
        return method.getEnclosingElement().equals(protocol) ? method : protocol;
    }

    private String signature(TypeElement protocol, Member member) {
        ExecutableElement method = member.element();
        String text = protocol.getSimpleName() + "." + method.getSimpleName()
                + member.type().getParameterTypes().stream().map(ProtocolValidator::display)
                        .collect(Collectors.joining(", ", "(", ")"));
        if (!method.getEnclosingElement().equals(protocol)) {
            text += " (inherited from " + method.getEnclosingElement().getSimpleName() + ")";
        }
        return text;
    }

    /** A type as a user wrote it: simple names, with type arguments. */
    static String display(TypeMirror type) {
        if (type instanceof DeclaredType declared && type.getKind() == TypeKind.DECLARED) {
            String name = declared.asElement().getSimpleName().toString();
            if (declared.getTypeArguments().isEmpty()) {
                return name;
            }
            return name + declared.getTypeArguments().stream().map(ProtocolValidator::display)
                    .collect(Collectors.joining(", ", "<", ">"));
        }
        if (type instanceof javax.lang.model.type.ArrayType array) {
            return display(array.getComponentType()) + "[]";
        }
        return type.toString();
    }

    private static String kindName(ElementKind kind) {
        return switch (kind) {
            case CLASS -> "a class";
            case ENUM -> "an enum";
            case RECORD -> "a record";
            case ANNOTATION_TYPE -> "an annotation type";
            default -> "a " + kind.name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
