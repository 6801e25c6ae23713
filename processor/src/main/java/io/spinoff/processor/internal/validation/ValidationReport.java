package io.spinoff.processor.internal.validation;

import io.spinoff.processor.internal.model.ProtocolModel;
import java.util.List;

/**
 * The outcome of validating one protocol: its errors, the types it uses that are not resolved yet,
 * and, when it has neither, its model.
 *
 * @param errors every error found, in source order
 * @param unresolved descriptions of uses of unresolved types (the protocol is put off to a later
 *     round while this is not empty)
 * @param model the protocol's model; {@code null} unless both lists are empty
 */
public record ValidationReport(List<Diagnostic> errors, List<Diagnostic> unresolved, ProtocolModel model) {

    /** Copies the lists. */
    public ValidationReport {
        errors = List.copyOf(errors);
        unresolved = List.copyOf(unresolved);
    }

    /** @return whether some type the protocol uses is not generated yet */
    public boolean hasUnresolvedTypes() {
        return !unresolved.isEmpty();
    }
}
