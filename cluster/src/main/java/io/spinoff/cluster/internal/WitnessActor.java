package io.spinoff.cluster.internal;

import io.spinoff.runtime.Actor;
import java.util.concurrent.CompletionStage;

/**
 * A member's {@link Witness}. Threads: its turns run on the system's dispatcher; the answer is
 * completed by ZooKeeper's event thread (or the timeout's), which the reply path accepts from any
 * thread.
 */
final class WitnessActor extends Actor implements Witness {

    private final ClusterCore core;

    WitnessActor(ClusterCore core) {
        this.core = core;
    }

    @Override
    public CompletionStage<Boolean> reachesZooKeeper() {
        return core.reachesZooKeeper();
    }
}
