package io.spinoff.examples.example1;

import io.spinoff.runtime.Actor;

/** Logs its start, each greeting, and its stop; acknowledges each greeting. */
public final class ExampleActor extends Actor implements Greeter {

    private static final System.Logger LOG = System.getLogger(ExampleActor.class.getName());

    @Override
    protected void preStart() {
        LOG.log(System.Logger.Level.INFO, "starting");
    }

    @Override
    public void greet(String text, Acker replyTo) {
        LOG.log(System.Logger.Level.INFO, "'" + text + "' from " + replyTo);
        replyTo.ack();
    }

    @Override
    protected void postStop() {
        LOG.log(System.Logger.Level.INFO, "stopping");
    }
}
