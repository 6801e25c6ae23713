package io.spinoff.runtime.internal.cell;

import io.spinoff.api.ActorRef;
import io.spinoff.api.Ask;
import io.spinoff.api.support.ProtocolDefinition;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The reference of a local actor: it puts messages straight into the actor's mailbox. Not API.
 *
 * <p><b>Threading:</b> thread-safe; see {@link ActorCell#tell} for ordering.
 */
public final class LocalActorRef implements ActorRef<Object> {

    private final ActorCell cell;

    LocalActorRef(ActorCell cell) {
        this.cell = cell;
    }

    /** @return the cell behind this reference */
    public ActorCell cell() {
        return cell;
    }

    @Override
    public String address() {
        return cell.address();
    }

    @Override
    public void tell(Object message) {
        cell.tell(Objects.requireNonNull(message, "message"));
    }

    @Override
    public <R> CompletableFuture<R> ask(Ask<R> message) {
        Objects.requireNonNull(message, "message");
        // The method's @AskTimeout, read from its descriptor; null leaves the system's default.
        return cell.ask(message, ProtocolDefinition.askTimeoutOf(message).orElse(null));
    }

    @Override
    public <R> CompletableFuture<R> ask(Ask<R> message, Duration timeout) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("An ask timeout must be positive, not " + timeout + ".");
        }
        return cell.ask(Objects.requireNonNull(message, "message"), timeout);
    }

    @Override
    public boolean equals(Object other) {
        return other == this || other instanceof ActorRef<?> ref && address().equals(ref.address());
    }

    @Override
    public int hashCode() {
        return address().hashCode();
    }

    @Override
    public String toString() {
        return "ActorRef[" + address() + "]";
    }
}
