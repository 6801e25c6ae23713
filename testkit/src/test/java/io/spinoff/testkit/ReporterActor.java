package io.spinoff.testkit;

import io.spinoff.runtime.Actor;

/** Implements {@link Reporter}. */
public final class ReporterActor extends Actor implements Reporter {
    @Override
    public void report(Counter source, Counter sink) {
        source.get().thenAccept(sink::increment);
    }
}
