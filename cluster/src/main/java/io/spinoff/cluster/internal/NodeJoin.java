package io.spinoff.cluster.internal;

import io.spinoff.cluster.Cluster;
import io.spinoff.cluster.ClusterSettings;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.internal.NodeClusterJoin;

/**
 * The node launcher's {@code --cluster} option, found by the launcher as a service. Not API.
 *
 * <p><b>Threading:</b> the launcher's main thread.
 */
public final class NodeJoin implements NodeClusterJoin {

    @Override
    public String join(ActorSystem node, String option) {
        ClusterSettings settings = ClusterSettings.parse(option);
        Cluster cluster = Cluster.join(node, settings);
        return "Node " + cluster.self() + " joined the cluster kept at " + settings.connectString() + settings.path()
                + (option.startsWith("embedded") ? " (a ZooKeeper server in this JVM); other nodes join it with --cluster"
                        + " zk://" + settings.connectString() + settings.path() : "");
    }
}
