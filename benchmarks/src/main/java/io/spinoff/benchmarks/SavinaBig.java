package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.benchmarks.SavinaSystems.PekkoState;
import io.spinoff.benchmarks.SavinaSystems.SpinoffState;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
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
 * Savina's Big ({@code big}): W actors each send N pings, one at a time, to neighbours picked at
 * random among all W (itself included); a pinged actor answers with a pong, and the pong triggers
 * the next ping. Savina's {@code BigConfig} has N = 20,000 pings per actor and W = 120 actors;
 * here N = 4,000 and W = 120 on both sides, since a run of Savina's size took several seconds on
 * the 2-core machine the benchmarks run on (0.96 million messages per run instead of 4.8).
 *
 * <p>One invocation is one complete run, actors included, as in Savina: a sink actor is spawned,
 * spawns the W workers as its children, sends each the list of all workers (Savina's neighbour
 * message) and then a start. Each worker draws its targets from its own {@link SplittableRandom}
 * seeded with its index, so both sides send the same pings to the same neighbours. A worker that
 * has had its N pongs reports them to the sink; when all have reported, the sink stops, and with it
 * the workers (Savina's exit messages), and the invocation ends when the sink's post-stop hook has
 * run, that is once every actor of the run has stopped.
 *
 * <p>Result: the pongs the workers received from the neighbour they had pinged, W × N.
 *
 * <p>No baseline: the benchmark is pure messaging, with no work per message that plain Java could
 * do in its place.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SavinaBig {

    /** The parameters measured: Savina's W, and N scaled down from 20,000 (see the class comment). */
    static final Params PARAMS = new Params(4_000, 120);

    /**
     * @param pings the pings each worker sends (N)
     * @param workers the workers (W)
     */
    record Params(int pings, int workers) {
        /** @return the pongs the workers receive in all */
        long expectedPongs() {
            return (long) pings * workers;
        }
    }

    /**
     * @return {@code pongs} when it is what the run must count
     * @throws IllegalStateException otherwise
     */
    static long check(Params params, long pongs) {
        if (pongs != params.expectedPongs()) {
            throw new IllegalStateException("Big: expected " + params.expectedPongs() + " pongs, got " + pongs);
        }
        return pongs;
    }


    // ------------------------------------------------------------------ Spinoff

    /** A worker: pings random neighbours and answers their pings. */
    @ActorProtocol
    public interface Worker {
        /** All workers, this one included, by index (Savina's neighbour message). */
        void neighbours(List<Worker> all);

        /** Sends the first ping. */
        void start();

        /** The worker at index {@code from} pings this one. */
        void ping(int from);

        /** The worker at index {@code from} answers this one's ping. */
        void pong(int from);
    }

    /** The root of a run: counts the workers that have finished. */
    @ActorProtocol
    public interface BigSink {
        /** A worker has had all its pongs, {@code pongs} of them from the neighbour it pinged. */
        void done(long pongs);
    }

    static final class SpinoffSink extends Actor implements BigSink {
        private final Params params;
        private final CompletableFuture<Long> result;
        private int finished;
        private long pongs;

        SpinoffSink(Params params, CompletableFuture<Long> result) {
            this.params = params;
            this.result = result;
        }

        @Override
        protected void preStart() {
            BigSink self = context().self(BigSink.class);
            List<Worker> workers = new ArrayList<>(params.workers());
            for (int i = 0; i < params.workers(); i++) {
                int index = i;
                workers.add(context().spawn(Worker.class, () -> new SpinoffWorker(index, params.pings(), self)));
            }
            List<Worker> all = List.copyOf(workers);
            for (Worker worker : all) {
                worker.neighbours(all);
            }
            for (Worker worker : all) {
                worker.start();
            }
        }

        @Override
        public void done(long workerPongs) {
            pongs += workerPongs;
            if (++finished == params.workers()) {
                context().stop(context().self());
            }
        }

        @Override
        protected void postStop() {
            result.complete(pongs);
        }
    }

    static final class SpinoffWorker extends Actor implements Worker {
        private final int index;
        private final int pings;
        private final BigSink sink;
        private final SplittableRandom random;
        private List<Worker> neighbours;
        private int sent;
        private int expectedPonger;
        private long pongs;

        SpinoffWorker(int index, int pings, BigSink sink) {
            this.index = index;
            this.pings = pings;
            this.sink = sink;
            this.random = new SplittableRandom(index);
        }

        @Override
        public void neighbours(List<Worker> all) {
            neighbours = all;
        }

        @Override
        public void start() {
            sendPing();
        }

        @Override
        public void ping(int from) {
            neighbours.get(from).pong(index);
        }

        @Override
        public void pong(int from) {
            if (from == expectedPonger) {
                pongs++;
            }
            if (sent == pings) {
                sink.done(pongs);
            } else {
                sendPing();
            }
        }

        private void sendPing() {
            expectedPonger = random.nextInt(neighbours.size());
            sent++;
            neighbours.get(expectedPonger).ping(index);
        }
    }

    /** @return the pongs of one complete run on {@code system}, checked */
    static long runSpinoff(ActorSystem system, Params params) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        system.spawn(BigSink.class, () -> new SpinoffSink(params, result));
        return check(params, SavinaSystems.await("Big", result));
    }

    // ------------------------------------------------------------------ Pekko

    /** A message to a worker. */
    sealed interface WorkerMessage permits Neighbours, Start, Ping, Pong {}

    record Neighbours(List<ActorRef<WorkerMessage>> all) implements WorkerMessage {}

    enum Start implements WorkerMessage { INSTANCE }

    record Ping(int from) implements WorkerMessage {}

    record Pong(int from) implements WorkerMessage {}

    /** To the sink: a worker has had all its pongs, {@code pongs} of them from the neighbour it pinged. */
    record Done(long pongs) {}

    static Behavior<Done> pekkoSink(Params params, CompletableFuture<Long> result) {
        return Behaviors.setup(context -> {
            List<ActorRef<WorkerMessage>> workers = new ArrayList<>(params.workers());
            for (int i = 0; i < params.workers(); i++) {
                workers.add(context.spawnAnonymous(pekkoWorker(i, params.pings(), context.getSelf())));
            }
            Neighbours neighbours = new Neighbours(List.copyOf(workers));
            for (ActorRef<WorkerMessage> worker : neighbours.all()) {
                worker.tell(neighbours);
            }
            for (ActorRef<WorkerMessage> worker : neighbours.all()) {
                worker.tell(Start.INSTANCE);
            }
            int[] finished = {0};
            long[] pongs = {0};
            return Behaviors.receive(Done.class)
                    .onMessage(Done.class, done -> {
                        pongs[0] += done.pongs();
                        return ++finished[0] == params.workers() ? Behaviors.stopped() : Behaviors.same();
                    })
                    .onSignal(PostStop.class, signal -> {
                        result.complete(pongs[0]);
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    static Behavior<WorkerMessage> pekkoWorker(int index, int pings, ActorRef<Done> sink) {
        return Behaviors.setup(context -> new PekkoWorker(index, pings, sink).behavior());
    }

    /**
     * The state of a Pekko worker, behind its behaviour. Its ping and pong messages are made once,
     * as in Savina, since they carry only its index.
     */
    private static final class PekkoWorker {
        private final int pings;
        private final ActorRef<Done> sink;
        private final SplittableRandom random;
        private final Ping myPing;
        private final Pong myPong;
        private List<ActorRef<WorkerMessage>> neighbours;
        private int sent;
        private int expectedPonger;
        private long pongs;

        PekkoWorker(int index, int pings, ActorRef<Done> sink) {
            this.pings = pings;
            this.sink = sink;
            this.random = new SplittableRandom(index);
            this.myPing = new Ping(index);
            this.myPong = new Pong(index);
        }

        Behavior<WorkerMessage> behavior() {
            return Behaviors.receive(WorkerMessage.class)
                    .onMessage(Neighbours.class, this::onNeighbours)
                    .onMessageEquals(Start.INSTANCE, this::onStart)
                    .onMessage(Ping.class, this::onPing)
                    .onMessage(Pong.class, this::onPong)
                    .build();
        }

        private Behavior<WorkerMessage> onNeighbours(Neighbours message) {
            neighbours = message.all();
            return Behaviors.same();
        }

        private Behavior<WorkerMessage> onStart() {
            sendPing();
            return Behaviors.same();
        }

        private Behavior<WorkerMessage> onPing(Ping ping) {
            neighbours.get(ping.from()).tell(myPong);
            return Behaviors.same();
        }

        private Behavior<WorkerMessage> onPong(Pong pong) {
            if (pong.from() == expectedPonger) {
                pongs++;
            }
            if (sent == pings) {
                sink.tell(new Done(pongs));
            } else {
                sendPing();
            }
            return Behaviors.same();
        }

        private void sendPing() {
            expectedPonger = random.nextInt(neighbours.size());
            sent++;
            neighbours.get(expectedPonger).tell(myPing);
        }
    }

    /** @return the pongs of one complete run on {@code system}, checked */
    static long runPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system, Params params) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        system.tell(new SpawnProtocol.Spawn<>(pekkoSink(params, result), "", Props.empty(), system.ignoreRef()));
        return check(params, SavinaSystems.await("Big", result));
    }

    // ------------------------------------------------------------------ JMH

    /** @return the pongs of one run */
    @Benchmark
    public long spinoff(SpinoffState state) {
        return runSpinoff(state.system, PARAMS);
    }

    /** @return the pongs of one run */
    @Benchmark
    public long pekko(PekkoState state) {
        return runPekko(state.system, PARAMS);
    }
}
