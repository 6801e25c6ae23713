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

    /** Answers a request with a message to the given reference (a reply the asker receives). */
    @ActorProtocol
    public interface Responder {
        void request(int value, Replies replyTo);
    }

    /** Takes the replies of a {@link Responder}. */
    @ActorProtocol
    public interface Replies {
        void reply(int value);
    }

    /** Spawns and stops short-lived children. */
    @ActorProtocol
    public interface Spawner {
        void spawnAndStop(int count);
    }

    /**
     * The receiving actor of the remote tell benchmark: takes payloads and acknowledges them in
     * batches, so that the sender measures delivered messages.
     */
    @ActorProtocol
    public interface RemoteSink {
        /** Names the actor that gets the acknowledgements; sent once, before any payload. */
        void ackTo(RemoteAcks acks);

        /** One message of the benchmark, carrying {@link RemoteBenchmarks#PAYLOAD_BYTES} bytes. */
        void payload(byte[] data);
    }

    /** Takes the acknowledgements of a {@link RemoteSink}. */
    @ActorProtocol
    public interface RemoteAcks {
        /**
         * @param received payloads received so far
         * @param droppedFrames the receiving node's dropped frames so far
         * @param deadLetters the receiving node's dead letters so far
         */
        void acked(long received, long droppedFrames, long deadLetters);
    }

    /**
     * The receiving actor of the cluster tell benchmarks, an entity or a plain actor: like
     * {@link RemoteSink}, and it can be asked how many payloads it has received, so that the sender
     * knows it is reachable and set up before the measurement starts.
     */
    @ActorProtocol
    public interface CountingSink {
        /** Names the actor that gets the acknowledgements; sent once, before any payload. */
        void ackTo(RemoteAcks acks);

        /** One message of the benchmark, carrying {@link RemoteBenchmarks#PAYLOAD_BYTES} bytes. */
        void payload(byte[] data);

        /** @return the payloads received so far */
        CompletionStage<Long> received();
    }

    /** Does nothing: an idle actor. */
    @ActorProtocol
    public interface Idle {
        void poke();
    }
}
