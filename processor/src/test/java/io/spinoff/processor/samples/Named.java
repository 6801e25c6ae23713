package io.spinoff.processor.samples;

import java.util.concurrent.CompletionStage;

/** A plain super-interface (not itself a protocol) whose methods a protocol inherits. */
public interface Named<T> {
    CompletionStage<T> name();

    void rename(T newName);

    /** Default methods are not messages. */
    default String describe() {
        return "named";
    }
}
