package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.benchmarks.SavinaSystems.Outcome;
import io.spinoff.benchmarks.SavinaSystems.BaselineState;
import io.spinoff.benchmarks.SavinaSystems.PekkoState;
import io.spinoff.benchmarks.SavinaSystems.SpinoffState;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Savina's Fork Join (throughput): the time of one complete run, in which {@code A = 60} actors
 * each take {@code N = 10,000} messages (Savina's values), each message doing Savina's
 * {@code performComputation(37.2)} (the square of a sine), on Spinoff, on Pekko typed, and as a
 * plain-Java baseline on 2 threads.
 *
 * <p>Savina's algorithm: the driver thread sends, {@code N} times over, one message to each of
 * the {@code A} actors in turn (round-robin); an actor counts each message, does the computation,
 * and stops after its {@code N}-th. The actors are created inside each run, as Savina does, and the
 * run ends when all have stopped. Its result is the number of messages the actors handled, which
 * must be {@code A * N}.
 *
 * <p>Spinoff creates an actor from outside with a direct call; Pekko typed does it through an ask
 * of its guardian ({@link SpawnProtocol}), and the run sends those asks all at once and then
 * awaits them, so that creating the actors costs Pekko one round trip rather than {@code A}.
 *
 * <p>The baseline does the same {@code A * N} computations, without actors or messages, as two
 * tasks on a pool of 2 platform threads, each doing the messages of half of the actors.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SavinaForkJoinThroughput {

    /**
     * @param actors the actors of one run (Savina's {@code A})
     * @param messages the messages each actor takes (Savina's {@code N})
     * @param theta the argument of the computation each message does
     */
    record Params(int actors, int messages, double theta) {
        /** Savina's parameters. */
        static final Params SAVINA = new Params(60, 10_000, 37.2);

        long expected() {
            return (long) actors * messages;
        }
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
            throw new IllegalStateException("SavinaForkJoinThroughput: expected a positive square, got " + square);
        }
    }

    /**
     * @return {@code handled} when it is the number of messages of {@code params}
     * @throws IllegalStateException otherwise
     */
    static long check(Params params, long handled) {
        if (handled != params.expected()) {
            throw new IllegalStateException("SavinaForkJoinThroughput: expected " + params.expected()
                    + " messages handled, got " + handled);
        }
        return handled;
    }

    // ------------------------------------------------------------------ Spinoff

    /** The protocol of the actors of the benchmark. */
    @ActorProtocol
    public interface Worker {
        /** One message: a computation. */
        void work();
    }

    static final class SpinoffWorker extends Actor implements Worker {
        private final int messages;
        private final double theta;
        private final Outcome outcome;
        private int handled;

        SpinoffWorker(int messages, double theta, Outcome outcome) {
            this.messages = messages;
            this.theta = theta;
            this.outcome = outcome;
        }

        @Override
        public void work() {
            handled++;
            performComputation(theta);
            if (handled == messages) {
                context().stop(context().self());
            }
        }

        @Override
        protected void postStop() {
            outcome.stopped(handled);
        }
    }

    /** @return the messages handled in one run on {@code system}, checked */
    static long runSpinoff(ActorSystem system, Params params) {
        Outcome outcome = new Outcome(params.actors());
        Worker[] workers = new Worker[params.actors()];
        for (int i = 0; i < workers.length; i++) {
            workers[i] = system.spawn(Worker.class,
                    () -> new SpinoffWorker(params.messages(), params.theta(), outcome));
        }
        for (int m = 0; m < params.messages(); m++) {
            for (Worker worker : workers) {
                worker.work();
            }
        }
        return check(params, outcome.await());
    }

    // ------------------------------------------------------------------ Pekko

    /** One message to a Pekko actor of the benchmark: a computation. */
    enum Work { INSTANCE }

    private static final class PekkoWorker {
        private final int messages;
        private final double theta;
        private final Outcome outcome;
        private int handled;

        PekkoWorker(int messages, double theta, Outcome outcome) {
            this.messages = messages;
            this.theta = theta;
            this.outcome = outcome;
        }

        Behavior<Work> onMessage(ActorContext<Work> context, Work work) {
            handled++;
            performComputation(theta);
            return handled == messages ? Behaviors.stopped() : Behaviors.same();
        }

        Behavior<Work> onSignal(ActorContext<Work> context, Signal signal) {
            if (signal instanceof PostStop) {
                outcome.stopped(handled);
            }
            return Behaviors.same();
        }
    }

    static Behavior<Work> pekkoWorker(int messages, double theta, Outcome outcome) {
        return Behaviors.setup(context -> {
            PekkoWorker worker = new PekkoWorker(messages, theta, outcome);
            return Behaviors.receive(worker::onMessage, worker::onSignal);
        });
    }

    private static final AtomicInteger RUNS = new AtomicInteger();

    /** @return the actors of one run, spawned through the guardian with all the asks out at once */
    @SuppressWarnings("unchecked")
    static ActorRef<Work>[] spawnPekkoWorkers(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system,
            Params params, Outcome outcome) {
        int run = RUNS.incrementAndGet();
        List<CompletableFuture<ActorRef<Work>>> spawned = new ArrayList<>(params.actors());
        for (int i = 0; i < params.actors(); i++) {
            Behavior<Work> worker = pekkoWorker(params.messages(), params.theta(), outcome);
            String name = "worker-" + run + "-" + i;
            spawned.add(AskPattern.<SpawnProtocol.Command, ActorRef<Work>>ask(system,
                            replyTo -> new SpawnProtocol.Spawn<>(worker, name, Props.empty(), replyTo),
                            Duration.ofSeconds(60), system.scheduler())
                    .toCompletableFuture());
        }
        ActorRef<Work>[] workers = new ActorRef[params.actors()];
        for (int i = 0; i < workers.length; i++) {
            try {
                workers[i] = spawned.get(i).join();
            } catch (CompletionException e) {
                throw new IllegalStateException("SavinaForkJoinThroughput: Pekko did not spawn worker " + i
                        + " within 60 s", e.getCause());
            }
        }
        return workers;
    }

    /** @return the messages handled in one run on {@code system}, checked */
    static long runPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system, Params params) {
        Outcome outcome = new Outcome(params.actors());
        ActorRef<Work>[] workers = spawnPekkoWorkers(system, params, outcome);
        for (int m = 0; m < params.messages(); m++) {
            for (ActorRef<Work> worker : workers) {
                worker.tell(Work.INSTANCE);
            }
        }
        return check(params, outcome.await());
    }

    // ------------------------------------------------------------------ plain Java

    /** @return the computations done in one run on {@code pool} (2 threads), checked */
    static long runBaseline(ExecutorService pool, Params params) {
        List<Future<Long>> halves = new ArrayList<>(2);
        for (int half = 0; half < 2; half++) {
            int first = half;
            halves.add(pool.submit(() -> {
                long handled = 0;
                for (int actor = first; actor < params.actors(); actor += 2) {
                    for (int m = 0; m < params.messages(); m++) {
                        handled++;
                        performComputation(params.theta());
                    }
                }
                return handled;
            }));
        }
        long handled = 0;
        try {
            for (Future<Long> half : halves) {
                handled += half.get(60, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("SavinaForkJoinThroughput: the baseline did not finish within 60 s", e);
        }
        return check(params, handled);
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
