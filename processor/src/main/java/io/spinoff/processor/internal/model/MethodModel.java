package io.spinoff.processor.internal.model;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.WildcardTypeName;
import java.util.List;

/**
 * One method of a protocol: one message record.
 *
 * @param index the method's wire index (methods are ordered by name)
 * @param name the method name
 * @param recordName the name of its message record (the method name in UpperCamelCase)
 * @param kind tell, or ask returning a {@code CompletionStage} or a {@code CompletableFuture}
 * @param parameters its parameters, in order
 * @param result the reply's wire type for an ask with a value; {@code null} for a tell or a
 *     {@code Void} reply
 * @param resultType the reply type {@code T} of an ask ({@code Void} included); {@code null} for a tell
 * @param askTimeout the {@code @AskTimeout} of the method, or {@code null}
 * @param declaringType the interface that declares the method, for Javadoc links
 * @param erasedParameterTypes the erasures of the parameter types as declared, for Javadoc links
 */
public record MethodModel(
        int index,
        String name,
        String recordName,
        Kind kind,
        List<ParameterModel> parameters,
        WireType result,
        TypeName resultType,
        AskTimeoutModel askTimeout,
        ClassName declaringType,
        List<TypeName> erasedParameterTypes) {

    /** Copies the lists. */
    public MethodModel {
        parameters = List.copyOf(parameters);
        erasedParameterTypes = List.copyOf(erasedParameterTypes);
    }

    /** What a method returns. */
    public enum Kind {
        /** {@code void}: fire and forget. */
        TELL,
        /** {@code CompletionStage<T>}. */
        ASK_STAGE,
        /** {@code CompletableFuture<T>}. */
        ASK_FUTURE
    }

    /**
     * @return the {@code R} of the {@code Ask<R>} its message record implements: the reply type, or
     *     for a wildcard reply type ({@code CompletionStage<? extends Shape>}, possible in a local
     *     protocol) its upper bound; {@code null} for a tell
     */
    public TypeName replyType() {
        if (resultType instanceof WildcardTypeName wildcard) {
            return wildcard.lowerBounds().isEmpty() ? wildcard.upperBounds().get(0) : ClassName.OBJECT;
        }
        return resultType;
    }

    /** @return whether the method expects a reply */
    public boolean isAsk() {
        return kind != Kind.TELL;
    }

    /**
     * The timeout of an ask method.
     *
     * @param amount how many units
     * @param chronoUnit the name of the {@code java.time.temporal.ChronoUnit}
     */
    public record AskTimeoutModel(long amount, String chronoUnit) {}
}
