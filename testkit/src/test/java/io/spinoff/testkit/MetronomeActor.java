package io.spinoff.testkit;

import io.spinoff.runtime.Actor;
import java.time.Duration;

/** Implements {@link Metronome}. */
public final class MetronomeActor extends Actor implements Metronome {
    private Counter sink;
    private int ticks;

    @Override
    public void start(Counter sink, long periodMillis) {
        this.sink = sink;
        context().timers().startTimerAtFixedRate("tick", new MetronomeMessage.Tick(), Duration.ofMillis(periodMillis),
                Duration.ofMillis(periodMillis));
    }

    @Override
    public void stop() {
        context().timers().cancel("tick");
    }

    @Override
    public void relay(Counter source, Counter sink) {
        source.get().whenComplete((count, failure) -> sink.increment(failure == null ? count : -1));
    }

    @Override
    public void tick() {
        sink.increment(++ticks);
    }
}
