package io.spinoff.runtime.remote;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.remote.RemoteTransport;
import java.time.Duration;

/**
 * The child JVM of the multi-JVM tests: a node hosting a {@link RemoteEchoActor} at
 * {@code /user/echo}. Arguments: the node's name and port (0 for a free one). It prints
 * {@code READY <node name> <incarnation>} once bound and runs until its standard input closes.
 */
public final class RemoteTestNode {

    private RemoteTestNode() {}

    public static void main(String[] args) throws Exception {
        String name = args[0];
        int port = Integer.parseInt(args[1]);
        try (ActorSystem system = ActorSystem.builder(name).bind("tcp://127.0.0.1:" + port)
                .heartbeatInterval(Duration.ofMillis(200)).downAfter(Duration.ofSeconds(3)).build()) {
            system.spawn(RemoteEcho.class, () -> new RemoteEchoActor(name), "echo");
            RemoteTransport transport = ((SystemRuntime) system.metrics()).transport();
            System.out.println("READY " + transport.nodeName() + " " + transport.incarnation());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
    }
}
