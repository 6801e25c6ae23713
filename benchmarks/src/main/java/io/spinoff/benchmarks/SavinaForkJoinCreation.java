package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.benchmarks.SavinaSystems.Outcome;
import io.spinoff.benchmarks.SavinaSystems.BaselineState;
import io.spinoff.benchmarks.SavinaSystems.PekkoState;
import io.spinoff.benchmarks.SavinaSystems.SpinoffState;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Signal;
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
 * Savina's Fork Join (actor creation): the time of one complete run, in which {@code N = 40,000}
 * actors (Savina's value) are each created, sent one message that does Savina's
 * {@code performComputation(37.2)} (the square of a sine), and stopped, on Spinoff, on Pekko typed,
 * and as a plain-Java baseline on 2 threads.
 *
 * <p>Savina's algorithm: a loop creates an actor and sends it one message, {@code N} times; each
 * actor does the computation on its message and stops. Savina runs the loop on the driver thread;
 * here it runs in a creator actor on both sides, because Pekko typed creates actors only from an
 * actor (creating one from outside is an ask of the guardian): the driver sends the creator one
 * message with {@code N}, and the creator's handler runs the loop, spawning its children. The run
 * ends when all {@code N} children have stopped; the creator, created for the run, is then stopped
 * too. The result is the number of computations the children did, which must be {@code N}.
 *
 * <p>The baseline does the same {@code N} computations, without actors, as {@code N} tasks
 * submitted to a pool of 2 platform threads: a task for each actor.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SavinaForkJoinCreation {

    /**
     * @param actors the actors created in one run (Savina's {@code N})
     * @param theta the argument of the computation each actor does
     */
    record Params(int actors, double theta) {
        /** Savina's parameters. */
        static final Params SAVINA = new Params(40_000, 37.2);
    }

    /**
     * Savina's work per message: the square of a sine, checked so that it cannot be left out.
     *
     * @throws IllegalStateException if the square is not positive
     */
    static void performComputation(double theta) {
        double sine = Math.sin(theta);
        double square = sine * sine;
        if (square <= 0) {
            throw new IllegalStateException("SavinaForkJoinCreation: expected a positive square, got " + square);
        }
    }

    /**
     * @return {@code computed} when it is the number of actors of {@code params}
     * @throws IllegalStateException otherwise
     */
    static long check(Params params, long computed) {
        if (computed != params.actors()) {
            throw new IllegalStateException("SavinaForkJoinCreation: expected " + params.actors()
                    + " computations, got " + computed);
        }
        return computed;
    }

    // ------------------------------------------------------------------ Spinoff

    /** The creator's protocol. */
    @ActorProtocol
    public interface Creator {
        /** Creates {@code count} actors, sending each one message. */
        void create(int count);
    }

    /** The protocol of the created actors. */
    @ActorProtocol
    public interface Forked {
        /** The one message: a computation, then the actor stops. */
        void compute();
    }

    static final class SpinoffCreator extends Actor implements Creator {
        private final double theta;
        private final Outcome children;
        private final Outcome self;

        SpinoffCreator(double theta, Outcome children, Outcome self) {
            this.theta = theta;
            this.children = children;
            this.self = self;
        }

        @Override
        public void create(int count) {
            for (int i = 0; i < count; i++) {
                context().spawn(Forked.class, () -> new SpinoffForked(theta, children)).compute();
            }
        }

        @Override
        protected void postStop() {
            self.stopped(0);
        }
    }

    static final class SpinoffForked extends Actor implements Forked {
        private final double theta;
        private final Outcome outcome;
        private int computed;

        SpinoffForked(double theta, Outcome outcome) {
            this.theta = theta;
            this.outcome = outcome;
        }

        @Override
        public void compute() {
            performComputation(theta);
            computed++;
            context().stop(context().self());
        }

        @Override
        protected void postStop() {
            outcome.stopped(computed);
        }
    }

    /** @return the computations done in one run on {@code system}, checked */
    static long runSpinoff(ActorSystem system, Params params) {
        Outcome children = new Outcome(params.actors());
        Outcome self = new Outcome(1);
        Creator creator = system.spawn(Creator.class, () -> new SpinoffCreator(params.theta(), children, self));
        creator.create(params.actors());
        long computed = children.await();
        system.stop(creator);
        self.await();
        return check(params, computed);
    }

    // ------------------------------------------------------------------ Pekko

    /** A message to the Pekko creator. */
    sealed interface CreatorMessage permits Create, Finish {}

    /** Creates {@code count} actors, sending each one message. */
    record Create(int count) implements CreatorMessage {}

    /** Stops the creator, once its children have stopped. */
    enum Finish implements CreatorMessage { INSTANCE }

    /** The one message to a created Pekko actor: a computation, then the actor stops. */
    enum Compute { INSTANCE }

    private static final class PekkoCreator {
        private final double theta;
        private final Outcome children;
        private final Outcome self;

        PekkoCreator(double theta, Outcome children, Outcome self) {
            this.theta = theta;
            this.children = children;
            this.self = self;
        }

        Behavior<CreatorMessage> onMessage(ActorContext<CreatorMessage> context, CreatorMessage message) {
            switch (message) {
                case Create create -> {
                    for (int i = 0; i < create.count(); i++) {
                        context.spawnAnonymous(pekkoForked(theta, children)).tell(Compute.INSTANCE);
                    }
                    return Behaviors.same();
                }
                case Finish finish -> {
                    return Behaviors.stopped();
                }
            }
        }

        Behavior<CreatorMessage> onSignal(ActorContext<CreatorMessage> context, Signal signal) {
            if (signal instanceof PostStop) {
                self.stopped(0);
            }
            return Behaviors.same();
        }
    }

    private static final class PekkoForked {
        private final double theta;
        private final Outcome outcome;
        private int computed;

        PekkoForked(double theta, Outcome outcome) {
            this.theta = theta;
            this.outcome = outcome;
        }

        Behavior<Compute> onMessage(ActorContext<Compute> context, Compute compute) {
            performComputation(theta);
            computed++;
            return Behaviors.stopped();
        }

        Behavior<Compute> onSignal(ActorContext<Compute> context, Signal signal) {
            if (signal instanceof PostStop) {
                outcome.stopped(computed);
            }
            return Behaviors.same();
        }
    }

    static Behavior<CreatorMessage> pekkoCreator(double theta, Outcome children, Outcome self) {
        return Behaviors.setup(context -> {
            PekkoCreator creator = new PekkoCreator(theta, children, self);
            return Behaviors.receive(creator::onMessage, creator::onSignal);
        });
    }

    /** @return a fresh behaviour (its state is its own) for one created actor */
    static Behavior<Compute> pekkoForked(double theta, Outcome outcome) {
        PekkoForked forked = new PekkoForked(theta, outcome);
        return Behaviors.receive(forked::onMessage, forked::onSignal);
    }

    private static final AtomicInteger RUNS = new AtomicInteger();

    /** @return the computations done in one run on {@code system}, checked */
    static long runPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system, Params params) {
        Outcome children = new Outcome(params.actors());
        Outcome self = new Outcome(1);
        ActorRef<CreatorMessage> creator = PekkoActors.spawn(system,
                pekkoCreator(params.theta(), children, self), "creator-" + RUNS.incrementAndGet());
        creator.tell(new Create(params.actors()));
        long computed = children.await();
        creator.tell(Finish.INSTANCE);
        self.await();
        return check(params, computed);
    }

    // ------------------------------------------------------------------ plain Java

    /** @return the computations done in one run on {@code pool} (2 threads), checked */
    static long runBaseline(ExecutorService pool, Params params) {
        CountDownLatch done = new CountDownLatch(params.actors());
        LongAdder computed = new LongAdder();
        double theta = params.theta();
        for (int i = 0; i < params.actors(); i++) {
            pool.execute(() -> {
                performComputation(theta);
                computed.increment();
                done.countDown();
            });
        }
        ActorBenchmarks.await(done);
        return check(params, computed.sum());
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

    @Benchmark
    public long baseline(BaselineState state) {
        return runBaseline(state.pool, Params.SAVINA);
    }
}
