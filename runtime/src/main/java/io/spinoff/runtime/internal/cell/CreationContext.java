package io.spinoff.runtime.internal.cell;

import io.spinoff.runtime.ActorContext;

/**
 * Hands the context of an actor being created to the {@code Actor} constructor, through a thread
 * local set around the call of the factory. Not API.
 */
public final class CreationContext {

    private static final ThreadLocal<ActorContext> CURRENT = new ThreadLocal<>();

    private CreationContext() {}

    /** @return the context of the actor being created on this thread, or null */
    public static ActorContext current() {
        return CURRENT.get();
    }

    static ActorContext enter(ActorContext context) {
        ActorContext previous = CURRENT.get();
        CURRENT.set(context);
        return previous;
    }

    static void exit(ActorContext previous) {
        if (previous == null) {
            CURRENT.remove();
        } else {
            CURRENT.set(previous);
        }
    }
}
