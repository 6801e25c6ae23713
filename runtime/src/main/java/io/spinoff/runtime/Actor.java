package io.spinoff.runtime;

import io.spinoff.runtime.internal.cell.ActorHooks;
import io.spinoff.runtime.internal.cell.CreationContext;

/**
 * The optional base class of actors. An actor is a class that implements one or more
 * {@code @ActorProtocol} interfaces; extending {@code Actor} adds its {@link #context()} and the
 * lifecycle hooks. A plain class implementing the protocol also works.
 *
 * <pre>{@code
 * public final class CounterActor extends Actor implements Counter {
 *     private int count;
 *     public void increment(int by) { count += by; }
 *     public CompletionStage<Integer> get() { return CompletableFuture.completedFuture(count); }
 * }
 * Counter counter = system.spawn(Counter.class, CounterActor::new, "counter");
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>An actor handles one message at a time; handling a message happens-before handling the
 *       next, whatever threads they run on. Its fields need no locks or volatiles.</li>
 *   <li>A tell method's exception, or an ask method's exception, fails the actor: it is suspended
 *       and its parent's {@link #supervisorStrategy()} decides (resume, restart, stop, escalate).
 *       An ask method's exception also fails the caller's future. A returned stage that fails
 *       later fails only the caller's future.</li>
 *   <li>Hooks: {@link #preStart()} before the first message; {@link #postStop()} after the last,
 *       once its children have stopped; on restart {@link #preRestart(Throwable)} on the old
 *       instance, then {@link #postRestart(Throwable)} on the new one.</li>
 *   <li>Instances must be made only by the factory given to {@code spawn}; an instance made
 *       otherwise has no context.</li>
 *   <li>Handlers run on a small shared pool of carrier threads and should not block. An actor
 *       woken by a handler runs next on the same carrier, right after that handler returns; a
 *       handler that instead waits for it (say, for the reply of an ask it has just made) holds
 *       it back until the runtime notices, one or two 10 ms ticks later, and hands it to another
 *       carrier. Compose the returned stage instead, or use a {@link Process}, whose
 *       {@code await} blocks only its own virtual thread.</li>
 * </ul>
 */
public abstract class Actor {

    static {
        ActorHooks.install(new ActorHooks() {
            @Override
            public void preStart(Actor actor) throws Exception {
                actor.preStart();
            }

            @Override
            public void postStop(Actor actor) throws Exception {
                actor.postStop();
            }

            @Override
            public void preRestart(Actor actor, Throwable reason) throws Exception {
                actor.preRestart(reason);
            }

            @Override
            public void postRestart(Actor actor, Throwable reason) throws Exception {
                actor.postRestart(reason);
            }

            @Override
            public void onTerminated(Actor actor, Terminated terminated) throws Exception {
                actor.onTerminated(terminated);
            }

            @Override
            public void runProcess(Process process) throws Exception {
                process.run();
            }

            @Override
            public SupervisorStrategy supervisorStrategy(Actor actor) {
                return actor.supervisorStrategy();
            }
        });
    }

    private final ActorContext context;

    /** Binds the new instance to the actor being created; see the class comment. */
    protected Actor() {
        this.context = CreationContext.current();
    }

    /**
     * @return the actor's context
     * @throws IllegalStateException if the instance was not made by a spawn factory
     */
    protected final ActorContext context() {
        if (context == null) {
            throw new IllegalStateException(getClass().getName() + " was created outside spawn, so it has no"
                    + " context; create actors only through ActorSystem.spawn or ActorContext.spawn with a factory.");
        }
        return context;
    }

    /**
     * Runs before the first message, on the actor's turn. An exception stops the start: the actor
     * fails with {@link ActorInitializationException}.
     *
     * @throws Exception to fail the start
     */
    protected void preStart() throws Exception {}

    /**
     * Runs after the last message, once every child has stopped. An exception is logged; the
     * actor stops anyway.
     *
     * @throws Exception logged
     */
    protected void postStop() throws Exception {}

    /**
     * Runs on the old instance before a restart, after its children have been stopped and its
     * timers cancelled. The default calls {@link #postStop()}.
     *
     * @param reason the exception that caused the restart
     * @throws Exception logged; the restart goes on
     */
    protected void preRestart(Throwable reason) throws Exception {
        postStop();
    }

    /**
     * Runs on the new instance after a restart, before its first message. The default calls
     * {@link #preStart()}.
     *
     * @param reason the exception that caused the restart
     * @throws Exception to fail the restart
     */
    protected void postRestart(Throwable reason) throws Exception {
        preStart();
    }

    /**
     * Handles the termination of a watched actor. The default throws {@link DeathPactException},
     * failing this actor (the death pact).
     *
     * @param terminated which actor, and why
     * @throws Exception to fail the actor
     */
    protected void onTerminated(Terminated terminated) throws Exception {
        throw new DeathPactException(terminated);
    }

    /**
     * The strategy this actor applies to its children's failures. Called on the actor's turn each
     * time a child fails.
     *
     * @return {@link SupervisorStrategy#DEFAULT} unless overridden
     */
    protected SupervisorStrategy supervisorStrategy() {
        return SupervisorStrategy.DEFAULT;
    }
}
