package io.spinoff.api.support;

import io.spinoff.api.ActorRef;
import java.util.Objects;

/**
 * The base class of every generated typed proxy ({@code CounterRef}): it holds the
 * {@link ActorRef} the proxy sends through, and gives the proxy equality, hash code and
 * {@code toString} that follow the actor's address. It declares no instance methods a protocol
 * method could clash with.
 *
 * <p><b>Threading:</b> immutable; a proxy may be shared and called from any thread.
 *
 * @param <M> the protocol's message type
 */
public abstract class ProtocolProxy<M> {

    /** The reference every call of the proxy sends through. */
    protected final ActorRef<? super M> ref;
    private final String protocolName;

    /**
     * @param ref the reference to send through
     * @param protocolName the protocol's simple name, shown by {@link #toString()}
     * @throws NullPointerException if {@code ref} is null
     */
    protected ProtocolProxy(ActorRef<? super M> ref, String protocolName) {
        this.ref = Objects.requireNonNull(ref, "ref");
        this.protocolName = protocolName;
    }

    /**
     * Returns the reference behind a generated proxy.
     *
     * @param proxy any object
     * @return the proxy's reference, or {@code null} when {@code proxy} is not a generated proxy
     */
    public static ActorRef<?> actorRefOf(Object proxy) {
        return proxy instanceof ProtocolProxy<?> p ? p.ref : null;
    }

    /**
     * A proxy equals another proxy, or an {@link ActorRef}, that reaches the same actor, whatever
     * their protocols.
     */
    @Override
    public final boolean equals(Object other) {
        if (other instanceof ProtocolProxy<?> p) {
            return ref.equals(p.ref);
        }
        return other instanceof ActorRef<?> r && ref.equals(r);
    }

    @Override
    public final int hashCode() {
        return ref.hashCode();
    }

    @Override
    public final String toString() {
        return protocolName + "Ref[" + ref.address() + "]";
    }
}
