package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.benchmarks.SavinaSystems.PekkoState;
import io.spinoff.benchmarks.SavinaSystems.SpinoffState;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Savina's Fibonacci ({@code fib}): fib(N) computed by one actor per call of the naive recursion.
 * An actor asked for fib(n), n &gt; 2, spawns two children, asks them for fib(n - 1) and
 * fib(n - 2), sums their two replies and replies to its parent; an actor asked for n &le; 2
 * replies 1. Every actor stops itself once it has replied. Savina's {@code FibonacciConfig} has
 * N = 25 (150,049 actors per run; fib(25) = 75,025); here N = 22 on both sides (35,421 actors
 * spawned and stopped per run; fib(22) = 17,711), since a run of Savina's size took several
 * seconds on the 2-core machine the benchmarks run on.
 *
 * <p>The benchmark measures actor creation and teardown more than messaging. One invocation is
 * one complete run, as in Savina: the root actor is spawned, takes the request for fib(N), and
 * the invocation ends when the root's post-stop hook has run, that is once every actor of the
 * run has stopped. The children are spawned as children of the actor that asks them
 * (Spinoff's {@code context().spawn}, Pekko's {@code context.spawnAnonymous}).
 *
 * <p>Baseline: the same recursion in plain Java on a {@link ForkJoinPool} of 2 threads, one
 * {@link RecursiveTask} per call: a task for n &gt; 2 forks the task for n - 1, computes the task
 * for n - 2 itself and joins the first.
 *
 * <p>Result: fib(N), checked against an iterative computation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SavinaFibonacci {

    /** The parameters measured: N scaled down from Savina's 25 (see the class comment). */
    static final Params PARAMS = new Params(22);

    /** @param n the index of the Fibonacci number to compute (N) */
    record Params(int n) {
        /** @return fib(n), with fib(1) = fib(2) = 1, computed by a loop */
        long expectedValue() {
            long previous = 0;
            long current = 1;
            for (int i = 1; i < n; i++) {
                long next = previous + current;
                previous = current;
                current = next;
            }
            return current;
        }
    }

    /**
     * @return {@code value} when it is fib(N)
     * @throws IllegalStateException otherwise
     */
    static long check(Params params, long value) {
        if (value != params.expectedValue()) {
            throw new IllegalStateException(
                    "Fibonacci: expected fib(" + params.n() + ") = " + params.expectedValue() + ", got " + value);
        }
        return value;
    }


    // ------------------------------------------------------------------ Spinoff

    /** One call of the recursion. */
    @ActorProtocol
    public interface Fib {
        /** Asks for fib(n). */
        void request(int n);

        /** A child's reply. */
        void response(long value);
    }

    /**
     * One call of the recursion: replies to its parent, or, for the root (no parent), keeps the
     * value and completes the run's result once the whole tree has stopped.
     */
    static final class SpinoffFib extends Actor implements Fib {
        private final Fib parent;
        private final CompletableFuture<Long> result;
        private int responses;
        private long value;

        private SpinoffFib(Fib parent, CompletableFuture<Long> result) {
            this.parent = parent;
            this.result = result;
        }

        static SpinoffFib root(CompletableFuture<Long> result) {
            return new SpinoffFib(null, result);
        }

        static SpinoffFib child(Fib parent) {
            return new SpinoffFib(parent, null);
        }

        @Override
        public void request(int n) {
            if (n <= 2) {
                reply(1);
            } else {
                Fib self = context().self(Fib.class);
                context().spawn(Fib.class, () -> child(self)).request(n - 1);
                context().spawn(Fib.class, () -> child(self)).request(n - 2);
            }
        }

        @Override
        public void response(long childValue) {
            value += childValue;
            if (++responses == 2) {
                reply(value);
            }
        }

        private void reply(long reply) {
            value = reply;
            if (parent != null) {
                parent.response(reply);
            }
            context().stop(context().self());
        }

        @Override
        protected void postStop() {
            if (result != null) {
                result.complete(value);
            }
        }
    }

    /** @return fib(N) from one complete run on {@code system}, checked */
    static long runSpinoff(ActorSystem system, Params params) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        system.spawn(Fib.class, () -> SpinoffFib.root(result)).request(params.n());
        return check(params, SavinaSystems.await("Fibonacci", result));
    }

    // ------------------------------------------------------------------ Pekko

    /** A message to one call of the recursion. */
    sealed interface FibMessage permits Request, Response {}

    record Request(int n) implements FibMessage {}

    record Response(long value) implements FibMessage {}

    /**
     * The root of a run: asks itself for fib(n), and completes {@code result} once the whole tree
     * has stopped.
     */
    static Behavior<FibMessage> pekkoRoot(int n, CompletableFuture<Long> result) {
        return Behaviors.setup(context -> {
            context.getSelf().tell(new Request(n));
            return new PekkoFib(context, null, result).behavior();
        });
    }

    static Behavior<FibMessage> pekkoChild(ActorRef<FibMessage> parent) {
        return Behaviors.setup(context -> new PekkoFib(context, parent, null).behavior());
    }

    /** The state of one Pekko call, behind its behaviour; like {@link SpinoffFib}. */
    private static final class PekkoFib {
        private final ActorContext<FibMessage> context;
        private final ActorRef<FibMessage> parent;
        private final CompletableFuture<Long> result;
        private int responses;
        private long value;

        PekkoFib(ActorContext<FibMessage> context, ActorRef<FibMessage> parent, CompletableFuture<Long> result) {
            this.context = context;
            this.parent = parent;
            this.result = result;
        }

        Behavior<FibMessage> behavior() {
            return Behaviors.receive(FibMessage.class)
                    .onMessage(Request.class, this::onRequest)
                    .onMessage(Response.class, this::onResponse)
                    .onSignal(PostStop.class, signal -> {
                        if (result != null) {
                            result.complete(value);
                        }
                        return Behaviors.same();
                    })
                    .build();
        }

        private Behavior<FibMessage> onRequest(Request request) {
            if (request.n() <= 2) {
                return reply(1);
            }
            ActorRef<FibMessage> self = context.getSelf();
            context.spawnAnonymous(pekkoChild(self)).tell(new Request(request.n() - 1));
            context.spawnAnonymous(pekkoChild(self)).tell(new Request(request.n() - 2));
            return Behaviors.same();
        }

        private Behavior<FibMessage> onResponse(Response response) {
            value += response.value();
            return ++responses == 2 ? reply(value) : Behaviors.same();
        }

        private Behavior<FibMessage> reply(long reply) {
            value = reply;
            if (parent != null) {
                parent.tell(new Response(reply));
            }
            return Behaviors.stopped();
        }
    }

    /** @return fib(N) from one complete run on {@code system}, checked */
    static long runPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system, Params params) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        system.tell(new SpawnProtocol.Spawn<>(pekkoRoot(params.n(), result), "", Props.empty(), system.ignoreRef()));
        return check(params, SavinaSystems.await("Fibonacci", result));
    }

    // ------------------------------------------------------------------ baseline

    /** One call of the recursion as a fork-join task. */
    static final class FibTask extends RecursiveTask<Long> {
        private final int n;

        FibTask(int n) {
            this.n = n;
        }

        @Override
        protected Long compute() {
            if (n <= 2) {
                return 1L;
            }
            FibTask first = new FibTask(n - 1);
            first.fork();
            return new FibTask(n - 2).compute() + first.join();
        }
    }

    /** @return fib(N) computed on {@code pool}, checked */
    static long runBaseline(ForkJoinPool pool, Params params) {
        return check(params, pool.invoke(new FibTask(params.n())));
    }

    // ------------------------------------------------------------------ JMH

    /** The baseline's pool: 2 threads, like the actor systems'. */
    @State(Scope.Benchmark)
    public static class BaselineState {
        ForkJoinPool pool;

        @Setup(Level.Trial)
        public void setUp() {
            pool = new ForkJoinPool(2);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            pool.shutdown();
        }
    }

    /** @return fib(N) from one run */
    @Benchmark
    public long spinoff(SpinoffState state) {
        return runSpinoff(state.system, PARAMS);
    }

    /** @return fib(N) from one run */
    @Benchmark
    public long pekko(PekkoState state) {
        return runPekko(state.system, PARAMS);
    }

    /** @return fib(N) from one run */
    @Benchmark
    public long baseline(BaselineState state) {
        return runBaseline(state.pool, PARAMS);
    }
}
