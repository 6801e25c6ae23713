package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import java.util.concurrent.CompletionStage;

/** The Spinoff protocols of the benchmarks. */
public final class Protocols {
    private Protocols() {}

    /** Two players bounce a ball until it has no bounces left. */
    @ActorProtocol
    public interface PingPong {
        void ball(int remaining, PingPong partner);
    }

    /** Counts hits. */
    @ActorProtocol
    public interface Sink {
        void hit();
    }

    /** Answers an ask. */
    @ActorProtocol
    public interface Echo {
        CompletionStage<Integer> echo(int value);
    }

    /** Spawns and stops short-lived children. */
    @ActorProtocol
    public interface Spawner {
        void spawnAndStop(int count);
    }

    /** Does nothing: an idle actor. */
    @ActorProtocol
    public interface Idle {
        void poke();
    }
}
