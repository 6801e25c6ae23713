package io.spinoff.benchmarks;

import io.spinoff.benchmarks.Protocols.Echo;
import io.spinoff.benchmarks.Protocols.Idle;
import io.spinoff.benchmarks.Protocols.PingPong;
import io.spinoff.benchmarks.Protocols.Sink;
import io.spinoff.benchmarks.Protocols.Spawner;
import io.spinoff.runtime.Actor;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** The Spinoff actors of the benchmarks; each mirrors a Pekko behaviour in {@link PekkoActors}. */
final class SpinoffActors {
    private SpinoffActors() {}

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
}
