package io.spinoff.cluster;

import io.spinoff.runtime.Actor;

/** An entity of the tests whose activations and stops go to an {@link ActivationLog}. */
abstract class LoggedEntity extends Actor {

    protected final String id;
    private final ActivationLog log;

    LoggedEntity(String id, ActivationLog log) {
        this.id = id;
        this.log = log;
    }

    @Override
    protected void preStart() {
        log.activated(id, context().system().address());
    }

    @Override
    protected void postStop() {
        log.stopped(id, context().system().address());
    }
}
