package io.spinoff.runtime.internal.cell;

import io.spinoff.api.ActorRef;
import io.spinoff.api.Ask;
import io.spinoff.runtime.ActorNotFoundException;
import io.spinoff.runtime.internal.SystemRuntime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * The reference of an address where no actor lives: tells go to dead letters, asks fail at once.
 * Not API.
 */
public final class UnknownActorRef implements ActorRef<Object> {

    private final SystemRuntime runtime;
    private final String address;

    public UnknownActorRef(SystemRuntime runtime, String address) {
        this.runtime = runtime;
        this.address = address;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void tell(Object message) {
        Objects.requireNonNull(message, "message");
        runtime.deadLetter(address, message, "no actor at this address");
    }

    @Override
    public <R> CompletableFuture<R> ask(Ask<R> message) {
        return ask(message, null);
    }

    @Override
    public <R> CompletableFuture<R> ask(Ask<R> message, Duration timeout) {
        Objects.requireNonNull(message, "message");
        runtime.deadLetter(address, message, "no actor at this address");
        return CompletableFuture.failedFuture(new ActorNotFoundException("Ask " + message + " to " + address
                + " failed: no actor lives at this address; check the path, or spawn the actor first."));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ActorRef<?> ref && address.equals(ref.address());
    }

    @Override
    public int hashCode() {
        return address.hashCode();
    }

    @Override
    public String toString() {
        return "ActorRef[" + address + " (unknown)]";
    }
}
