package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.runtime.ActorSystem;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * A pipeline of three working stages and a sink, each an actor: the benchmark thread (the source)
 * sends a message carrying its send time ({@link System#nanoTime()}) to stage 1; each stage spins
 * {@code work} µs of calibrated CPU work ({@link Work#spin(long)}) and passes the message on;
 * stage 3 sends it to the sink, which records its end-to-end latency in an HdrHistogram and counts
 * it. Parameters: {@code work} µs per stage {0, 1, 10, 100}; Spinoff's messages per turn
 * {@code throughput} {5, 64, 256}; Pekko's {@code executor} {fj-5, fj-64, fj-256, affinity}; both
 * pools have 2 threads.
 *
 * <p>Pacing: at most {@value #IN_FLIGHT} messages are in the pipeline at once (the source counts
 * what it sent, the sink what arrived). Once the window is full the source waits until
 * {@code refill} places are free (parameter {@code refill} {1, 32}: 1 wakes it at every arrival,
 * 32 once per 32; see {@link Meter}). 256 is the largest number
 * of messages either framework handles in one turn, so every setting can fill its turns; a deeper
 * window would only add queueing delay (latency ≈ window / throughput), and with no window the
 * latency would be that of an unbounded queue, not of the pipeline.
 *
 * <p>Score: JMH throughput, one invocation = one message admitted into the pipeline, so the
 * score is messages per second. The pipeline stays full across iterations (the source blocks on
 * the window, so in the steady state it sends exactly as fast as the sink receives); it is drained
 * and its count checked at the end of the trial. Latency: the sink's histogram over the measured
 * iterations (the messages of the warm-up are dropped); at the end of each trial its p50, p99 and
 * p99.9 are printed and appended to {@code latency-pipeline-<work>us.csv} (with a refill other
 * than 1, {@code latency-pipeline-<work>us-refill<refill>.csv}) with the columns
 * {@code framework,setting,percentile,micros} of the report's latency charts (framework {@code spinoff}, {@code pekko}
 * or {@code baseline}; setting the throughput, the executor or {@code 2-threads}), in the
 * directory given by the system property {@code spinoff.results.dir}, by default
 * {@code benchmarks/target/results} under the working directory. Each trial (each fork) appends
 * its own rows; the report takes the median of the forks at each percentile.
 *
 * <p>Baseline, plain Java on the same 2 threads: a FIFO fork-join pool of 2 threads runs each
 * stage of a message as a task that spins and submits the next stage as a new task; the fourth
 * task records the latency, like the sink. Same work, same hops, same window, but no mailboxes and
 * no one-message-at-a-time rule per stage.
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PipelineBenchmark {

    /** Messages at most in the pipeline at once. */
    static final int IN_FLIGHT = 256;
    /** Working stages; the sink comes after them. */
    static final int STAGES = 3;
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /**
     * @return the file of the percentiles with {@code workMicros} of work per stage and a source
     *     refilling {@code refill} places at a time ({@code latency-pipeline-10us.csv} for a
     *     refill of 1, {@code latency-pipeline-10us-refill32.csv} for 32)
     */
    static String csv(int workMicros, int refill) {
        return "latency-pipeline-" + workMicros + "us" + (refill == 1 ? "" : "-refill" + refill) + ".csv";
    }

    /** The header of the report's latency files (one line per fork, framework, setting and percentile). */
    static final String CSV_HEADER = "framework,setting,percentile,micros";
    static final double[] PERCENTILES = {50.0, 99.0, 99.9};

    /** A stage or the sink of the Spinoff pipeline. */
    @ActorProtocol
    public interface Stage {
        /** @param sentNanos when the source sent the message ({@link System#nanoTime()}) */
        void message(long sentNanos);
    }

    /**
     * The window, the latency histogram and the counts of one pipeline, shared by the source and
     * the sink. {@link #admit()} and {@link #drain()} are called by one thread at a time (the
     * source's: JMH's benchmark thread, which runs the trial's set-up and tear-down too);
     * {@link #arrived(long)} by the sink (the one sink actor, or the baseline's tasks on any of
     * its threads).
     *
     * <p>Refill: when the window is full, the source sleeps until {@code refill} places are free,
     * then sends that many messages in a row. With a refill of 1 it is woken by every arrival: on
     * 2 cores the woken source takes a core from a carrier once per message, a cost of the
     * harness, not of the framework, paid equally by every side. A larger refill wakes it once per
     * {@code refill} arrivals; the pipeline then holds between {@code IN_FLIGHT - refill} and
     * {@link #IN_FLIGHT} messages.
     *
     * <p>Memory model: the source publishes the arrival count it waits for ({@code wakeAt}), then
     * itself ({@code waiting}), then reads {@code arrived} again before parking; the sink
     * increments {@code arrived}, then reads {@code waiting}. All are volatile (sequentially
     * consistent), so either the sink sees the waiting source (and, written before it, its
     * {@code wakeAt}) or the source sees the arrival: no wake-up is lost. A late unpark after the
     * source stopped waiting only ends a later park early, and every park is in a loop that checks
     * the count. The sink counts an arrival after recording its latency, so once {@link #drain()}
     * has seen every arrival the histogram holds every latency.
     */
    static final class Meter {
        private final Recorder latency = new Recorder(3);
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong arrived = new AtomicLong();
        private final Duration timeout;
        private final int refill;
        private volatile long wakeAt;
        private volatile Thread waiting;

        /** A meter whose source is woken by every arrival once the window is full (a refill of 1). */
        Meter(Duration timeout) {
            this(timeout, 1);
        }

        /**
         * @param refill the free places the source waits for once the window is full, 1 to {@link #IN_FLIGHT}
         * @throws IllegalArgumentException if {@code refill} is out of that range
         */
        Meter(Duration timeout, int refill) {
            if (refill < 1 || refill > IN_FLIGHT) {
                throw new IllegalArgumentException("Pipeline: the refill must be 1 to " + IN_FLIGHT
                        + " places of the window, got " + refill + "; use 1 to wake the source at every arrival.");
            }
            this.timeout = timeout;
            this.refill = refill;
        }

        /** @return the send time of the next message, once the window has room for it */
        long admit() {
            long next = sent.get();
            if (next - arrived.get() >= IN_FLIGHT) {
                if (!await(next - IN_FLIGHT + refill)) {
                    throw new IllegalStateException("Pipeline: expected a free place in the window within "
                            + timeout + ", got none (" + next + " sent, " + arrived.get() + " arrived)");
                }
            }
            sent.set(next + 1);
            return System.nanoTime();
        }

        void arrived(long sentNanos) {
            latency.recordValue(System.nanoTime() - sentNanos);
            long count = arrived.incrementAndGet();
            Thread source = waiting;
            if (source != null && count >= wakeAt) {
                LockSupport.unpark(source);
            }
        }

        /**
         * Waits until every message sent has arrived.
         *
         * @return the number of messages that arrived, equal to the number sent
         * @throws IllegalStateException if they have not all arrived within the timeout
         */
        long drain() {
            if (!await(sent.get())) {
                throw new IllegalStateException("Pipeline: expected " + sent.get()
                        + " messages at the sink within " + timeout + ", got " + arrived.get());
            }
            return arrived.get();
        }

        /** @return the latencies (ns) recorded since the last call, and starts a new interval */
        Histogram interval() {
            return latency.getIntervalHistogram();
        }

        /** @return whether {@code count} messages arrived within the timeout */
        private boolean await(long count) {
            if (arrived.get() >= count) {
                return true;
            }
            long deadline = System.nanoTime() + timeout.toNanos();
            wakeAt = count;
            waiting = Thread.currentThread();
            try {
                while (arrived.get() < count) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, left);
                    if (Thread.interrupted()) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("Pipeline: interrupted while waiting for arrivals");
                    }
                }
                return true;
            } finally {
                waiting = null;
            }
        }
    }

    /**
     * Sends {@code messages} messages into a pipeline, paced by its meter's window, and waits for
     * them all at the sink.
     *
     * @param entry sends one message, carrying the given send time, to the first stage
     * @return the latencies (ns) of these messages
     * @throws IllegalStateException if not all of them arrived
     */
    static Histogram drive(Meter meter, LongConsumer entry, int messages) {
        meter.interval();
        long before = meter.drain();
        for (int i = 0; i < messages; i++) {
            entry.accept(meter.admit());
        }
        long got = meter.drain() - before;
        Histogram latencies = meter.interval();
        if (got != messages || latencies.getTotalCount() != messages) {
            throw new IllegalStateException("Pipeline: expected " + messages + " messages at the sink, got " + got
                    + " (" + latencies.getTotalCount() + " latencies recorded)");
        }
        return latencies;
    }

    // ------------------------------------------------------------------ Spinoff

    static final class SpinoffStage implements Stage {
        private final long workNanos;
        private final Stage next;

        SpinoffStage(long workNanos, Stage next) {
            this.workNanos = workNanos;
            this.next = next;
        }

        @Override
        public void message(long sentNanos) {
            Work.spin(workNanos);
            next.message(sentNanos);
        }
    }

    static final class SpinoffSink implements Stage {
        private final Meter meter;

        SpinoffSink(Meter meter) {
            this.meter = meter;
        }

        @Override
        public void message(long sentNanos) {
            meter.arrived(sentNanos);
        }
    }

    /** @return the first stage of a new pipeline on {@code system}, whose sink reports to {@code meter} */
    static Stage spawnSpinoff(ActorSystem system, long workNanos, Meter meter) {
        Stage next = system.spawn(Stage.class, () -> new SpinoffSink(meter), "sink");
        for (int stage = STAGES; stage >= 1; stage--) {
            Stage following = next;
            next = system.spawn(Stage.class, () -> new SpinoffStage(workNanos, following), "stage" + stage);
        }
        return next;
    }

    /** Runs {@code messages} messages through a new Spinoff pipeline; @return their latencies (ns) */
    static Histogram runSpinoff(ActorSystem system, long workNanos, int messages) {
        Meter meter = new Meter(TIMEOUT);
        Stage first = spawnSpinoff(system, workNanos, meter);
        return drive(meter, first::message, messages);
    }

    // ------------------------------------------------------------------ Pekko

    /** A message of the Pekko pipeline. */
    record Stamped(long sentNanos) {}

    static Behavior<Stamped> pekkoStage(long workNanos, ActorRef<Stamped> next) {
        return Behaviors.receiveMessage(message -> {
            Work.spin(workNanos);
            next.tell(message);
            return Behaviors.same();
        });
    }

    static Behavior<Stamped> pekkoSink(Meter meter) {
        return Behaviors.receiveMessage(message -> {
            meter.arrived(message.sentNanos());
            return Behaviors.same();
        });
    }

    /** @return the first stage of a new pipeline on {@code system}, whose sink reports to {@code meter} */
    static ActorRef<Stamped> spawnPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system,
                                        long workNanos, Meter meter) {
        ActorRef<Stamped> next = PekkoActors.spawn(system, pekkoSink(meter), "sink");
        for (int stage = STAGES; stage >= 1; stage--) {
            next = PekkoActors.spawn(system, pekkoStage(workNanos, next), "stage" + stage);
        }
        return next;
    }

    /** Runs {@code messages} messages through a new Pekko pipeline; @return their latencies (ns) */
    static Histogram runPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system,
                              long workNanos, int messages) {
        Meter meter = new Meter(TIMEOUT);
        ActorRef<Stamped> first = spawnPekko(system, workNanos, meter);
        return drive(meter, sentNanos -> first.tell(new Stamped(sentNanos)), messages);
    }

    // ------------------------------------------------------------------ baseline

    /**
     * The plain-Java pipeline: each stage of a message is a task on a FIFO fork-join pool of 2
     * threads, which spins and submits the next stage; the task after the last stage records the
     * latency.
     */
    static final class TaskPipeline implements AutoCloseable {
        private final ForkJoinPool pool =
                new ForkJoinPool(2, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
        private final long workNanos;
        private final Meter meter;

        TaskPipeline(long workNanos, Meter meter) {
            this.workNanos = workNanos;
            this.meter = meter;
        }

        void send(long sentNanos) {
            pool.execute(() -> stage(1, sentNanos));
        }

        private void stage(int stage, long sentNanos) {
            if (stage > STAGES) {
                meter.arrived(sentNanos);
            } else {
                Work.spin(workNanos);
                pool.execute(() -> stage(stage + 1, sentNanos));
            }
        }

        @Override
        public void close() {
            pool.shutdown();
            try {
                if (!pool.awaitTermination(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Pipeline: expected the baseline pool to stop within "
                            + TIMEOUT + ", it did not");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** Runs {@code messages} messages through the plain-Java pipeline; @return their latencies (ns) */
    static Histogram runBaseline(long workNanos, int messages) {
        Meter meter = new Meter(TIMEOUT);
        try (TaskPipeline pipeline = new TaskPipeline(workNanos, meter)) {
            return drive(meter, pipeline::send, messages);
        }
    }

    // ------------------------------------------------------------------ results

    /**
     * The latencies of the measured iterations of one trial: each iteration's interval is kept if
     * it was a measured one; at the end of the trial, after the drain, the last arrivals are added
     * and the percentiles written.
     */
    static final class Latencies {
        private final Histogram measured = new Histogram(3);

        void iterationEnded(Meter meter, IterationParams params) {
            Histogram interval = meter.interval();
            if (params.getType() == IterationType.MEASUREMENT) {
                measured.add(interval);
            }
        }

        void trialEnded(Meter meter, String framework, String setting, int workMicros) {
            meter.drain();
            measured.add(meter.interval());
            report(framework, setting, workMicros, meter.refill, measured);
        }
    }

    /** Prints the percentiles of {@code latencies} (ns) and appends them to the CSV file in µs. */
    static void report(String framework, String setting, int workMicros, int refill, Histogram latencies) {
        StringBuilder rows = new StringBuilder();
        StringBuilder line = new StringBuilder("pipeline " + framework + " " + setting + " work " + workMicros
                + " us, refill " + refill
                + " us (" + Math.round(Work.iterationsPerMicro()) + " iterations/us), "
                + latencies.getTotalCount() + " messages:");
        for (double percentile : PERCENTILES) {
            double micros = latencies.getValueAtPercentile(percentile) / 1_000.0;
            String p = percentile == Math.rint(percentile)
                    ? Long.toString((long) percentile) : Double.toString(percentile);
            rows.append(String.format(Locale.ROOT, "%s,%s,%s,%.1f%n", framework, setting, p, micros));
            line.append(String.format(Locale.ROOT, " p%s %.1f us", p, micros));
        }
        System.out.println(line);
        Path directory = Path.of(System.getProperty("spinoff.results.dir", "benchmarks/target/results"));
        Path file = directory.resolve(csv(workMicros, refill));
        try {
            Files.createDirectories(directory);
            if (!Files.exists(file)) {
                Files.writeString(file, CSV_HEADER + System.lineSeparator());
            }
            Files.writeString(file, rows, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    // ------------------------------------------------------------------ states

    /**
     * What every pipeline's state shares: the work and refill parameters, the meter, and the
     * latency report at each iteration's and the trial's end. A subclass starts and stops its
     * pipeline and names itself for the report.
     */
    @State(Scope.Benchmark)
    public abstract static class PipelineState {
        @Param({"0", "1", "10", "100"})
        int work;
        /** Free places the source waits for once the window is full (see {@link Meter}). */
        @Param({"1", "32"})
        int refill;
        Meter meter;
        final Latencies latencies = new Latencies();

        /** Starts the pipeline, feeding {@link #meter}. */
        abstract void start();

        /** Stops the pipeline. */
        abstract void stop();

        /** @return the framework's name in the report */
        abstract String framework();

        /** @return the setting measured (dispatcher throughput, executor) in the report */
        abstract String setting();

        @Setup(Level.Trial)
        public void setUp() {
            meter = new Meter(TIMEOUT, refill);
            start();
        }

        @TearDown(Level.Iteration)
        public void iterationEnded(IterationParams params) {
            latencies.iterationEnded(meter, params);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                latencies.trialEnded(meter, framework(), setting(), work);
            } finally {
                stop();
            }
        }
    }

    /** A Spinoff pipeline, spawned once per trial. */
    @State(Scope.Benchmark)
    public static class SpinoffState extends PipelineState {
        @Param({"5", "64", "256"})
        int throughput;
        ActorSystem system;
        Stage first;

        @Override
        void start() {
            system = SpinoffActors.system("latency-pipeline", throughput);
            first = spawnSpinoff(system, work * 1_000L, meter);
        }

        @Override
        void stop() {
            system.close();
        }

        @Override
        String framework() {
            return "spinoff";
        }

        @Override
        String setting() {
            return Integer.toString(throughput);
        }
    }

    /** A Pekko pipeline, spawned once per trial. */
    @State(Scope.Benchmark)
    public static class PekkoState extends PipelineState {
        @Param({"fj-5", "fj-64", "fj-256", "affinity"})
        String executor;
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system;
        ActorRef<Stamped> first;

        @Override
        void start() {
            system = PekkoActors.system("latency-pipeline", executor);
            first = spawnPekko(system, work * 1_000L, meter);
        }

        @Override
        void stop() {
            PekkoActors.terminate(system);
        }

        @Override
        String framework() {
            return "pekko";
        }

        @Override
        String setting() {
            return executor;
        }
    }

    /** The plain-Java pipeline, started once per trial. */
    @State(Scope.Benchmark)
    public static class BaselineState extends PipelineState {
        TaskPipeline pipeline;

        @Override
        void start() {
            pipeline = new TaskPipeline(work * 1_000L, meter);
        }

        @Override
        void stop() {
            pipeline.close();
        }

        @Override
        String framework() {
            return "baseline";
        }

        @Override
        String setting() {
            return "2-threads";
        }
    }

    // ------------------------------------------------------------------ benchmarks

    /** Admits one message into the Spinoff pipeline: the score is messages per second. */
    @Benchmark
    public void spinoff(SpinoffState state) {
        state.first.message(state.meter.admit());
    }

    /** Admits one message into the Pekko pipeline: the score is messages per second. */
    @Benchmark
    public void pekko(PekkoState state) {
        state.first.tell(new Stamped(state.meter.admit()));
    }

    /** Admits one message into the plain-Java pipeline: the score is messages per second. */
    @Benchmark
    public void baseline(BaselineState state) {
        state.pipeline.send(state.meter.admit());
    }
}
