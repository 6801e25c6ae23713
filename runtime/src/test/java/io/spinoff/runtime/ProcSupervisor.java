package io.spinoff.runtime;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** A plain actor that supervises a process child, for the process supervision tests. */
@ActorProtocol
public interface ProcSupervisor {
    /** Spawns the child process the actor was made with; replies its address. */
    CompletionStage<String> startChild(String name);
}
