package io.spinoff.runtime;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** A node of an actor tree, for the path and shutdown tests. */
@ActorProtocol
public interface CoreNode {
    /** Spawns a child named {@code name} and replies its proxy. */
    CompletionStage<CoreNode> spawnChild(String name);

    /** Spawns a child with a generated name and replies its proxy. */
    CompletionStage<CoreNode> spawnUnnamedChild();

    /** Replies the actor's address, as its context gives it. */
    CompletionStage<String> address();
}
