package io.spinoff.processor.internal.validation;

/**
 * The stable identifiers of the processor's errors. Each message starts with its identifier in
 * brackets, so that users and tests can rely on it while the wording improves.
 */
public enum ErrorId {
    /** {@code @ActorProtocol} on a class, enum, record or annotation type. */
    NotAnInterface,
    /** A protocol interface with type parameters. */
    GenericProtocol,
    /** A protocol, or a type it uses, that generated code in its package cannot reach. */
    Inaccessible,
    /** A protocol with no abstract method. */
    EmptyProtocol,
    /** A method with type parameters. */
    GenericMethod,
    /** Two methods with the same name. */
    OverloadedMethod,
    /** A method that declares a checked exception. */
    CheckedException,
    /** A method returning something other than void, CompletionStage&lt;T&gt; or CompletableFuture&lt;T&gt;. */
    BadReturnType,
    /** {@code @AskTimeout} on a tell, or with a value that is not positive. */
    BadAskTimeout,
    /** A parameter or result type that cannot cross the wire. */
    NotTransportable,
    /**
     * A generated name that collides with an existing type, another generated name or a reserved
     * name; or, in the unnamed package, a type the proxy names that a member type of the protocol hides.
     */
    NameCollision,
    /** A type the protocol uses that could not be resolved by the last round. */
    UnresolvedType,
    /** An unexpected failure inside the processor. */
    ProcessorError
}
