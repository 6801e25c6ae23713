/**
 * Spinoff's API shared by user code, generated code and a runtime: {@link io.spinoff.api} holds
 * the annotations, {@link io.spinoff.api.ActorRef} and the exceptions a caller may see;
 * {@link io.spinoff.api.support} is the contract between generated code and a runtime.
 *
 * <p>Generated classes live in the user's module and call into both packages, so both are exported
 * to every module. A user's module needs neither {@code opens} nor {@code exports} for Spinoff:
 * {@link io.spinoff.api.support.ProtocolDefinition#of(Class)} finds a generated definition without
 * reflecting on it.
 */
module io.spinoff.api {
    exports io.spinoff.api;
    exports io.spinoff.api.support;
}
