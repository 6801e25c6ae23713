package io.spinoff.benchmarks;

import io.spinoff.benchmarks.Protocols.PingPong;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
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
 * Fairness under saturation, Spinoff only: 16 pairs of actors play ping-pong for ever on a pool of
 * 2 carriers (more conversations that never end than carriers), while work from outside the pool
 * must still be served: a 1 ms fixed-rate timer, and tells from a non-actor thread (the benchmark
 * thread). With the same-carrier hand-off on and off.
 *
 * <p>The score is the round trip of one outside tell: sent, handled, and the sender woken by the
 * handler (JMH sample time: p50, p99, max and more). At the end of the trial each fork also
 * prints, from HdrHistogram
 * over the measured iterations, the one-way latency of the outside tells (sender to handler) and
 * the lateness of the timer's firings as the actor handles them (against the fixed-rate schedule),
 * p50/p99/max in microseconds, on a line starting with {@code fairness}.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@State(Scope.Benchmark)
public class FairnessBenchmark {

    static final int PAIRS = 16;
    static final Duration TIMER_PERIOD = Duration.ofMillis(1);

    @Param({"true", "false"})
    boolean handOff;

    ActorSystem system;
    FairnessProbe probe;
    final AtomicBoolean over = new AtomicBoolean();
    /** Written by the probe actor, read by the benchmark thread between iterations. */
    final Recorder tellLatency = new Recorder(3);
    final Recorder timerLateness = new Recorder(3);
    final Histogram tellTotal = new Histogram(3);
    final Histogram timerTotal = new Histogram(3);

    /** Bounces the ball back for ever, until the trial is over. */
    static final class PerpetualPlayer extends Actor implements PingPong {
        private final AtomicBoolean over;
        private PingPong self;

        PerpetualPlayer(AtomicBoolean over) {
            this.over = over;
        }

        @Override
        protected void preStart() {
            self = context().self(PingPong.class);
        }

        @Override
        public void ball(int remaining, PingPong partner) {
            if (!over.get()) {
                partner.ball(remaining, self);
            }
        }
    }

    /** Records outside tell latency and timer lateness. */
    static final class Probe extends Actor implements FairnessProbe {
        private final Recorder tellLatency;
        private final Recorder timerLateness;
        private long firstFiring;
        private long firings;

        Probe(Recorder tellLatency, Recorder timerLateness) {
            this.tellLatency = tellLatency;
            this.timerLateness = timerLateness;
        }

        @Override
        public void startTimer() {
            firstFiring = System.nanoTime() + TIMER_PERIOD.toNanos();
            context().timers().startTimerAtFixedRate("probe", new FairnessProbeMessage.Tick(), TIMER_PERIOD, TIMER_PERIOD);
        }

        @Override
        public void tick() {
            long due = firstFiring + firings++ * TIMER_PERIOD.toNanos();
            timerLateness.recordValue(Math.max(0, System.nanoTime() - due));
        }

        @Override
        public void stamp(long sentNanos, CompletableFuture<Void> handled) {
            tellLatency.recordValue(Math.max(0, System.nanoTime() - sentNanos));
            handled.complete(null);
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        system = ActorSystem.builder("fairness").parallelism(2).throughput(64).sameCarrierHandOff(handOff).build();
        for (int i = 0; i < PAIRS; i++) {
            PingPong left = system.spawn(PingPong.class, () -> new PerpetualPlayer(over));
            PingPong right = system.spawn(PingPong.class, () -> new PerpetualPlayer(over));
            left.ball(0, right);
        }
        probe = system.spawn(FairnessProbe.class, () -> new Probe(tellLatency, timerLateness), "probe");
        probe.startTimer();
    }

    @Setup(Level.Iteration)
    public void beginIteration() {
        // Drop what was recorded between iterations.
        tellLatency.getIntervalHistogram();
        timerLateness.getIntervalHistogram();
    }

    @TearDown(Level.Iteration)
    public void endIteration(IterationParams iteration) {
        Histogram tells = tellLatency.getIntervalHistogram();
        Histogram timer = timerLateness.getIntervalHistogram();
        if (iteration.getType() == IterationType.MEASUREMENT) {
            tellTotal.add(tells);
            timerTotal.add(timer);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        over.set(true);
        System.out.printf("%nfairness handOff=%s: outside tell latency (µs) %s; timer lateness (µs) %s%n",
                handOff, summary(tellTotal), summary(timerTotal));
        system.close();
    }

    private static String summary(Histogram histogram) {
        return String.format("p50 %.1f, p99 %.1f, max %.1f (n=%d)", histogram.getValueAtPercentile(50) / 1e3,
                histogram.getValueAtPercentile(99) / 1e3, histogram.getMaxValue() / 1e3, histogram.getTotalCount());
    }

    /** One outside tell, until its handler has run and woken this thread. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void outsideTell() throws Exception {
        CompletableFuture<Void> handled = new CompletableFuture<>();
        probe.stamp(System.nanoTime(), handled);
        handled.get(10, TimeUnit.SECONDS);
    }
}
