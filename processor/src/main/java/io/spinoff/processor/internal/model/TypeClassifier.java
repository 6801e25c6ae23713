package io.spinoff.processor.internal.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import io.spinoff.api.ActorProtocol;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.RecordComponentElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.type.ArrayType;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeKind;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.type.WildcardType;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * Decides how each parameter and result type of one protocol crosses the wire, and collects the
 * records its codec writes: the one walker over a protocol's types. Validation uses its verdicts
 * (rejected, unreachable, unresolved) to report errors; {@link ModelBuilder} uses its wire types to
 * build the model. One classifier serves one protocol. It reads {@code javax.lang.model} types and
 * returns model types, which hold none.
 */
public final class TypeClassifier {

    /** The outcome of classifying one type. */
    public sealed interface Result {}

    /**
     * The type crosses the wire as {@code type}.
     *
     * @param type its wire type
     */
    public record Transportable(WireType type) implements Result {}

    /**
     * The type, or one inside it, is not generated yet: the protocol is put off to a later round.
     *
     * @param type the unresolved type, as written
     */
    public record Unresolved(String type) implements Result {}

    /**
     * The type cannot cross the wire.
     *
     * @param reason why
     */
    public record Rejected(String reason) implements Result {}

    /**
     * The type, or one inside it, is one that generated code in the protocol's package cannot name
     * (a private or non-public type).
     *
     * @param reason why
     */
    public record Unreachable(String reason) implements Result {}

    private static final Map<String, PrimitiveKind> BOXES = Map.of(
            "java.lang.Boolean", PrimitiveKind.BOOLEAN,
            "java.lang.Byte", PrimitiveKind.BYTE,
            "java.lang.Short", PrimitiveKind.SHORT,
            "java.lang.Character", PrimitiveKind.CHAR,
            "java.lang.Integer", PrimitiveKind.INT,
            "java.lang.Long", PrimitiveKind.LONG,
            "java.lang.Float", PrimitiveKind.FLOAT,
            "java.lang.Double", PrimitiveKind.DOUBLE);

    private static final Map<String, String> SCALARS = Map.of(
            "java.lang.String", "String",
            "java.util.UUID", "Uuid",
            "java.time.Instant", "Instant",
            "java.time.Duration", "Duration",
            "java.math.BigInteger", "BigInteger",
            "java.math.BigDecimal", "BigDecimal");

    private final Types types;
    private final Elements elements;
    private final String targetPackage;
    private final Map<String, RecordShape> records = new LinkedHashMap<>();
    private final Set<String> recordsInProgress = new HashSet<>();

    /**
     * @param env the processing environment of the current compilation
     * @param targetPackage the protocol's package, where the generated code lives
     */
    public TypeClassifier(ProcessingEnvironment env, String targetPackage) {
        this.types = env.getTypeUtils();
        this.elements = env.getElementUtils();
        this.targetPackage = targetPackage;
    }

    /** @return the records met so far, in first-use order */
    public List<RecordShape> records() {
        return List.copyOf(records.values());
    }

    private static PrimitiveKind primitiveKind(TypeKind kind) {
        return switch (kind) {
            case BOOLEAN -> PrimitiveKind.BOOLEAN;
            case BYTE -> PrimitiveKind.BYTE;
            case SHORT -> PrimitiveKind.SHORT;
            case CHAR -> PrimitiveKind.CHAR;
            case INT -> PrimitiveKind.INT;
            case LONG -> PrimitiveKind.LONG;
            case FLOAT -> PrimitiveKind.FLOAT;
            case DOUBLE -> PrimitiveKind.DOUBLE;
            default -> null;
        };
    }

    /**
     * Classifies a type for the wire.
     *
     * @param type a parameter or result type, or a part of one
     * @return how it crosses, why it cannot, which part generated code cannot name, or which part is
     *     unresolved
     */
    public Result classify(TypeMirror type) {
        PrimitiveKind primitive = primitiveKind(type.getKind());
        if (primitive != null) {
            return new Transportable(new WireType.Primitive(primitive));
        }
        return switch (type.getKind()) {
            case ERROR -> new Unresolved(type.toString());
            case ARRAY -> classifyArray((ArrayType) type);
            case DECLARED -> classifyDeclared((DeclaredType) type);
            case TYPEVAR -> new Rejected("type variable " + type + " is not transportable");
            case WILDCARD -> new Rejected("wildcard " + type + " is not transportable; name the type itself");
            default -> new Rejected(type + " is not transportable");
        };
    }

