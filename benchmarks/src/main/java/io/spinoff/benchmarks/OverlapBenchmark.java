package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * "Send, then keep working": a front actor, per message, first sends a message to a back actor
 * and then spins {@code work} µs itself ({@link Work#spin(long)}); the back actor spins
 * {@code work} µs per message. On a pool of 2 threads the two spins of a message can run at the
 * same time, so the ideal is one message per {@code work} µs, twice the rate of one actor doing
 * both spins; it is reached only if the runtime lets the back actor run on the other thread while
 * the front one is still busy, instead of holding it back until the front actor's turn ends.
 *
 * <p>One invocation: the benchmark thread sends {@value #MESSAGES} messages (sequence numbers 0
 * to {@value #MESSAGES} − 1) to the front actor and waits until both actors have handled them
 * all; each actor sums the sequence numbers it handled, and the run checks both sums. Score: JMH
 * throughput, messages (to the front actor) per second. Parameters: {@code work} µs {1, 10, 100};
 * Spinoff's messages per turn {@code throughput} {5, 64, 256}; Pekko's {@code executor} {fj-5,
 * fj-64, fj-256, affinity}.
 *
 * <p>Baseline: 2 platform threads (a fixed pool, started once per trial) each spin
 * {@value #MESSAGES} times {@code work} µs, summing the sequence numbers: the same spins, in
 * perfect parallel. Parallel efficiency = a framework's score / the baseline's score at the same
 * {@code work} (1.0 = the two actors overlap perfectly, 0.5 = they run one after the other).
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class OverlapBenchmark {

    /** Messages to the front actor per invocation (at 100 µs of work, about 0.2 s ideally). */
    static final int MESSAGES = 2_000;
    static final long TIMEOUT_SECONDS = 60;

    /** The front and the back actor of the Spinoff side; local, since a run is shared in memory. */
    @ActorProtocol(local = true)
    public interface Job {
        /**
         * @param sequence the number of the message in its run, from 0
         * @param run the run the message belongs to
         */
        void job(int sequence, Run run);
    }

    /**
     * One run: each of the two actors reports the sum of the sequence numbers it handled once it
     * has handled all {@code messages}; safe to call from any thread.
     */
    static final class Run {
        private final CountDownLatch done = new CountDownLatch(2);
        private final AtomicLong sums = new AtomicLong();
        private final int messages;

        Run(int messages) {
            this.messages = messages;
        }

        void finished(long sum) {
            sums.addAndGet(sum);
            done.countDown();
        }

        /**
         * @return the sum of both actors' sums, checked against 2 × (0 + 1 + … + messages − 1)
         * @throws IllegalStateException if the actors did not finish in time or the sum is wrong
         */
        long await() {
            try {
                if (!done.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("Overlap: expected both actors to finish within "
                            + TIMEOUT_SECONDS + " s, got " + (2 - done.getCount()) + " finished");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return check(messages, sums.get());
        }
    }

    /**
     * @return {@code sum}, if it is twice the sum of the sequence numbers of {@code messages}
     * @throws IllegalStateException otherwise
     */
    static long check(int messages, long sum) {
        long expected = (long) messages * (messages - 1);
        if (sum != expected) {
            throw new IllegalStateException("Overlap: expected a sum of " + expected + ", got " + sum);
        }
        return sum;
    }

    /**
     * The state of one actor, the same on both sides: counts and sums what it handled, and
     * reports when it has handled a whole run.
     */
    static final class Tally {
        private int handled;
        private long sum;

        void handled(int sequence, Run run) {
            sum += sequence;
            if (++handled == run.messages) {
                run.finished(sum);
                handled = 0;
                sum = 0;
            }
        }
    }

    // ------------------------------------------------------------------ Spinoff

    /** Sends to the back actor, then works. */
    static final class SpinoffFront implements Job {
        private final long workNanos;
        private final Job back;
        private final Tally tally = new Tally();

        SpinoffFront(long workNanos, Job back) {
            this.workNanos = workNanos;
            this.back = back;
        }

        @Override
        public void job(int sequence, Run run) {
            back.job(sequence, run);
            Work.spin(workNanos);
            tally.handled(sequence, run);
        }
    }

    /** Works. */
    static final class SpinoffBack implements Job {
        private final long workNanos;
        private final Tally tally = new Tally();

        SpinoffBack(long workNanos) {
            this.workNanos = workNanos;
        }

        @Override
        public void job(int sequence, Run run) {
            Work.spin(workNanos);
            tally.handled(sequence, run);
        }
    }

    /** @return the front actor of a new Spinoff pair */
    static Job spawnSpinoff(ActorSystem system, long workNanos) {
        Job back = system.spawn(Job.class, () -> new SpinoffBack(workNanos), "back");
        return system.spawn(Job.class, () -> new SpinoffFront(workNanos, back), "front");
    }

    /** @return the checked sum of one run of {@code messages} messages through the pair */
    static long runSpinoff(Job front, int messages) {
        Run run = new Run(messages);
        for (int i = 0; i < messages; i++) {
            front.job(i, run);
        }
        return run.await();
    }

    // ------------------------------------------------------------------ Pekko

    /** A message of the Pekko pair, carrying the run it belongs to. */
    record Task(int sequence, Run run) {}

    static Behavior<Task> pekkoFront(long workNanos, ActorRef<Task> back) {
        return Behaviors.setup(context -> {
            Tally tally = new Tally();
            return Behaviors.receiveMessage(task -> {
                back.tell(task);
                Work.spin(workNanos);
                tally.handled(task.sequence(), task.run());
                return Behaviors.same();
            });
        });
    }

    static Behavior<Task> pekkoBack(long workNanos) {
        return Behaviors.setup(context -> {
            Tally tally = new Tally();
            return Behaviors.receiveMessage(task -> {
                Work.spin(workNanos);
                tally.handled(task.sequence(), task.run());
                return Behaviors.same();
            });
        });
    }

    /** @return the front actor of a new Pekko pair */
    static ActorRef<Task> spawnPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system,
                                     long workNanos) {
        ActorRef<Task> back = PekkoActors.spawn(system, pekkoBack(workNanos), "back");
        return PekkoActors.spawn(system, pekkoFront(workNanos, back), "front");
    }

    /** @return the checked sum of one run of {@code messages} messages through the pair */
    static long runPekko(ActorRef<Task> front, int messages) {
        Run run = new Run(messages);
        for (int i = 0; i < messages; i++) {
            front.tell(new Task(i, run));
        }
        return run.await();
    }

    // ------------------------------------------------------------------ baseline

    /** @return the checked sum of both threads' spins over {@code messages} sequence numbers */
    static long runBaseline(ExecutorService threads, long workNanos, int messages) {
        Run run = new Run(messages);
        Runnable worker = () -> {
            long sum = 0;
            for (int i = 0; i < messages; i++) {
                Work.spin(workNanos);
                sum += i;
            }
            run.finished(sum);
        };
        threads.execute(worker);
        threads.execute(worker);
        return run.await();
    }

    // ------------------------------------------------------------------ states

    /** A Spinoff pair, spawned once per trial. */
    @State(Scope.Benchmark)
    public static class SpinoffState {
        @Param({"5", "64", "256"})
        int throughput;
        @Param({"1", "10", "100"})
        int work;
        ActorSystem system;
        Job front;

        @Setup(Level.Trial)
        public void setUp() {
            system = SpinoffActors.system("latency-overlap", throughput);
            front = spawnSpinoff(system, work * 1_000L);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            system.close();
        }
    }

    /** A Pekko pair, spawned once per trial. */
    @State(Scope.Benchmark)
    public static class PekkoState {
        @Param({"fj-5", "fj-64", "fj-256", "affinity"})
        String executor;
        @Param({"1", "10", "100"})
        int work;
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system;
        ActorRef<Task> front;

        @Setup(Level.Trial)
        public void setUp() {
            system = PekkoActors.system("latency-overlap", executor);
            front = spawnPekko(system, work * 1_000L);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            PekkoActors.terminate(system);
        }
    }

    /** Two platform threads, started once per trial. */
    @State(Scope.Benchmark)
    public static class BaselineState {
        @Param({"1", "10", "100"})
        int work;
        ExecutorService threads;

        @Setup(Level.Trial)
        public void setUp() {
            threads = Executors.newFixedThreadPool(2);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            threads.shutdown();
            if (!threads.awaitTermination(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Overlap: expected the baseline threads to stop within "
                        + TIMEOUT_SECONDS + " s, they did not");
            }
        }
    }

    // ------------------------------------------------------------------ benchmarks

    /** One run on Spinoff; the score is messages per second. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long spinoff(SpinoffState state) {
        return runSpinoff(state.front, MESSAGES);
    }

    /** One run on Pekko; the score is messages per second. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long pekko(PekkoState state) {
        return runPekko(state.front, MESSAGES);
    }

    /** One run of the same spins on 2 platform threads; the score is messages per second. */
    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public long baseline(BaselineState state) {
        return runBaseline(state.threads, state.work * 1_000L, MESSAGES);
    }
}
