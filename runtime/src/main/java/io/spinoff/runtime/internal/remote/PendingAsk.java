package io.spinoff.runtime.internal.remote;

import io.spinoff.api.support.ProtocolDefinition;
import java.util.concurrent.CompletableFuture;

/**
 * An ask sent to a peer and not answered yet; the promise is completed at most once, whoever comes
 * first (the reply, a failure, the deadline, the peer going down, the close). Not API.
 *
 * <p><b>Threading:</b> made by the asking thread and published to the I/O thread by the outbound
 * queue; {@link #heapIndex} is read and written by the I/O thread only.
 */
final class PendingAsk {
    final long correlation;
    final RemoteActorRef target;
    final Object message;
    final ProtocolDefinition<Object, Object> definition;
    final int methodIndex;
    final CompletableFuture<Object> promise;
    final long deadlineNanos;
    final long timeoutMillis;
    /** I/O thread only: the position in {@link AskDeadlines}, or -1 when not in it. */
    int heapIndex = -1;

    PendingAsk(long correlation, RemoteActorRef target, Object message, ProtocolDefinition<Object, Object> definition,
            int methodIndex, CompletableFuture<Object> promise, long deadlineNanos, long timeoutMillis) {
        this.correlation = correlation;
        this.target = target;
        this.message = message;
        this.definition = definition;
        this.methodIndex = methodIndex;
        this.promise = promise;
        this.deadlineNanos = deadlineNanos;
        this.timeoutMillis = timeoutMillis;
    }
}
