package io.spinoff.processor.internal.validation;

import java.util.List;

/**
 * The outcome of validating one protocol: its errors and the types it uses that are not resolved
 * yet. A protocol with neither is valid, and the model stage may build its model.
 *
 * @param errors every error found, in source order
 * @param unresolved descriptions of uses of unresolved types (the protocol is put off to a later
 *     round while this is not empty)
 */
public record ValidationReport(List<Diagnostic> errors, List<Diagnostic> unresolved) {

    /** Copies the lists. */
    public ValidationReport {
        errors = List.copyOf(errors);
        unresolved = List.copyOf(unresolved);
    }

    /** @return whether the protocol has neither errors nor unresolved types */
    public boolean valid() {
        return errors.isEmpty() && unresolved.isEmpty();
    }

    /** @return whether some type the protocol uses is not generated yet */
    public boolean hasUnresolvedTypes() {
        return !unresolved.isEmpty();
    }
}