    private Result classifyArray(ArrayType array) {
        TypeMirror component = array.getComponentType();
        PrimitiveKind primitive = primitiveKind(component.getKind());
        if (primitive != null) {
            return new Transportable(new WireType.PrimitiveArray(primitive));
        }
        if (component.getKind() == TypeKind.ERROR) {
            return new Unresolved(component.toString());
        }
        return new Rejected("arrays of " + component + " are not transportable; use a List");
    }

    private Result classifyDeclared(DeclaredType type) {
        TypeElement element = (TypeElement) type.asElement();
        String name = element.getQualifiedName().toString();
        for (TypeMirror argument : type.getTypeArguments()) {
            if (argument.getKind() == TypeKind.ERROR) {
                return new Unresolved(argument.toString());
            }
        }
        PrimitiveKind boxed = BOXES.get(name);
        if (boxed != null) {
            return new Transportable(new WireType.Boxed(boxed));
        }
        String scalar = SCALARS.get(name);
        if (scalar != null) {
            return new Transportable(new WireType.Scalar(ClassName.get(element), scalar));
        }
        switch (name) {
            case "java.util.List", "java.util.Set", "java.util.Optional" -> {
                return classifyContainer(type, name);
            }
            case "java.util.Map" -> {
                return classifyMap(type);
            }
            case "io.spinoff.api.ActorRef" -> {
                // Generated code names the message type in its signatures, so it must be reachable.
                for (TypeMirror argument : type.getTypeArguments()) {
                    Result unreachable = unreachableIn(argument);
                    if (unreachable != null) {
                        return unreachable;
                    }
                }
                return new Transportable(new WireType.ActorRefType(TypeName.get(type)));
            }
            default -> {
                // handled below
            }
        }
        String inaccessible = inaccessibility(element);
        if (element.getKind() == ElementKind.ENUM) {
            if (inaccessible != null) {
                return new Unreachable(inaccessible);
            }
            List<String> constants = new ArrayList<>();
            for (Element member : element.getEnclosedElements()) {
                if (member.getKind() == ElementKind.ENUM_CONSTANT) {
                    constants.add(member.getSimpleName().toString());
                }
            }
            return new Transportable(new WireType.EnumType(ClassName.get(element), constants));
        }
        if (element.getKind() == ElementKind.INTERFACE && element.getAnnotation(ActorProtocol.class) != null) {
            if (inaccessible != null) {
                return new Unreachable(inaccessible);
            }
            return new Transportable(new WireType.ProtocolReference(ClassName.get(element)));
        }
        if (element.getKind() == ElementKind.RECORD) {
            if (inaccessible != null) {
                return new Unreachable(inaccessible);
            }
            return classifyRecord(type, element);
        }
        return new Rejected(name + " is not transportable");
    }

    private Result classifyContainer(DeclaredType type, String name) {
        String simple = name.substring(name.lastIndexOf('.') + 1);
        if (type.getTypeArguments().size() != 1) {
            return new Rejected("raw " + simple + " is not transportable; give its element type: " + simple + "<T>");
        }
        TypeMirror argument = type.getTypeArguments().get(0);
        Result element = classify(argument);
        if (!(element instanceof Transportable(WireType elementType))) {
            return element instanceof Rejected(String reason)
                    ? new Rejected(simple + " element: " + reason) : element;
        }
        TypeName typeName = TypeName.get(type);
        return new Transportable(switch (simple) {
            case "List" -> new WireType.ListType(typeName, elementType);
            case "Set" -> new WireType.SetType(typeName, elementType);
            default -> new WireType.OptionalType(typeName, elementType);
        });
    }

    private Result classifyMap(DeclaredType type) {
        if (type.getTypeArguments().size() != 2) {
            return new Rejected("raw Map is not transportable; give its key and value types: Map<K, V>");
        }
        Result key = classify(type.getTypeArguments().get(0));
        if (!(key instanceof Transportable(WireType keyType))) {
            return key instanceof Rejected(String reason) ? new Rejected("Map key: " + reason) : key;
        }
        Result value = classify(type.getTypeArguments().get(1));
        if (!(value instanceof Transportable(WireType valueType))) {
            return value instanceof Rejected(String reason) ? new Rejected("Map value: " + reason) : value;
        }
        return new Transportable(new WireType.MapType(TypeName.get(type), keyType, valueType));
    }

