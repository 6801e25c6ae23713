package io.spinoff.runtime.internal;

import io.spinoff.runtime.ActorSystem;

/**
 * How the node launcher joins a cluster for {@code --cluster VALUE}: the cluster module provides
 * it as a service, found with {@link java.util.ServiceLoader}, so that the runtime does not depend
 * on the cluster module. Not API.
 *
 * <p><b>Threading:</b> called once, on the launcher's main thread, before the node's actor starts.
 */
public interface NodeClusterJoin {

    /**
     * Joins the node to the cluster the option names.
     *
     * @param node the node, started
     * @param option the value of {@code --cluster}: {@code zk://HOST:PORT[,...]/PATH} or {@code embedded}
     * @return a line for the node's log telling where the cluster is kept
     * @throws IllegalArgumentException for a value that names no cluster
     * @throws IllegalStateException when the cluster cannot be joined
     */
    String join(ActorSystem node, String option);
}
