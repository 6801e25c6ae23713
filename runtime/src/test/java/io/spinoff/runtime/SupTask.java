package io.spinoff.runtime;

/** Code a test runs on the turn of a {@link SupActor}, through {@link SupWorker#run(SupTask)}. */
@FunctionalInterface
public interface SupTask {

    /**
     * @param actor the current instance
     * @return the reply
     * @throws Exception to fail the actor (a checked exception is wrapped)
     */
    Object run(SupActor actor) throws Exception;
}
