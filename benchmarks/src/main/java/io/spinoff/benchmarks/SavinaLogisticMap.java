package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.api.AskTimeout;
import io.spinoff.benchmarks.SavinaSystems.BaselineState;
import io.spinoff.benchmarks.SavinaSystems.PekkoState;
import io.spinoff.benchmarks.SavinaSystems.SpinoffState;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
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
 * Savina's logistic map ("logmap", {@code LogisticMapConfig}, the variant whose series workers ask
 * their rate computer): one invocation is one complete run, in milliseconds.
 *
 * <p>Parameters are Savina's: {@value #SAVINA_TERMS} terms for each of {@code numSeries = 10}
 * series, rates from {@code startRate = 3.46} in steps of {@code increment = 0.0025}, series
 * {@code i} starting at the term {@code i * increment}. Each run spawns a master with one rate
 * computer and one series worker per series (21 actors, stopped at the end of the run). The
 * master sends every worker {@code numTerms} next-term requests up front and then a request for
 * its term. A worker answers each next-term request by asking its rate computer for
 * {@code rate * term * (1 - term)} and takes the next request only once that reply has come: the
 * reply is piped back to the worker as a message (Spinoff: the ask's stage sends it to the
 * worker's own proxy; Pekko: {@code context.ask} with a response adapter), and requests that
 * arrive meanwhile are counted and served one after the other. So a run is 250,000 asks.
 *
 * <p>Checked: the sum of the final terms, added in series order, equals the same computation done
 * sequentially, bit for bit. The baseline does the same computation, one task per series, on an
 * executor of 2 threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SavinaLogisticMap {

    static final int SAVINA_TERMS = 25_000;
    private static final Duration ASK_TIMEOUT = Duration.ofSeconds(60);
    private static final AtomicLong RUNS = new AtomicLong();
    private static final Map<Params, Double> EXPECTED = new ConcurrentHashMap<>();

    /**
     * One run's parameters.
     *
     * @param numTerms terms computed per series
     * @param numSeries series, each with its own worker and rate computer
     * @param startRate the rate of series 0
     * @param increment the rate step between series, and the start-term step
     */
    record Params(int numTerms, int numSeries, double startRate, double increment) {
        /** Savina's parameters. */
        static final Params SAVINA = new Params(SAVINA_TERMS, 10, 3.46, 0.0025);

        double rate(int series) {
            return startRate + series * increment;
        }

        double startTerm(int series) {
            return series * increment;
        }
    }

    static double nextTerm(double term, double rate) {
        return rate * term * (1 - term);
    }

    /** @return the final term of one series, computed sequentially */
    static double series(Params p, int series) {
        double rate = p.rate(series);
        double term = p.startTerm(series);
        for (int i = 0; i < p.numTerms(); i++) {
            term = nextTerm(term, rate);
        }
        return term;
    }

    /** @return the sum of the final terms, added in series order */
    static double sum(double[] finalTerms) {
        double sum = 0;
        for (double term : finalTerms) {
            sum += term;
        }
        return sum;
    }

    /** @return the sum of the final terms, computed sequentially */
    static double expected(Params p) {
        double[] finalTerms = new double[p.numSeries()];
        for (int s = 0; s < p.numSeries(); s++) {
            finalTerms[s] = series(p, s);
        }
        return sum(finalTerms);
    }

    /**
     * @return {@code got}, when it equals the sequential computation bit for bit
     * @throws IllegalStateException otherwise
     */
    static double check(Params p, double got) {
        double expected = EXPECTED.computeIfAbsent(p, SavinaLogisticMap::expected);
        if (Double.compare(expected, got) != 0) {
            throw new IllegalStateException("logmap: expected the final terms to sum to " + expected + ", got " + got);
        }
        return got;
    }


    // ------------------------------------------------------------------ Spinoff

    /** Computes the next term of a series at its rate. */
    @ActorProtocol
    public interface RateComputer {
        @AskTimeout(value = 60, unit = TimeUnit.SECONDS)
        CompletionStage<Double> compute(double term);
    }

    /** Holds the current term of one series. */
    @ActorProtocol
    public interface SeriesWorker {
        /** Computes the next term, after any earlier request. */
        void nextTerm();

        /** Sends the term to the master once every earlier request is served. */
        void getTerm();

        /** The rate computer's reply, piped back to the worker. */
        void computed(double term);
    }

    /** Drives the run and sums the final terms. */
    @ActorProtocol
    public interface LogMapMaster {
        void start();

        void result(int series, double term);
    }

    static final class SpinoffRateComputer implements RateComputer {
        private final double rate;

        SpinoffRateComputer(double rate) {
            this.rate = rate;
        }

        @Override
        public CompletionStage<Double> compute(double term) {
            return CompletableFuture.completedFuture(nextTerm(term, rate));
        }
    }

    static final class SpinoffSeriesWorker extends Actor implements SeriesWorker {
        private final int id;
        private final LogMapMaster master;
        private final RateComputer computer;
        private SeriesWorker self;
        private double term;
        private boolean waiting;
        private int queued;
        private boolean reportRequested;

        SpinoffSeriesWorker(int id, LogMapMaster master, RateComputer computer, double startTerm) {
            this.id = id;
            this.master = master;
            this.computer = computer;
            this.term = startTerm;
        }

        @Override
        protected void preStart() {
            self = context().self(SeriesWorker.class);
        }

        @Override
        public void nextTerm() {
            if (waiting) {
                queued++;
            } else {
                ask();
            }
        }

        private void ask() {
            waiting = true;
            computer.compute(term).thenAccept(self::computed);
        }

        @Override
        public void getTerm() {
            if (waiting) {
                reportRequested = true;
            } else {
                master.result(id, term);
            }
        }

        @Override
        public void computed(double next) {
            term = next;
            if (queued > 0) {
                queued--;
                ask();
            } else {
                waiting = false;
                if (reportRequested) {
                    reportRequested = false;
                    master.result(id, term);
                }
            }
        }
    }

    static final class SpinoffMaster extends Actor implements LogMapMaster {
        private final Params p;
        private final CompletableFuture<Double> done;
        private final double[] finalTerms;
        private SeriesWorker[] workers;
        private int received;
        private Double result;

        SpinoffMaster(Params p, CompletableFuture<Double> done) {
            this.p = p;
            this.done = done;
            this.finalTerms = new double[p.numSeries()];
        }

        @Override
        protected void preStart() {
            LogMapMaster self = context().self(LogMapMaster.class);
            workers = new SeriesWorker[p.numSeries()];
            for (int i = 0; i < p.numSeries(); i++) {
                double rate = p.rate(i);
                RateComputer computer = context().spawn(RateComputer.class, () -> new SpinoffRateComputer(rate));
                int id = i;
                double startTerm = p.startTerm(i);
                workers[i] = context().spawn(SeriesWorker.class,
                        () -> new SpinoffSeriesWorker(id, self, computer, startTerm));
            }
        }

        @Override
        public void start() {
            for (int i = 0; i < p.numTerms(); i++) {
                for (SeriesWorker worker : workers) {
                    worker.nextTerm();
                }
            }
            for (SeriesWorker worker : workers) {
                worker.getTerm();
            }
        }

        @Override
        public void result(int series, double term) {
            finalTerms[series] = term;
            if (++received == p.numSeries()) {
                result = sum(finalTerms);
                context().stop(context().self());
            }
        }

        @Override
        protected void postStop() {
            if (result == null) {
                done.completeExceptionally(new IllegalStateException(
                        "logmap: the master stopped after " + received + " of " + p.numSeries() + " results"));
            } else {
                done.complete(result);
            }
        }
    }

    /** @return the checked sum of the final terms of one run on Spinoff */
    static double runSpinoff(ActorSystem system, Params p) {
        CompletableFuture<Double> done = new CompletableFuture<>();
        LogMapMaster master = system.spawn(LogMapMaster.class, () -> new SpinoffMaster(p, done));
        master.start();
        return check(p, SavinaSystems.await("logmap", done));
    }

    // ------------------------------------------------------------------ Pekko

    /** A message to a Pekko series worker. */
    sealed interface WorkerMessage permits NextTerm, GetTerm, Computed {}

    enum NextTerm implements WorkerMessage { INSTANCE }

    enum GetTerm implements WorkerMessage { INSTANCE }

    /** The rate computer's reply, adapted into the worker's protocol. */
    record Computed(double term) implements WorkerMessage {}

    /** A request to a Pekko rate computer. */
    record Compute(double term, ActorRef<Term> replyTo) {}

    /** A rate computer's reply. */
    record Term(double value) {}

    /** A message to the Pekko master. */
    sealed interface MasterMessage permits StartLogMap, Result {}

    enum StartLogMap implements MasterMessage { INSTANCE }

    record Result(int series, double term) implements MasterMessage {}

    static Behavior<Compute> pekkoRateComputer(double rate) {
        return Behaviors.receiveMessage(compute -> {
            compute.replyTo().tell(new Term(nextTerm(compute.term(), rate)));
            return Behaviors.same();
        });
    }

    static Behavior<WorkerMessage> pekkoSeriesWorker(int id, ActorRef<MasterMessage> master,
            ActorRef<Compute> computer, double startTerm) {
        return Behaviors.setup(context -> {
            PekkoSeriesWorker worker = new PekkoSeriesWorker(context, id, master, computer, startTerm);
            return Behaviors.receiveMessage(worker::onMessage);
        });
    }

    private static final class PekkoSeriesWorker {
        private final ActorContext<WorkerMessage> context;
        private final int id;
        private final ActorRef<MasterMessage> master;
        private final ActorRef<Compute> computer;
        private double term;
        private boolean waiting;
        private int queued;
        private boolean reportRequested;

        PekkoSeriesWorker(ActorContext<WorkerMessage> context, int id, ActorRef<MasterMessage> master,
                ActorRef<Compute> computer, double startTerm) {
            this.context = context;
            this.id = id;
            this.master = master;
            this.computer = computer;
            this.term = startTerm;
        }

        Behavior<WorkerMessage> onMessage(WorkerMessage message) {
            switch (message) {
                case NextTerm next -> {
                    if (waiting) {
                        queued++;
                    } else {
                        ask();
                    }
                }
                case GetTerm get -> {
                    if (waiting) {
                        reportRequested = true;
                    } else {
                        master.tell(new Result(id, term));
                    }
                }
                case Computed computed -> {
                    term = computed.term();
                    if (queued > 0) {
                        queued--;
                        ask();
                    } else {
                        waiting = false;
                        if (reportRequested) {
                            reportRequested = false;
                            master.tell(new Result(id, term));
                        }
                    }
                }
            }
            return Behaviors.same();
        }

        private void ask() {
            waiting = true;
            double current = term;
            context.ask(Term.class, computer, ASK_TIMEOUT, replyTo -> new Compute(current, replyTo),
                    (reply, failure) -> {
                        if (reply == null) {
                            throw new IllegalStateException("logmap: series " + id + " got no term", failure);
                        }
                        return new Computed(reply.value());
                    });
        }
    }

    static Behavior<MasterMessage> pekkoMaster(Params p, CompletableFuture<Double> done) {
        return Behaviors.setup(context -> {
            List<ActorRef<WorkerMessage>> workers = new ArrayList<>(p.numSeries());
            for (int i = 0; i < p.numSeries(); i++) {
                ActorRef<Compute> computer = context.spawnAnonymous(pekkoRateComputer(p.rate(i)));
                workers.add(context.spawnAnonymous(
                        pekkoSeriesWorker(i, context.getSelf(), computer, p.startTerm(i))));
            }
            double[] finalTerms = new double[p.numSeries()];
            int[] received = {0};
            return Behaviors.receiveMessage(message -> switch (message) {
                case StartLogMap start -> {
                    for (int i = 0; i < p.numTerms(); i++) {
                        for (ActorRef<WorkerMessage> worker : workers) {
                            worker.tell(NextTerm.INSTANCE);
                        }
                    }
                    for (ActorRef<WorkerMessage> worker : workers) {
                        worker.tell(GetTerm.INSTANCE);
                    }
                    yield Behaviors.same();
                }
                case Result result -> {
                    finalTerms[result.series()] = result.term();
                    if (++received[0] == p.numSeries()) {
                        double sum = sum(finalTerms);
                        yield Behaviors.stopped(() -> done.complete(sum));
                    }
                    yield Behaviors.same();
                }
            });
        });
    }

    /** @return the checked sum of the final terms of one run on Pekko */
    static double runPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system, Params p) {
        CompletableFuture<Double> done = new CompletableFuture<>();
        ActorRef<MasterMessage> master =
                PekkoActors.spawn(system, pekkoMaster(p, done), "logmap-" + RUNS.incrementAndGet());
        master.tell(StartLogMap.INSTANCE);
        return check(p, SavinaSystems.await("logmap", done));
    }

    // ------------------------------------------------------------------ baseline

    /** @return the checked sum of the final terms, one task per series on {@code pool} */
    static double runBaseline(ExecutorService pool, Params p) {
        List<Future<Double>> tasks = new ArrayList<>(p.numSeries());
        for (int s = 0; s < p.numSeries(); s++) {
            int series = s;
            tasks.add(pool.submit(() -> series(p, series)));
        }
        double[] finalTerms = new double[p.numSeries()];
        for (int s = 0; s < p.numSeries(); s++) {
            finalTerms[s] = SavinaSystems.await("logmap", tasks.get(s));
        }
        return check(p, sum(finalTerms));
    }

    // ------------------------------------------------------------------ JMH

    @Benchmark
    public double spinoff(SpinoffState state) {
        return runSpinoff(state.system, Params.SAVINA);
    }

    @Benchmark
    public double pekko(PekkoState state) {
        return runPekko(state.system, Params.SAVINA);
    }

    @Benchmark
    public double baseline(BaselineState state) {
        return runBaseline(state.pool, Params.SAVINA);
    }
}
