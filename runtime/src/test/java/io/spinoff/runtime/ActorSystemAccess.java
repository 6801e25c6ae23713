package io.spinoff.runtime;

import io.spinoff.runtime.internal.SystemRuntime;

/** Package-private state of an {@link ActorSystem}, for the runtime's tests in other packages. */
public final class ActorSystemAccess {

    private ActorSystemAccess() {}

    /**
     * @param system a system
     * @return its runtime
     */
    public static SystemRuntime runtime(ActorSystem system) {
        return system.runtime();
    }
}
