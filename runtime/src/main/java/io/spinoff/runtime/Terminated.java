package io.spinoff.runtime;

import io.spinoff.api.ActorRef;
import java.util.Objects;

/**
 * The notice a watcher receives in {@link Actor#onTerminated(Terminated)} when an actor it watches
 * has stopped.
 *
 * @param actor the reference of the actor that stopped
 * @param reason why it stopped
 * @param cause the exception it failed with, for {@link Reason#FAILED}; otherwise {@code null}
 */
public record Terminated(ActorRef<?> actor, Reason reason, Throwable cause) {

    /** Why a watched actor is gone. */
    public enum Reason {
        /** It was stopped, or its work ended normally. */
        STOPPED,
        /** It failed and its supervisor stopped it; {@link Terminated#cause()} says with what. */
        FAILED,
        /** The node that hosted it became unreachable. */
        NODE_DOWN
    }

    /** Checks the components. */
    public Terminated {
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(reason, "reason");
    }

    /** @return the actor's address */
    public String address() {
        return actor.address();
    }
}
