package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.benchmarks.SavinaSystems.PekkoState;
import io.spinoff.benchmarks.SavinaSystems.SpinoffState;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Savina's Thread Ring ({@code threadring}): {@code N} actors in a ring pass a token around for
 * {@code R} hops; then an exit token goes once around the ring and stops each member. Savina's
 * {@code ThreadRingConfig}: N = 100 actors, R = 100,000 hops.
 *
 * <p>One invocation is one complete run, actors included, as in Savina: a root actor is spawned,
 * spawns the N members as its children, tells each its successor and gives the first the token.
 * The member that takes the token with no hops left starts the exit token, which sums the pings
 * each member handled on its way round; the last member hands the sum to the root and every member
 * stops itself after passing the exit token on. The root then stops, and the invocation ends when
 * the root's post-stop hook has run, that is once every actor of the run has stopped.
 *
 * <p>Result: the pings handled by all members, R + 1 (the hops from R down to 0).
 *
 * <p>No baseline: the benchmark is pure messaging, with no work per message that plain Java could
 * do in its place.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SavinaThreadRing {

    /** Savina's parameters. */
    static final Params SAVINA = new Params(100, 100_000);

    /**
     * @param actors the members of the ring (N)
     * @param hops the hops of the token (R)
     */
    record Params(int actors, int hops) {
        /** @return the pings the members handle in all: one per hop, and the last with none left */
        long expectedPings() {
            return hops + 1L;
        }
    }

    /**
     * @return {@code pings} when it is what the run must count
     * @throws IllegalStateException otherwise
     */
    static long check(Params params, long pings) {
        if (pings != params.expectedPings()) {
            throw new IllegalStateException("Thread Ring: expected " + params.expectedPings() + " pings, got " + pings);
        }
        return pings;
    }


    // ------------------------------------------------------------------ Spinoff

    /** A member of the ring. */
    @ActorProtocol
    public interface RingMember {
        /** Names the member's successor (Savina's data message). */
        void next(RingMember next);

        /** The token, with the hops it has still to make. */
        void ping(int pingsLeft);

        /**
         * The exit token: the member adds its pings, passes it on and stops.
         *
         * @param exitsLeft the members still to stop, this one included
         * @param pingsSoFar the pings handled by the members already stopped
         */
        void exit(int exitsLeft, long pingsSoFar);
    }

    /** The root of a run: takes the pings counted by the exit token. */
    @ActorProtocol
    public interface RingMaster {
        void done(long pings);
    }

    static final class SpinoffMaster extends Actor implements RingMaster {
        private final Params params;
        private final CompletableFuture<Long> result;
        private long pings = -1;

        SpinoffMaster(Params params, CompletableFuture<Long> result) {
            this.params = params;
            this.result = result;
        }

        @Override
        protected void preStart() {
            RingMaster self = context().self(RingMaster.class);
            int size = params.actors();
            RingMember[] ring = new RingMember[size];
            for (int i = 0; i < size; i++) {
                ring[i] = context().spawn(RingMember.class, () -> new SpinoffMember(self, size));
            }
            for (int i = 0; i < size; i++) {
                ring[i].next(ring[(i + 1) % size]);
            }
            ring[0].ping(params.hops());
        }

        @Override
        public void done(long pings) {
            this.pings = pings;
            context().stop(context().self());
        }

        @Override
        protected void postStop() {
            result.complete(pings);
        }
    }

    static final class SpinoffMember extends Actor implements RingMember {
        private final RingMaster master;
        private final int ringSize;
        private RingMember next;
        private long pings;

        SpinoffMember(RingMaster master, int ringSize) {
            this.master = master;
            this.ringSize = ringSize;
        }

        @Override
        public void next(RingMember next) {
            this.next = next;
        }

        @Override
        public void ping(int pingsLeft) {
            pings++;
            if (pingsLeft > 0) {
                next.ping(pingsLeft - 1);
            } else {
                next.exit(ringSize, 0);
            }
        }

        @Override
        public void exit(int exitsLeft, long pingsSoFar) {
            long total = pingsSoFar + pings;
            if (exitsLeft > 1) {
                next.exit(exitsLeft - 1, total);
            } else {
                master.done(total);
            }
            context().stop(context().self());
        }
    }

    /** @return the pings of one complete run on {@code system}, checked */
    static long runSpinoff(ActorSystem system, Params params) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        system.spawn(RingMaster.class, () -> new SpinoffMaster(params, result));
        return check(params, SavinaSystems.await("Thread Ring", result));
    }

    // ------------------------------------------------------------------ Pekko

    /** A message to a member of the ring. */
    sealed interface RingMessage permits Next, Ping, Exit {}

    record Next(ActorRef<RingMessage> next) implements RingMessage {}

    record Ping(int pingsLeft) implements RingMessage {}

    record Exit(int exitsLeft, long pingsSoFar) implements RingMessage {}

    /** To the root of a run: the pings counted by the exit token. */
    record Done(long pings) {}

    static Behavior<Done> pekkoMaster(Params params, CompletableFuture<Long> result) {
        return Behaviors.setup(context -> {
            int size = params.actors();
            @SuppressWarnings("unchecked")
            ActorRef<RingMessage>[] ring = new ActorRef[size];
            for (int i = 0; i < size; i++) {
                ring[i] = context.spawnAnonymous(pekkoMember(context.getSelf(), size));
            }
            for (int i = 0; i < size; i++) {
                ring[i].tell(new Next(ring[(i + 1) % size]));
            }
            ring[0].tell(new Ping(params.hops()));
            long[] pings = {-1};
            return Behaviors.receive(Done.class)
                    .onMessage(Done.class, done -> {
                        pings[0] = done.pings();
                        return Behaviors.stopped();
                    })
                    .onSignal(PostStop.class, signal -> {
                        result.complete(pings[0]);
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    static Behavior<RingMessage> pekkoMember(ActorRef<Done> master, int ringSize) {
        return Behaviors.setup(context -> new PekkoMember(master, ringSize).behavior());
    }

    /** The state of a Pekko ring member, behind its behaviour. */
    private static final class PekkoMember {
        private final ActorRef<Done> master;
        private final int ringSize;
        private ActorRef<RingMessage> next;
        private long pings;

        PekkoMember(ActorRef<Done> master, int ringSize) {
            this.master = master;
            this.ringSize = ringSize;
        }

        Behavior<RingMessage> behavior() {
            return Behaviors.receive(RingMessage.class)
                    .onMessage(Next.class, this::onNext)
                    .onMessage(Ping.class, this::onPing)
                    .onMessage(Exit.class, this::onExit)
                    .build();
        }

        private Behavior<RingMessage> onNext(Next message) {
            next = message.next();
            return Behaviors.same();
        }

        private Behavior<RingMessage> onPing(Ping ping) {
            pings++;
            if (ping.pingsLeft() > 0) {
                next.tell(new Ping(ping.pingsLeft() - 1));
            } else {
                next.tell(new Exit(ringSize, 0));
            }
            return Behaviors.same();
        }

        private Behavior<RingMessage> onExit(Exit exit) {
            long total = exit.pingsSoFar() + pings;
            if (exit.exitsLeft() > 1) {
                next.tell(new Exit(exit.exitsLeft() - 1, total));
            } else {
                master.tell(new Done(total));
            }
            return Behaviors.stopped();
        }
    }

    /** @return the pings of one complete run on {@code system}, checked */
    static long runPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system, Params params) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        system.tell(new SpawnProtocol.Spawn<>(pekkoMaster(params, result), "", Props.empty(), system.ignoreRef()));
        return check(params, SavinaSystems.await("Thread Ring", result));
    }

    // ------------------------------------------------------------------ JMH

    /** @return the pings of one run */
    @Benchmark
    public long spinoff(SpinoffState state) {
        return runSpinoff(state.system, SAVINA);
    }

    /** @return the pings of one run */
    @Benchmark
    public long pekko(PekkoState state) {
        return runPekko(state.system, SAVINA);
    }
}
