package io.spinoff.runtime.remote;

import io.spinoff.runtime.Actor;
import io.spinoff.runtime.Terminated;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * Collects answers: pongs must come in order 0, 1, 2...; {@link #done} completes with the count once
 * {@code expected} pongs came, or fails at the first one out of order. Texts and death notices are
 * queued for the test to take. It watches the actor given to it, if any, from its start.
 */
public final class RemoteSinkActor extends Actor implements RemoteSink {
    final int expected;
    final CompletableFuture<Integer> done = new CompletableFuture<>();
    final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Terminated> notices = new LinkedBlockingQueue<>();
    private final Object watchTarget;
    private int next;

    public RemoteSinkActor(int expected) {
        this(expected, null);
    }

    /** @param watchTarget an actor to watch from the start, or null */
    public RemoteSinkActor(int expected, Object watchTarget) {
        this.expected = expected;
        this.watchTarget = watchTarget;
    }

    @Override
    protected void preStart() {
        if (watchTarget != null) {
            context().watch(watchTarget);
        }
    }

    @Override
    public void pong(int seq) {
        if (seq != next) {
            done.completeExceptionally(new AssertionError("pong " + seq + " arrived when " + next + " was expected"));
        }
        next++;
        if (next == expected) {
            done.complete(next);
        }
    }

    @Override
    public void text(String text) {
        texts.add(text);
    }

    @Override
    protected void onTerminated(Terminated terminated) {
        notices.add(terminated);
    }
}
