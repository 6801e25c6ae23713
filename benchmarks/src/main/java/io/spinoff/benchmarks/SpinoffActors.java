package io.spinoff.benchmarks;

import io.spinoff.benchmarks.Protocols.CountingSink;
import io.spinoff.benchmarks.Protocols.Echo;
import io.spinoff.benchmarks.Protocols.Idle;
import io.spinoff.benchmarks.Protocols.PingPong;
import io.spinoff.benchmarks.Protocols.RemoteAcks;
import io.spinoff.benchmarks.Protocols.RemoteSink;
import io.spinoff.benchmarks.Protocols.Sink;
import io.spinoff.benchmarks.Protocols.Spawner;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.ActorSystemMetrics;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/** The Spinoff actors of the benchmarks; each mirrors a Pekko behaviour in {@link PekkoActors}. */
final class SpinoffActors {
    private SpinoffActors() {}

    /**
     * The messages-per-turn settings Spinoff is measured with (the same numbers as Pekko's
     * fork-join settings in {@link PekkoActors#EXECUTORS}).
     */
    static final int[] THROUGHPUTS = {5, 64, 256};

    /** @return a system on a pool of 2 threads handling up to {@code throughput} messages per turn */
    static ActorSystem system(String name, int throughput) {
        return ActorSystem.builder(name).parallelism(2).throughput(throughput).build();
    }

    static final class Player extends Actor implements PingPong {
        private final AtomicReference<CountDownLatch> done;
        private PingPong self;

        Player(AtomicReference<CountDownLatch> done) {
            this.done = done;
        }

        @Override
        protected void preStart() {
            self = context().self(PingPong.class);
        }

        @Override
        public void ball(int remaining, PingPong partner) {
            if (remaining == 0) {
                done.get().countDown();
            } else {
                partner.ball(remaining - 1, self);
            }
        }
    }

    static final class Counter implements Sink {
        private final AtomicReference<CountDownLatch> done;
        private final int target;
        private int hits;

        Counter(AtomicReference<CountDownLatch> done, int target) {
            this.done = done;
            this.target = target;
        }

        @Override
        public void hit() {
            if (++hits == target) {
                hits = 0;
                done.get().countDown();
            }
        }
    }

    static final class Echoer implements Echo {
        @Override
        public CompletionStage<Integer> echo(int value) {
            return CompletableFuture.completedFuture(value);
        }
    }

    static final class Ephemeral extends Actor implements Idle {
        private final AtomicReference<CountDownLatch> done;

        Ephemeral(AtomicReference<CountDownLatch> done) {
            this.done = done;
        }

        @Override
        public void poke() {
            // idle
        }

        @Override
        protected void postStop() {
            done.get().countDown();
        }
    }

    static final class Parent extends Actor implements Spawner {
        private final AtomicReference<CountDownLatch> done;

        Parent(AtomicReference<CountDownLatch> done) {
            this.done = done;
        }

        @Override
        public void spawnAndStop(int count) {
            for (int i = 0; i < count; i++) {
                Idle child = context().spawn(Idle.class, () -> new Ephemeral(done));
                context().stop(child);
            }
        }
    }

    static final class Sleeper implements Idle {
        @Override
        public void poke() {
            // idle
        }
    }

    /**
     * The receiving side of the remote tell benchmark, on the second node: counts payloads and
     * acknowledges every {@link RemoteBenchmarks#ACK_EVERY}, with the node's drop counters.
     */
    static final class RemoteCounter implements RemoteSink {
        private final ActorSystemMetrics metrics;
        private final int payloadBytes;
        private RemoteAcks acks;
        private long received;

        /** @param payloadBytes the size every payload must have */
        RemoteCounter(ActorSystemMetrics metrics, int payloadBytes) {
            this.metrics = metrics;
            this.payloadBytes = payloadBytes;
        }

        @Override
        public void ackTo(RemoteAcks acks) {
            this.acks = acks;
        }

        @Override
        public void payload(byte[] data) {
            if (data.length != payloadBytes) {
                throw new IllegalStateException("A payload of " + data.length + " bytes arrived instead of "
                        + payloadBytes + ".");
            }
            if (++received % RemoteBenchmarks.ACK_EVERY == 0) {
                acks.acked(received, metrics.droppedFrames(), metrics.deadLetters());
            }
        }
    }

    /**
     * The sending side's end of the acknowledgements: each gives the sender back the credit of
     * {@link RemoteBenchmarks#ACK_EVERY} messages, and records the largest drop
     * count any receiving node reported (its dropped frames and dead letters).
     */
    static final class AckCounter implements RemoteAcks {
        private final Semaphore credits;
        private final AtomicLong remoteLosses;

        AckCounter(Semaphore credits, AtomicLong remoteLosses) {
            this.credits = credits;
            this.remoteLosses = remoteLosses;
        }

        @Override
        public void acked(long received, long droppedFrames, long deadLetters) {
            // Several peers may acknowledge here: keep the largest loss any of them reported.
            remoteLosses.accumulateAndGet(droppedFrames + deadLetters, Math::max);
            credits.release(RemoteBenchmarks.ACK_EVERY);
        }
    }

    /**
     * The receiving side of the cluster tell benchmarks, on the hosting node, as an entity or as a
     * plain actor: counts payloads and acknowledges every {@link RemoteBenchmarks#ACK_EVERY}, with
     * the node's drop counters, like {@link RemoteCounter}.
     */
    static final class ClusterCounter extends Actor implements CountingSink {
        private final ActorSystemMetrics metrics;
        private RemoteAcks acks;
        private long received;

        ClusterCounter(ActorSystemMetrics metrics) {
            this.metrics = metrics;
        }

        @Override
        public void ackTo(RemoteAcks acks) {
            this.acks = acks;
        }

        @Override
        public void payload(byte[] data) {
            if (data.length != RemoteBenchmarks.PAYLOAD_BYTES) {
                throw new IllegalStateException("A payload of " + data.length + " bytes arrived instead of "
                        + RemoteBenchmarks.PAYLOAD_BYTES + ".");
            }
            if (++received % RemoteBenchmarks.ACK_EVERY == 0) {
                acks.acked(received, metrics.droppedFrames(), metrics.deadLetters());
            }
        }

        @Override
        public CompletionStage<Long> received() {
            return CompletableFuture.completedFuture(received);
        }
    }

    /** {@link Echoer} as an {@link Actor}, so that it can be an entity as well as a plain actor. */
    static final class EchoActor extends Actor implements Echo {
        @Override
        public CompletionStage<Integer> echo(int value) {
            return CompletableFuture.completedFuture(value);
        }
    }

    /** Answers each request by telling the requester the value back. */
    static final class ResponderActor extends Actor implements Protocols.Responder {
        @Override
        public void request(int value, Protocols.Replies replyTo) {
            replyTo.reply(value);
        }
    }
}
