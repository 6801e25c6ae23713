package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.benchmarks.SavinaSystems.PekkoState;
import io.spinoff.benchmarks.SavinaSystems.SpinoffState;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Savina's dining philosophers ({@code PhilosopherConfig}, the arbitrator version): one
 * invocation is one complete run, in milliseconds.
 *
 * <p>Parameters are Savina's: {@code N = 20} philosophers eat {@code M = 10,000} rounds each. Each
 * run spawns an arbitrator holding the {@code N} forks and, as its children, the philosophers (21
 * actors, stopped at the end of the run). A hungry philosopher asks the arbitrator for its two
 * forks by a message; the arbitrator answers "eat" (and takes both forks) or "denied" (one is in
 * use), and a denied philosopher asks again at once. After eating it hands the forks back and
 * becomes hungry again (through a message to itself), until it has eaten {@code M} times; then it
 * reports its eat and denial counts to the arbitrator and stops.
 *
 * <p>Checked: the eat counts add up to {@code N * M}. The invocation returns the number of
 * denied attempts (Savina's retry count), which depends on scheduling. There is no plain-Java
 * baseline: the benchmark carries no work per message, only the exchange with the arbitrator, so
 * a version without actors would measure a lock rather than the same computation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SavinaPhilosophers {

    private static final AtomicLong RUNS = new AtomicLong();

    /**
     * One run's parameters.
     *
     * @param philosophers philosophers, and forks
     * @param rounds times each philosopher eats
     */
    record Params(int philosophers, int rounds) {
        /** Savina's parameters. */
        static final Params SAVINA = new Params(20, 10_000);
    }

    /**
     * What a run counted.
     *
     * @param eats meals eaten, over all philosophers
     * @param denials attempts the arbitrator denied, over all philosophers
     */
    record Outcome(long eats, long denials) {}

    /**
     * @return the number of denied attempts, when the eat count is {@code N * M}
     * @throws IllegalStateException otherwise
     */
    static long check(Params p, Outcome outcome) {
        long expected = (long) p.philosophers() * p.rounds();
        if (outcome.eats() != expected) {
            throw new IllegalStateException("philosophers: expected " + expected + " meals, got " + outcome.eats());
        }
        return outcome.denials();
    }


    // ------------------------------------------------------------------ Spinoff

    /** A philosopher, answered by the arbitrator. */
    @ActorProtocol
    public interface Philosopher {
        /** Becomes hungry: asks the arbitrator for the forks. */
        void start();

        /** A fork was in use: asks again. */
        void denied();

        /** Has both forks: eats and hands them back. */
        void eat();
    }

    /** Holds the forks. */
    @ActorProtocol
    public interface Arbitrator {
        void hungry(Philosopher philosopher, int id);

        void done(int id);

        void exit(long eats, long denials);
    }

    static final class SpinoffPhilosopher extends Actor implements Philosopher {
        private final int id;
        private final int rounds;
        private final Arbitrator arbitrator;
        private Philosopher self;
        private long eats;
        private long denials;

        SpinoffPhilosopher(int id, int rounds, Arbitrator arbitrator) {
            this.id = id;
            this.rounds = rounds;
            this.arbitrator = arbitrator;
        }

        @Override
        protected void preStart() {
            self = context().self(Philosopher.class);
        }

        @Override
        public void start() {
            arbitrator.hungry(self, id);
        }

        @Override
        public void denied() {
            denials++;
            arbitrator.hungry(self, id);
        }

        @Override
        public void eat() {
            eats++;
            arbitrator.done(id);
            if (eats < rounds) {
                self.start();
            } else {
                arbitrator.exit(eats, denials);
                context().stop(self);
            }
        }
    }

    static final class SpinoffArbitrator extends Actor implements Arbitrator {
        private final Params p;
        private final CompletableFuture<Outcome> done;
        private final boolean[] forks;
        private int exited;
        private long eats;
        private long denials;

        SpinoffArbitrator(Params p, CompletableFuture<Outcome> done) {
            this.p = p;
            this.done = done;
            this.forks = new boolean[p.philosophers()];
        }

        @Override
        protected void preStart() {
            Arbitrator self = context().self(Arbitrator.class);
            for (int i = 0; i < p.philosophers(); i++) {
                int id = i;
                context().spawn(Philosopher.class, () -> new SpinoffPhilosopher(id, p.rounds(), self)).start();
            }
        }

        @Override
        public void hungry(Philosopher philosopher, int id) {
            int right = (id + 1) % forks.length;
            if (forks[id] || forks[right]) {
                philosopher.denied();
            } else {
                forks[id] = true;
                forks[right] = true;
                philosopher.eat();
            }
        }

        @Override
        public void done(int id) {
            forks[id] = false;
            forks[(id + 1) % forks.length] = false;
        }

        @Override
        public void exit(long eaten, long denied) {
            eats += eaten;
            denials += denied;
            if (++exited == p.philosophers()) {
                context().stop(context().self());
            }
        }

        @Override
        protected void postStop() {
            done.complete(new Outcome(eats, denials));
        }
    }

    /** @return the denied attempts of one checked run on Spinoff */
    static long runSpinoff(ActorSystem system, Params p) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        system.spawn(Arbitrator.class, () -> new SpinoffArbitrator(p, done));
        return check(p, SavinaSystems.await("philosophers", done));
    }

    // ------------------------------------------------------------------ Pekko

    /** A message to a Pekko philosopher. */
    enum PhilosopherMessage { START, DENIED, EAT }

    /** A message to the Pekko arbitrator. */
    sealed interface ArbitratorMessage permits Hungry, Done, Exit {}

    record Hungry(ActorRef<PhilosopherMessage> philosopher, int id) implements ArbitratorMessage {}

    record Done(int id) implements ArbitratorMessage {}

    record Exit(long eats, long denials) implements ArbitratorMessage {}

    static Behavior<PhilosopherMessage> pekkoPhilosopher(int id, int rounds, ActorRef<ArbitratorMessage> arbitrator) {
        return Behaviors.setup(context -> {
            PekkoPhilosopher philosopher = new PekkoPhilosopher(context, id, rounds, arbitrator);
            return Behaviors.receiveMessage(philosopher::onMessage);
        });
    }

    private static final class PekkoPhilosopher {
        private final ActorContext<PhilosopherMessage> context;
        private final int rounds;
        private final ActorRef<ArbitratorMessage> arbitrator;
        private final Hungry hungry;
        private final Done done;
        private long eats;
        private long denials;

        PekkoPhilosopher(ActorContext<PhilosopherMessage> context, int id, int rounds,
                ActorRef<ArbitratorMessage> arbitrator) {
            this.context = context;
            this.rounds = rounds;
            this.arbitrator = arbitrator;
            this.hungry = new Hungry(context.getSelf(), id);
            this.done = new Done(id);
        }

        Behavior<PhilosopherMessage> onMessage(PhilosopherMessage message) {
            switch (message) {
                case START -> arbitrator.tell(hungry);
                case DENIED -> {
                    denials++;
                    arbitrator.tell(hungry);
                }
                case EAT -> {
                    eats++;
                    arbitrator.tell(done);
                    if (eats == rounds) {
                        arbitrator.tell(new Exit(eats, denials));
                        return Behaviors.stopped();
                    }
                    context.getSelf().tell(PhilosopherMessage.START);
                }
            }
            return Behaviors.same();
        }
    }

    static Behavior<ArbitratorMessage> pekkoArbitrator(Params p, CompletableFuture<Outcome> done) {
        return Behaviors.setup(context -> {
            for (int i = 0; i < p.philosophers(); i++) {
                context.spawnAnonymous(pekkoPhilosopher(i, p.rounds(), context.getSelf()))
                        .tell(PhilosopherMessage.START);
            }
            boolean[] forks = new boolean[p.philosophers()];
            int[] exited = {0};
            long[] eats = {0};
            long[] denials = {0};
            return Behaviors.receiveMessage(message -> {
                switch (message) {
                    case Hungry hungry -> {
                        int id = hungry.id();
                        int right = (id + 1) % forks.length;
                        if (forks[id] || forks[right]) {
                            hungry.philosopher().tell(PhilosopherMessage.DENIED);
                        } else {
                            forks[id] = true;
                            forks[right] = true;
                            hungry.philosopher().tell(PhilosopherMessage.EAT);
                        }
                    }
                    case Done released -> {
                        forks[released.id()] = false;
                        forks[(released.id() + 1) % forks.length] = false;
                    }
                    case Exit exit -> {
                        eats[0] += exit.eats();
                        denials[0] += exit.denials();
                        if (++exited[0] == p.philosophers()) {
                            Outcome outcome = new Outcome(eats[0], denials[0]);
                            return Behaviors.stopped(() -> done.complete(outcome));
                        }
                    }
                }
                return Behaviors.same();
            });
        });
    }

    /** @return the denied attempts of one checked run on Pekko */
    static long runPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system, Params p) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        PekkoActors.spawn(system, pekkoArbitrator(p, done), "philosophers-" + RUNS.incrementAndGet());
        return check(p, SavinaSystems.await("philosophers", done));
    }

    // ------------------------------------------------------------------ JMH

    @Benchmark
    public long spinoff(SpinoffState state) {
        return runSpinoff(state.system, Params.SAVINA);
    }

    @Benchmark
    public long pekko(PekkoState state) {
        return runPekko(state.system, Params.SAVINA);
    }
}
