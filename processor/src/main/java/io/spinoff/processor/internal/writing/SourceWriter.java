package io.spinoff.processor.internal.writing;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import io.spinoff.processor.internal.model.MethodModel;
import io.spinoff.processor.internal.model.ProtocolModel;
import java.util.List;
import javax.lang.model.element.Element;
import javax.lang.model.element.Modifier;

/**
 * The base of the writers, one per generated file. It adds what every generated file carries: the
 * {@code @Generated} annotation, the protocol as originating element (so incremental builds know
 * what to regenerate), a file comment, and a uniform layout.
 */
public abstract class SourceWriter {

    /** The value of {@code @Generated}. */
    public static final String GENERATOR = "io.spinoff.processor.ActorProtocolProcessor";

    private static final ClassName GENERATED = ClassName.get("javax.annotation.processing", "Generated");

    /**
     * @param model the protocol
     * @return the builder of the generated type, without the common parts
     */
    protected abstract TypeSpec.Builder type(ProtocolModel model);

    /**
     * @return whether the generated type implements the protocol, and so inherits the member types
     *     of the protocol and of its super-interfaces: inside it their simple names hide every other
     *     type of the same simple name
     */
    protected boolean inheritsProtocolMemberTypes() {
        return false;
    }

    /**
     * Says how this file writes a type. In a file that inherits the protocol's member types, a type
     * that one of them hides is written fully qualified: JavaPoet qualifies such types of other
     * packages by itself (see {@link #write}), but writes a type of the file's own package by its
     * simple name whatever hides it, so that {@code Stock} would mean the member type
     * {@code Inventory.Stock} where the protocol meant the top-level {@code p.Stock}. Every type
     * such a file names goes through here.
     *
     * @param model the protocol
     * @param type a type the generated file names
     * @return the type, or a stand-in that JavaPoet writes as its canonical name
     */
    protected final TypeName named(ProtocolModel model, TypeName type) {
        return inheritsProtocolMemberTypes() ? qualifiedWhereHidden(model, type) : type;
    }

    private static TypeName qualifiedWhereHidden(ProtocolModel model, TypeName type) {
        if (!model.hiddenInProxy(type)) {
            return type;
        }
        return switch (type) {
            case ParameterizedTypeName parameterized
                    when parameterized.enclosingType() == null && !model.hiddenInProxy(parameterized.rawType()) ->
                    ParameterizedTypeName.get(parameterized.rawType(), parameterized.typeArguments().stream()
                            .map(argument -> qualifiedWhereHidden(model, argument)).toArray(TypeName[]::new));
            case WildcardTypeName wildcard -> wildcard.lowerBounds().isEmpty()
                    ? WildcardTypeName.subtypeOf(qualifiedWhereHidden(model, wildcard.upperBounds().get(0)))
                    : WildcardTypeName.supertypeOf(qualifiedWhereHidden(model, wildcard.lowerBounds().get(0)));
            case ArrayTypeName array -> ArrayTypeName.of(qualifiedWhereHidden(model, array.componentType()));
            // JavaPoet writes a type variable's name as it is, and toString() gives the canonical
            // names of a type and of its type arguments: a type variable of that name writes the type
            // qualified. It is never declared as a type variable, only written.
            default -> TypeVariableName.get(type.toString());
        };
    }

    /**
     * @param model the protocol
     * @return annotations of the generated type besides {@code @Generated}, which come after it
     */
    protected List<AnnotationSpec> annotations(ProtocolModel model) {
        return List.of();
    }

    /**
     * Builds the generated file.
     *
     * @param model the protocol
     * @param originating the protocol's element
     * @param generatedAnnotationAvailable whether {@code javax.annotation.processing.Generated} can
     *     be used (it cannot in a module that does not read {@code java.compiler})
     * @return the file, ready to be written
     */
    public final JavaFile write(ProtocolModel model, Element originating, boolean generatedAnnotationAvailable) {
        TypeSpec.Builder type = type(model);
        if (generatedAnnotationAvailable) {
            type.addAnnotation(AnnotationSpec.builder(GENERATED).addMember("value", "$S", GENERATOR).build());
        }
        annotations(model).forEach(type::addAnnotation);
        if (originating != null) {
            type.addOriginatingElement(originating);
        }
        if (inheritsProtocolMemberTypes()) {
            // A protocol with a member type named like an imported type (a nested record Duration, say)
            // would make the import mean that member type inside the generated type: never import a
            // type whose simple name a member type of the protocol (or of a super-interface) takes.
            // Types of the protocol's own package are never imported: see named().
            type.alwaysQualify(model.memberTypeNames().toArray(String[]::new));
        }
        return JavaFile.builder(model.protocol().packageName(), type.build())
                .addFileComment("Generated by Spinoff from $L. Do not edit: change the protocol instead.",
                        model.protocol().canonicalName())
                .skipJavaLangImports(true)
                .indent("    ")
                .build();
    }

    /**
     * @param model the protocol
     * @return the modifiers of a generated top-level type: public when the protocol is public
     */
    protected static Modifier[] visibility(ProtocolModel model) {
        return model.publicType() ? new Modifier[] {Modifier.PUBLIC} : new Modifier[0];
    }

    /**
     * @param model the protocol
     * @param method a protocol method
     * @return a Javadoc link to it: {@code {@link Counter#increment(int)}}
     */
    protected final CodeBlock link(ProtocolModel model, MethodModel method) {
        CodeBlock.Builder parameters = CodeBlock.builder();
        for (int i = 0; i < method.erasedParameterTypes().size(); i++) {
            TypeName type = method.erasedParameterTypes().get(i);
            parameters.add(i == 0 ? "$T" : ", $T", named(model, type));
        }
        return CodeBlock.of("{@link $T#$L($L)}", named(model, method.declaringType()), method.name(),
                parameters.build());
    }
}
