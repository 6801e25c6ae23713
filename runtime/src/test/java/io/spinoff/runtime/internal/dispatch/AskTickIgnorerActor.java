package io.spinoff.runtime.internal.dispatch;

import io.spinoff.runtime.Actor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Implements {@link AskTickIgnorer}: every reply is a stage that never completes. */
public final class AskTickIgnorerActor extends Actor implements AskTickIgnorer {
    @Override
    public CompletionStage<String> ignore(Opaque what) {
        return new CompletableFuture<>();
    }

    @Override
    public CompletionStage<String> ignoreText(String text) {
        return new CompletableFuture<>();
    }
}