    private Result classifyRecord(DeclaredType type, TypeElement element) {
        if (!element.getTypeParameters().isEmpty() && type.getTypeArguments().isEmpty()) {
            return new Rejected("raw record " + element.getQualifiedName()
                    + " is not transportable; give its type arguments");
        }
        TypeName typeName = TypeName.get(type);
        String key = typeName.toString();
        if (records.containsKey(key) || recordsInProgress.contains(key)) {
            return new Transportable(new WireType.RecordType(typeName, key));
        }
        recordsInProgress.add(key);
        try {
            List<RecordShape.Component> components = new ArrayList<>();
            for (RecordComponentElement component : element.getRecordComponents()) {
                TypeMirror componentType = componentType(type, component);
                Result result = classify(componentType);
                String componentName = component.getSimpleName().toString();
                if (result instanceof Rejected(String reason)) {
                    return new Rejected("component '" + componentName + "' of record "
                            + element.getQualifiedName() + ": " + reason);
                }
                if (!(result instanceof Transportable)) {
                    return result;
                }
                components.add(new RecordShape.Component(componentName, ((Transportable) result).type()));
            }
            records.put(key, new RecordShape(key, typeName, components));
            return new Transportable(new WireType.RecordType(typeName, key));
        } finally {
            recordsInProgress.remove(key);
        }
    }

    private TypeMirror componentType(DeclaredType owner, RecordComponentElement component) {
        ExecutableElement accessor = component.getAccessor();
        if (accessor != null && !owner.getTypeArguments().isEmpty()) {
            return ((ExecutableType) types.asMemberOf(owner, accessor)).getReturnType();
        }
        return component.asType();
    }

    /**
     * Says why generated code in the protocol's package cannot name a type, or returns null when it
     * can.
     *
     * @param element the type
     * @return the reason, or {@code null}
     */
    public String inaccessibility(TypeElement element) {
        Element current = element;
        while (current instanceof TypeElement type) {
            if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
                return element.getQualifiedName() + " is a local class; declare it as a top-level or member type";
            }
            Set<Modifier> modifiers = type.getModifiers();
            boolean inInterface = type.getEnclosingElement().getKind().isInterface();
            if (modifiers.contains(Modifier.PRIVATE)) {
                return type.getQualifiedName() + " is private, so generated code in package " + targetPackage
                        + " cannot use it; make it package-private or public";
            }
            if (!modifiers.contains(Modifier.PUBLIC) && !inInterface
                    && !packageOf(type).equals(targetPackage)) {
                return type.getQualifiedName() + " is not public, so generated code in package "
                        + targetPackage + " cannot use it; make it public";
            }
            current = type.getEnclosingElement();
        }
        return null;
    }

    /**
     * Classifies a type of a local protocol, which never crosses the wire: any type will do that
     * generated code can name.
     *
     * @param type a parameter or result type
     * @return {@link Transportable} with an {@link WireType.Opaque} type, or why generated code
     *     cannot name it, or which part of it is unresolved
     */
    public Result classifyOpaque(TypeMirror type) {
        Result problem = unreachableIn(type);
        return problem != null ? problem : new Transportable(new WireType.Opaque(TypeName.get(type)));
    }

    /**
     * The one walk over a type and the types inside it (components, type arguments, bounds) for
     * what generated code cannot name.
     *
     * @return {@link Unresolved} or {@link Unreachable} for the first such type, or null when there is none
     */
    private Result unreachableIn(TypeMirror type) {
        switch (type.getKind()) {
            case ERROR -> {
                return new Unresolved(type.toString());
            }
            case ARRAY -> {
                return unreachableIn(((ArrayType) type).getComponentType());
            }
            case WILDCARD -> {
                WildcardType wildcard = (WildcardType) type;
                TypeMirror bound = wildcard.getExtendsBound() != null
                        ? wildcard.getExtendsBound() : wildcard.getSuperBound();
                return bound == null ? null : unreachableIn(bound);
            }
            case DECLARED -> {
                DeclaredType declared = (DeclaredType) type;
                String reason = inaccessibility((TypeElement) declared.asElement());
                if (reason != null) {
                    return new Unreachable(reason);
                }
                for (TypeMirror argument : declared.getTypeArguments()) {
                    Result inner = unreachableIn(argument);
                    if (inner != null) {
                        return inner;
                    }
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    private String packageOf(TypeElement type) {
        PackageElement pkg = elements.getPackageOf(type);
        return pkg.getQualifiedName().toString();
    }
}
