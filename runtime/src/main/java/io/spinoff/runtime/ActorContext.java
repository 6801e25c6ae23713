package io.spinoff.runtime;

import io.spinoff.api.ActorRef;
import java.util.function.Supplier;

/**
 * What an actor knows of its place in the system: itself, its parent and children, its timers and
 * its watches. An {@link Actor} reaches it through {@code context()}.
 *
 * <p><b>Threading:</b> only the actor itself may use its context, from its constructor, message
 * handlers and hooks (that is, on the actor's own turn). Calls from other threads, such as a
 * future's callback, break the one-message-at-a-time guarantee and are not supported. A
 * {@link Process} may also call it from its own thread (inside {@code run()}): spawning, stopping,
 * watching and timers are then carried out on the process's turn, and the call returns once done.
 */
public interface ActorContext {

    /** @return the actor's untyped reference */
    ActorRef<Object> self();

    /**
     * @param protocol a protocol the actor implements
     * @param <P> the protocol type
     * @return a typed proxy of the actor for that protocol
     * @throws IllegalArgumentException if the actor does not implement it
     */
    <P> P self(Class<P> protocol);

    /** @return the actor's address: {@code /user/parent/name}, with the node's name when it has one */
    String address();

    /** @return the parent's reference (the user guardian for a top-level actor) */
    ActorRef<Object> parent();

    /** @return the system the actor lives in */
    ActorSystem system();

    /**
     * Starts a child actor, supervised by this one.
     *
     * @param protocol the protocol of the returned proxy
     * @param factory makes the child's instance (again at each restart)
     * @param name the child's name, unique among its siblings
     * @param <P> the protocol type
     * @return a proxy of the child
     * @throws IllegalArgumentException if the name is invalid or taken, or the instance does not
     *     implement {@code protocol}
     */
    <P> P spawn(Class<P> protocol, Supplier<? extends P> factory, String name);

    /**
     * Starts a child actor with a generated name.
     *
     * @param protocol the protocol of the returned proxy
     * @param factory makes the child's instance
     * @param <P> the protocol type
     * @return a proxy of the child
     */
    <P> P spawn(Class<P> protocol, Supplier<? extends P> factory);

    /**
     * Starts a child actor with options.
     *
     * @param protocol the protocol of the returned proxy
     * @param factory makes the child's instance
     * @param name the child's name, or null for a generated one
     * @param options mailbox options
     * @param <P> the protocol type
     * @return a proxy of the child
     */
    <P> P spawn(Class<P> protocol, Supplier<? extends P> factory, String name, SpawnOptions options);

    /**
     * Spawns a child {@link Process}. A process takes messages of any protocol: view its reference
     * through a protocol with {@code XProtocol.INSTANCE.proxy(ref)}, or have the process hand out
     * {@code self(X.class)}.
     *
     * @param factory makes the process; called now and again on each restart
     * @param name the child's name, unique among its siblings, or null for a generated one
     * @return the child's reference
     * @throws IllegalArgumentException when the name is taken or invalid
     * @throws IllegalStateException when this actor is stopping
     */
    ActorRef<Object> spawnProcess(Supplier<? extends Process> factory, String name);

    /**
     * Stops this actor or one of its children (asynchronously; children first).
     *
     * @param proxyOrRef self, or a child, as a proxy or a reference
     * @throws IllegalArgumentException if it is neither self nor a child
     */
    void stop(Object proxyOrRef);

    /**
     * Watches another actor: when it stops, this actor's {@link Actor#onTerminated(Terminated)}
     * runs. Watching an actor that is already gone delivers the notice at once.
     *
     * @param proxyOrRef the actor to watch
     */
    void watch(Object proxyOrRef);

    /**
     * Stops watching; a notice not yet handled is dropped.
     *
     * @param proxyOrRef the actor to stop watching
     */
    void unwatch(Object proxyOrRef);

    /** @return the actor's timers */
    Timers timers();
}
