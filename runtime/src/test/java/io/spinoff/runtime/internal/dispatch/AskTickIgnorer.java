package io.spinoff.runtime.internal.dispatch;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** An actor that never replies, for the ask-timeout tests. */
@ActorProtocol
public interface AskTickIgnorer {
    /** Never replies. */
    CompletionStage<String> ignore(Opaque what);

    /** Never replies. */
    CompletionStage<String> ignoreText(String text);

    /** An argument whose {@code toString} throws, as a user's record may. */
    record Opaque(int id) {
        @Override
        public String toString() {
            throw new IllegalStateException("Opaque has no text");
        }
    }
}
