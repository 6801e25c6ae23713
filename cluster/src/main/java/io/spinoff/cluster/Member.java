package io.spinoff.cluster;

import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * A member of a cluster, as it announced itself in ZooKeeper.
 *
 * @param node the member's node name, {@code name@host:port}: prefix an actor's path with it to
 *     reach the actor
 * @param incarnation the node's incarnation, drawn at each start: a node that restarts on the
 *     same address is a new member
 * @param roles the roles it announced ({@link ClusterSettings#withRoles})
 * @param entities the entity protocols it hosts, by protocol name, with each protocol's
 *     fingerprint (a node built from another version of a protocol has another fingerprint)
 */
public record Member(String node, long incarnation, Set<String> roles, Map<String, Long> entities) {

    /**
     * Checks and copies the fields.
     *
     * @param node the node name
     * @param incarnation the incarnation
     * @param roles the roles
     * @param entities the entity protocols and their fingerprints
     */
    public Member {
        Objects.requireNonNull(node, "node");
        roles = Set.copyOf(roles);
        entities = Map.copyOf(entities);
    }
}
