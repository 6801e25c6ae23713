package io.spinoff.cluster;

import io.spinoff.api.ActorProtocol;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The single-activation checker of the multi-JVM tests, registered in the cluster as "checker". */
@ActorProtocol
public interface Checker {
    CompletionStage<Boolean> activated(String id, String node);

    CompletionStage<Boolean> stopped(String id, String node);

    /** The node was killed: its entities ended with it. */
    CompletionStage<Boolean> nodeDead(String node);

    CompletionStage<List<String>> violations();

    CompletionStage<Integer> activations();
}
