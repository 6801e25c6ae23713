package io.spinoff.processor.internal.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.lang.model.element.Element;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.Modifier;
import javax.lang.model.element.TypeElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.type.DeclaredType;
import javax.lang.model.type.ExecutableType;
import javax.lang.model.type.TypeMirror;
import javax.lang.model.util.ElementFilter;
import javax.lang.model.util.Elements;
import javax.lang.model.util.Types;

/**
 * What a protocol interface is made of, read from its element: its messages (the abstract methods
 * it declares or inherits, but not those of {@code Object}) and the member types it declares or
 * inherits. Validation and {@link ModelBuilder} both read a protocol through here, so that they
 * agree on what its methods are.
 */
public final class ProtocolMembers {

    private ProtocolMembers() {}

    /**
     * A method of the protocol, with its type as seen from the protocol.
     *
     * @param element the method
     * @param type its type as a member of the protocol (type arguments of super-interfaces applied)
     */
    public record Member(ExecutableElement element, ExecutableType type) {}

    /**
     * @param protocol the protocol interface
     * @param elements the element utilities of the compilation
     * @param types the type utilities of the compilation
     * @return its messages: the methods it declares, in source order, then those it inherits
     */
    public static List<Member> methods(TypeElement protocol, Elements elements, Types types) {
        DeclaredType self = (DeclaredType) protocol.asType();
        Map<String, Member> bySignature = new LinkedHashMap<>();
        for (ExecutableElement method : ElementFilter.methodsIn(elements.getAllMembers(protocol))) {
            Set<Modifier> modifiers = method.getModifiers();
            if (!modifiers.contains(Modifier.ABSTRACT) || modifiers.contains(Modifier.STATIC)
                    || modifiers.contains(Modifier.DEFAULT)) {
                continue;
            }
            Element owner = method.getEnclosingElement();
            if (owner instanceof TypeElement t && t.getQualifiedName().contentEquals("java.lang.Object")) {
                continue;
            }
            if (isObjectMethod(method)) {
                continue;
            }
            ExecutableType type = (ExecutableType) types.asMemberOf(self, method);
            String key = method.getSimpleName() + type.getParameterTypes().stream()
                    .map(t -> types.erasure(t).toString()).collect(Collectors.joining(",", "(", ")"));
            bySignature.putIfAbsent(key, new Member(method, type));
        }
        List<Member> members = new ArrayList<>(bySignature.values());
        // Source order within the protocol, then inherited methods: the order errors are reported in.
        members.sort(Comparator.comparing((Member m) -> m.element().getEnclosingElement().equals(protocol) ? 0 : 1));
        return members;
    }

    /**
     * @param protocol the protocol interface
     * @return the simple names of the member types it declares or inherits from its
     *     super-interfaces, sorted: inside the generated proxy, which implements the protocol, they
     *     hide every other type of the same simple name
     */
    public static List<String> memberTypeNames(TypeElement protocol) {
        return List.copyOf(memberTypeNames(protocol, new TreeSet<>()));
    }

    private static Set<String> memberTypeNames(TypeElement type, Set<String> names) {
        for (TypeElement member : ElementFilter.typesIn(type.getEnclosedElements())) {
            names.add(member.getSimpleName().toString());
        }
        for (TypeMirror superinterface : type.getInterfaces()) {
            if (superinterface instanceof DeclaredType declared) {
                memberTypeNames((TypeElement) declared.asElement(), names);
            }
        }
        return names;
    }

    private static boolean isObjectMethod(ExecutableElement method) {
        String name = method.getSimpleName().toString();
        List<? extends VariableElement> parameters = method.getParameters();
        return switch (name) {
            case "hashCode", "toString" -> parameters.isEmpty();
            case "equals" -> parameters.size() == 1
                    && parameters.get(0).asType().toString().equals("java.lang.Object");
            default -> false;
        };
    }
}
