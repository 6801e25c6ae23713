package io.spinoff.runtime.internal.cell;

import io.spinoff.runtime.Actor;
import io.spinoff.runtime.Process;
import io.spinoff.runtime.SupervisorStrategy;
import io.spinoff.runtime.Terminated;

/**
 * Lets the runtime call the protected hooks of {@link Actor} from this package. {@code Actor}
 * installs the single implementation in its static initialiser, which has run before any actor
 * instance exists. Not API.
 */
public abstract class ActorHooks {

    private static volatile ActorHooks installed;

    /** @param hooks the implementation; installed once, by {@code Actor} */
    public static void install(ActorHooks hooks) {
        installed = hooks;
    }

    static ActorHooks get() {
        return installed;
    }

    /** @param actor calls its preStart */
    public abstract void preStart(Actor actor) throws Exception;

    /** @param actor calls its postStop */
    public abstract void postStop(Actor actor) throws Exception;

    /** @param actor calls its preRestart @param reason the cause */
    public abstract void preRestart(Actor actor, Throwable reason) throws Exception;

    /** @param actor calls its postRestart @param reason the cause */
    public abstract void postRestart(Actor actor, Throwable reason) throws Exception;

    /** @param actor calls its onTerminated @param terminated the notice */
    public abstract void onTerminated(Actor actor, Terminated terminated) throws Exception;

    /** @param process runs its run() @throws Exception what run() throws */
    public abstract void runProcess(Process process) throws Exception;

    /** @param actor an actor @return its strategy for its children */
    public abstract SupervisorStrategy supervisorStrategy(Actor actor);
}
