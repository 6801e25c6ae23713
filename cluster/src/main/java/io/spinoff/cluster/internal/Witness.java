package io.spinoff.cluster.internal;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/**
 * What a member asks the other members when it loses touch with ZooKeeper: do you reach it? If
 * none does, the ensemble is down for everyone, no session can expire and no shard can move, so
 * the member keeps its entities; if one does, or one does not answer, this member may be the one
 * cut off, and it stops them (see {@link ClusterCore}). Every member runs one, at
 * {@code /cluster/spinoff-cluster/witness}. Not API.
 */
@ActorProtocol
public interface Witness {

    /**
     * @return true when this member has just had an answer from ZooKeeper (a round trip made for
     *     this question, not a remembered state); false when it is out of touch or the round trip
     *     did not come back in time
     */
    CompletionStage<Boolean> reachesZooKeeper();
}
