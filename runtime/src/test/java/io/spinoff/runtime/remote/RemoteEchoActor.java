package io.spinoff.runtime.remote;

import io.spinoff.runtime.Actor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Implements {@link RemoteEcho}; knows the name of its node. */
public final class RemoteEchoActor extends Actor implements RemoteEcho {
    private final String node;
    private int pings;

    public RemoteEchoActor(String node) {
        this.node = node;
    }

    @Override
    public CompletionStage<String> echo(String text) {
        return CompletableFuture.completedFuture(text + "@" + node);
    }

    @Override
    public CompletionStage<String> explode(String message) {
        throw new IllegalStateException(message);
    }

    @Override
    public CompletionStage<String> never() {
        return new CompletableFuture<>();
    }

    @Override
    public CompletionStage<byte[]> blob(int size) {
        return CompletableFuture.completedFuture(new byte[size]);
    }

    @Override
    public void ping(int seq, RemoteSink replyTo) {
        pings++;
        replyTo.pong(seq);
    }

    @Override
    public void relay(String text, RemoteEcho next, RemoteSink replyTo) {
        next.answer(text + " via " + node, replyTo);
    }

    @Override
    public void answer(String text, RemoteSink replyTo) {
        replyTo.text(text + " from " + node);
    }

    @Override
    public CompletionStage<Integer> pings() {
        return CompletableFuture.completedFuture(pings);
    }
}
