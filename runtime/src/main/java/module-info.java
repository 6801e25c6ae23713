/**
 * The Spinoff runtime: actor systems, actors, processes, supervision, timers and remoting.
 *
 * <p>Only {@link io.spinoff.runtime} and {@link io.spinoff.runtime.remote} are exported; the
 * implementation stays in packages that no other module can read. A user's module needs only
 * {@code requires io.spinoff.runtime;} (which brings {@code io.spinoff.api} with it) to spawn,
 * tell, ask and reach other nodes.
 *
 * <p>Two cases need more on the module path. {@link io.spinoff.runtime.Node} creates the class it
 * runs reflectively, so that class's package must be exported (or opened) to
 * {@code io.spinoff.runtime}. CURVE encryption needs jnacl, which JeroMQ reads only as a static
 * dependency: add {@code --add-modules jnacl} to the {@code java} command of a node that uses it.
 */
module io.spinoff.runtime {
    requires transitive io.spinoff.api;
    // The system's MXBean (ActorSystemMXBean, whose ActorInfo and PeerInfo carry JMX annotations).
    requires transitive java.management;
    // The system's Flight Recorder events.
    requires jdk.jfr;
    // sun.misc.Signal: the node launcher's SIGINT and SIGTERM handlers.
    requires jdk.unsupported;
    // Remoting.
    requires org.zeromq.jeromq;

    exports io.spinoff.runtime;
    exports io.spinoff.runtime.remote;
    // The cluster module hosts entities under /cluster and routes to them: it reaches the
    // runtime's roots, its resolver hook and the cells, which no other module may.
    exports io.spinoff.runtime.internal to io.spinoff.cluster;
    exports io.spinoff.runtime.internal.cell to io.spinoff.cluster;
    // The node launcher's --cluster option, provided by the cluster module.
    uses io.spinoff.runtime.internal.NodeClusterJoin;
}
