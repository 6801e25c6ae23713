package io.spinoff.processor.samples;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** A local protocol: any types are allowed, and it has no codec. */
@ActorProtocol(local = true)
interface LocalOnly {
    void run(Runnable task);

    CompletionStage<Thread> thread(Supplier<String> name);
}
