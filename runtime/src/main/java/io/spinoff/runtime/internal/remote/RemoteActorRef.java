package io.spinoff.runtime.internal.remote;

import io.spinoff.api.ActorRef;
import io.spinoff.api.Ask;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.runtime.internal.cell.ActorCell;
import io.spinoff.runtime.internal.watch.DeathWatcher;
import io.spinoff.runtime.internal.watch.RemoteWatchable;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The reference of an actor on another node: each message is encoded by its protocol's generated
 * codec and handed to the node's I/O thread. Not API.
 *
 * <p><b>Threading:</b> immutable and thread-safe. Messages sent from one thread, or from one actor,
 * to one remote actor arrive in the order sent (one queue to the I/O thread, one connection per
 * peer).
 *
 * <p>Equality follows the address, so two references to the same remote actor are equal however
 * they were made; death watch relies on that.
 */
public final class RemoteActorRef implements ActorRef<Object>, RemoteWatchable {

    private final RemoteTransport transport;
    private final String node;
    private final String path;
    private final String address;
    /**
     * The route of the protocol last sent through this reference, so that a run of messages of one
     * protocol reuses its encoded TARGET frame. A racy cache: any thread may replace it, readers
     * check that it fits, and a stale or duplicate route is still correct (it names the same actor).
     */
    private volatile Route route;

    RemoteActorRef(RemoteTransport transport, String node, String path) {
        this.transport = transport;
        this.node = node;
        this.path = path;
        this.address = node + path;
    }

    Route cachedRoute() {
        return route;
    }

    void cacheRoute(Route route) {
        this.route = route;
    }

    /** @return the name {@code name@host:port} of the node hosting the actor */
    public String node() {
        return node;
    }

    /** @return the actor's path on its node */
    public String path() {
        return path;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void tell(Object message) {
        transport.tell(this, Objects.requireNonNull(message, "message"));
    }

    @Override
    public <R> CompletableFuture<R> ask(Ask<R> message) {
        Objects.requireNonNull(message, "message");
        // The method's @AskTimeout, read from its descriptor; null leaves the system's default.
        return transport.ask(this, message, ProtocolDefinition.askTimeoutOf(message).orElse(null));
    }

    @Override
    public <R> CompletableFuture<R> ask(Ask<R> message, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("An ask timeout must be positive, not " + timeout + ".");
        }
        return transport.ask(this, Objects.requireNonNull(message, "message"), timeout);
    }

    @Override
    public void watch(DeathWatcher watcher) {
        transport.watch(this, watcher);
    }

    @Override
    public void unwatch(DeathWatcher watcher) {
        transport.unwatch(this, watcher);
    }

    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof ActorRef<?> ref && address.equals(ref.address());
    }

    @Override
    public int hashCode() {
        return address.hashCode();
    }

    @Override
    public String toString() {
        return "ActorRef[" + address + "]";
    }
}
