package io.spinoff.benchmarks;

import io.spinoff.runtime.ActorSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A message-by-message record of {@link PipelineBenchmark}'s pipeline, to see where its time goes
 * between the messages: which thread ran each stage of each message and when, how long each
 * thread went without running any stage's work, how often a stage's work was stretched by the
 * thread losing its core, and what the operating system's scheduler says about each thread. Not
 * a JMH benchmark (the recording costs two clock reads per stage and message); a diagnostic run
 * from the command line, on either framework, with the pipeline of the benchmark (three stages of
 * calibrated work and a sink, a window of {@value PipelineBenchmark#IN_FLIGHT} messages, the same
 * refill):
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.spinoff.benchmarks.PipelineTrace spinoff 64 1 4
 * java -cp benchmarks/target/benchmarks.jar io.spinoff.benchmarks.PipelineTrace pekko fj-64 1 4
 * </pre>
 *
 * <p>Arguments: the framework ({@code spinoff} or {@code pekko}), its setting (Spinoff's messages
 * per turn, or one of Pekko's executors in {@link PekkoActors#EXECUTORS}), the refill (1 to
 * {@value PipelineBenchmark#IN_FLIGHT}), the seconds recorded (after 3 s unrecorded) and,
 * optionally, the µs of work per stage (10 by default). The report (see {@link PipelineTraceAnalysis.Report}) is
 * printed.
 *
 * <p>Threads: each stage writes only its own row of the {@link Trace}, one message at a time (an
 * actor's turns are ordered), the source only {@link Trace#sent}; the thread that drove the run
 * reads them all once every message has arrived: each stage records a message before passing it
 * on, and the sink records it before counting the arrival (a volatile increment the source's
 * drain reads), so every record happens-before that read.
 */
public final class PipelineTrace {
    private PipelineTrace() {}

    /** Unrecorded seconds before the record begins: the JIT compiles the pipeline's code. */
    static final int WARM_UP_SECONDS = 3;

    /**
     * The record of one run: for message {@code k} at stage {@code s} (0 to {@code stages - 1};
     * the sink is stage {@code stages}, whose start and end are its arrival), when the stage began
     * and ended its work ({@link System#nanoTime()}) and which thread ran it (an index into
     * {@link #threads}); {@code sent[k]} when the source sent it. Records are taken only while
     * {@link #on} is set.
     */
    static final class Trace {
        final int stages;
        final int capacity;
        final long[] sent;
        final long[][] start;
        final long[][] end;
        final byte[][] thread;
        final int[] count;
        /** Every thread that recorded, in the order they first did. */
        final List<Traced> threads = new ArrayList<>();
        private final ThreadLocal<Integer> index = ThreadLocal.withInitial(this::newThread);
        volatile boolean on;
        /** Set when more threads than a byte can name ran the pipeline; then the record is not used. */
        volatile boolean tooManyThreads;

        /**
         * @param stages working stages
         * @param capacity messages the record has room for
         */
        Trace(int stages, int capacity) {
            this.stages = stages;
            this.capacity = capacity;
            sent = new long[capacity];
            start = new long[stages + 1][capacity];
            end = new long[stages + 1][capacity];
            thread = new byte[stages + 1][capacity];
            count = new int[stages + 1];
        }

        /** A thread that recorded: its name, and its task id in {@code /proc} (null off Linux). */
        record Traced(String name, String tid) {}

        private Integer newThread() {
            synchronized (threads) {
                if (threads.size() == Byte.MAX_VALUE) {
                    // Thrown here, it would be lost in an actor's handler: analyse reports it.
                    tooManyThreads = true;
                    return Byte.MAX_VALUE - 1;
                }
                threads.add(new Traced(Thread.currentThread().getName(), OsThreadStats.currentTid()));
                return threads.size() - 1;
            }
        }

        /**
         * Records message after message of {@code stage} (the stage's own thread at the time);
         * a thread is registered at its first call, recording or not.
         */
        void record(int stage, long began, long ended) {
            int me = index.get();
            if (!on) {
                return;
            }
            int k = count[stage]++;
            if (k < capacity) {
                start[stage][k] = began;
                end[stage][k] = ended;
                thread[stage][k] = (byte) me;
            }
        }

        /** Registers the calling thread, if it is not yet, without recording anything. */
        void register() {
            index.get();
        }

        /** @return a snapshot of the threads registered so far */
        List<Traced> threads() {
            synchronized (threads) {
                return List.copyOf(threads);
            }
        }
    }

    /**
     * The operating system's scheduler statistics of a thread (Linux: {@code /proc/self/task/<tid>/}):
     * nanoseconds on a core and waiting on a run queue, voluntary switches (the thread blocked or
     * parked) and involuntary ones (it lost its core while runnable).
     */
    record OsThreadStats(long runNanos, long queuedNanos, long voluntary, long involuntary) {
        /** @return the calling thread's task id, or null where {@code /proc/thread-self} does not exist */
        static String currentTid() {
            try {
                return Files.readSymbolicLink(Path.of("/proc/thread-self")).getFileName().toString();
            } catch (IOException | UnsupportedOperationException e) {
                return null;
            }
        }

        /** @return the thread's statistics now, or null when they cannot be read (not Linux, thread ended) */
        static OsThreadStats read(String tid) {
            if (tid == null) {
                return null;
            }
            try {
                Path task = Path.of("/proc/self/task", tid);
                String[] schedstat = Files.readString(task.resolve("schedstat")).trim().split(" ");
                long voluntary = 0;
                long involuntary = 0;
                for (String line : Files.readAllLines(task.resolve("status"))) {
                    if (line.startsWith("voluntary_ctxt_switches:")) {
                        voluntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                        involuntary = Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
                    }
                }
                return new OsThreadStats(Long.parseLong(schedstat[0]), Long.parseLong(schedstat[1]), voluntary,
                        involuntary);
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }

        OsThreadStats minus(OsThreadStats before) {
            return new OsThreadStats(runNanos - before.runNanos, queuedNanos - before.queuedNanos,
                    voluntary - before.voluntary, involuntary - before.involuntary);
        }
    }

    // ------------------------------------------------------------------ the traced pipelines

    static final class TracedStage implements PipelineBenchmark.Stage {
        private final Trace trace;
        private final int index;
        private final long workNanos;
        private final PipelineBenchmark.Stage next;

        TracedStage(Trace trace, int index, long workNanos, PipelineBenchmark.Stage next) {
            this.trace = trace;
            this.index = index;
            this.workNanos = workNanos;
            this.next = next;
        }

        @Override
        public void message(long sentNanos) {
            long began = System.nanoTime();
            Work.spin(workNanos);
            trace.record(index, began, System.nanoTime());
            next.message(sentNanos);
        }
    }

    /** A traced pipeline: how to send into it, and how to stop it. */
    record Pipeline(LongConsumer entry, AutoCloseable stop) {}

    static Pipeline spinoff(int throughput, Trace trace, long workNanos, PipelineBenchmark.Meter meter) {
        ActorSystem system = SpinoffActors.system("pipeline-trace", throughput);
        PipelineBenchmark.Stage next = system.spawn(PipelineBenchmark.Stage.class,
                () -> (PipelineBenchmark.Stage) sentNanos -> {
                    long now = System.nanoTime();
                    trace.record(trace.stages, now, now);
                    meter.arrived(sentNanos);
                }, "sink");
        for (int s = trace.stages - 1; s >= 0; s--) {
            PipelineBenchmark.Stage following = next;
            int index = s;
            next = system.spawn(PipelineBenchmark.Stage.class,
                    () -> new TracedStage(trace, index, workNanos, following), "stage" + (s + 1));
        }
        return new Pipeline(next::message, system::close);
    }

    static Pipeline pekko(String executor, Trace trace, long workNanos, PipelineBenchmark.Meter meter) {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system =
                PekkoActors.system("pipeline-trace", executor);
        ActorRef<PipelineBenchmark.Stamped> next = PekkoActors.spawn(system,
                Behaviors.<PipelineBenchmark.Stamped>receiveMessage(message -> {
                    long now = System.nanoTime();
                    trace.record(trace.stages, now, now);
                    meter.arrived(message.sentNanos());
                    return Behaviors.same();
                }), "sink");
        for (int s = trace.stages - 1; s >= 0; s--) {
            ActorRef<PipelineBenchmark.Stamped> following = next;
            int index = s;
            Behavior<PipelineBenchmark.Stamped> stage = Behaviors.receiveMessage(message -> {
                long began = System.nanoTime();
                Work.spin(workNanos);
                trace.record(index, began, System.nanoTime());
                following.tell(message);
                return Behaviors.same();
            });
            next = PekkoActors.spawn(system, stage, "stage" + (s + 1));
        }
        ActorRef<PipelineBenchmark.Stamped> first = next;
        return new Pipeline(sentNanos -> first.tell(new PipelineBenchmark.Stamped(sentNanos)),
                () -> PekkoActors.terminate(system));
    }

    /** Bytes the record takes per message: the send time, and per stage and the sink two times and a thread. */
    static final int BYTES_PER_MESSAGE = 8 + (PipelineBenchmark.STAGES + 1) * (8 + 8 + 1);
    /** The most messages a record holds. */
    static final int MAX_CAPACITY = 8_000_000;

    /**
     * @return the messages to make room for in {@code recordNanos}: twice the rate of two carriers
     *     sharing three stages' work (at least 4/3 of the bound of one message per stage's work on
     *     any number of carriers), and no more than one message a µs
     * @throws IllegalArgumentException when that record would take more than half of
     *     {@code maxMemory}, naming how much it needs
     */
    static int capacity(long recordNanos, long workNanos, long maxMemory) {
        long perMessage = Math.max(1_000, workNanos * PipelineBenchmark.STAGES / 2);
        int capacity = (int) Math.min(Math.max(2 * recordNanos / perMessage, 1_024), MAX_CAPACITY);
        long bytes = (long) capacity * BYTES_PER_MESSAGE;
        if (bytes > maxMemory / 2) {
            throw new IllegalArgumentException("PipelineTrace: a record of " + recordNanos / 1_000_000 + " ms needs "
                    + bytes / (1 << 20) + " MiB, more than half of the heap (" + maxMemory / (1 << 20)
                    + " MiB); record fewer seconds or give the JVM more heap (-Xmx).");
        }
        return capacity;
    }

    /**
     * A checked request for a run: Spinoff's messages per turn (0 for Pekko), the record's
     * capacity, and the pipeline's meter.
     */
    record Setup(String framework, String setting, int throughput, int capacity, PipelineBenchmark.Meter meter,
                 long recordNanos, long workNanos) {}

    /**
     * Checks a request for a run, before anything starts.
     *
     * @param framework {@code spinoff} or {@code pekko}
     * @param setting Spinoff's messages per turn or Pekko's executor
     * @throws IllegalArgumentException naming the problem: an unknown framework or setting, a
     *     refill out of range, a record that would not fit the heap
     */
    static Setup check(String framework, String setting, int refill, long recordNanos, long workNanos) {
        int throughput = switch (framework) {
            case "spinoff" -> {
                try {
                    yield positive("Spinoff's SETTING (its messages per turn)", setting);
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("PipelineTrace: Spinoff's setting is its messages per turn,"
                            + " a number such as 64; got '" + setting + "'");
                }
            }
            case "pekko" -> {
                if (!Arrays.asList(PekkoActors.EXECUTORS).contains(setting)) {
                    throw new IllegalArgumentException("PipelineTrace: Pekko's setting is one of its executors, "
                            + String.join(", ", PekkoActors.EXECUTORS) + "; got '" + setting + "'");
                }
                yield 0;
            }
            default -> throw new IllegalArgumentException("PipelineTrace: unknown framework '" + framework
                    + "'; use spinoff or pekko");
        };
        PipelineBenchmark.Meter meter = new PipelineBenchmark.Meter(PipelineBenchmark.TIMEOUT, refill);
        int capacity = capacity(recordNanos, workNanos, Runtime.getRuntime().maxMemory());
        return new Setup(framework, setting, throughput, capacity, meter, recordNanos, workNanos);
    }

    /**
     * Runs a pipeline unrecorded for {@code warmUpNanos}, then recorded for {@code recordNanos}
     * (or until the record is full), drains it and analyses the record.
     *
     * @throws IllegalArgumentException as {@link #check} does
     */
    static PipelineTraceAnalysis.Report run(String framework, String setting, int refill, long warmUpNanos,
                                            long recordNanos, long workNanos) throws Exception {
        return run(check(framework, setting, refill, recordNanos, workNanos), warmUpNanos);
    }

    /** Runs a checked request (see {@link #run(String, String, int, long, long, long)}). */
    static PipelineTraceAnalysis.Report run(Setup setup, long warmUpNanos) throws Exception {
        PipelineBenchmark.Meter meter = setup.meter();
        int capacity = setup.capacity();
        long recordNanos = setup.recordNanos();
        long workNanos = setup.workNanos();
        Trace trace = new Trace(PipelineBenchmark.STAGES, capacity);
        Pipeline pipeline = setup.throughput() > 0
                ? spinoff(setup.throughput(), trace, workNanos, meter)
                : pekko(setup.setting(), trace, workNanos, meter);
        try {
            long warmed = System.nanoTime() + warmUpNanos;
            while (System.nanoTime() < warmed) {
                pipeline.entry().accept(meter.admit());
            }
            meter.drain();
            trace.register(); // the source, so that its scheduler statistics are reported too
            List<Trace.Traced> threads = trace.threads();
            List<OsThreadStats> before = threads.stream().map(t -> OsThreadStats.read(t.tid())).toList();
            trace.on = true;
            long ends = System.nanoTime() + recordNanos;
            int sent = 0;
            while (System.nanoTime() < ends && sent < capacity) {
                long now = meter.admit();
                trace.sent[sent++] = now;
                pipeline.entry().accept(now);
            }
            meter.drain();
            trace.on = false;
            if (sent == capacity) {
                System.err.println("PipelineTrace: the record filled up after " + sent + " messages, before the "
                        + recordNanos / 1_000_000 + " ms asked for; the report covers those messages.");
            }
            List<OsThreadStats> over = new ArrayList<>();
            for (int t = 0; t < threads.size(); t++) {
                OsThreadStats after = OsThreadStats.read(threads.get(t).tid());
                over.add(after == null || before.get(t) == null ? null : after.minus(before.get(t)));
            }
            return PipelineTraceAnalysis.analyse(trace, sent, workNanos, over);
        } finally {
            pipeline.stop().close();
        }
    }

    static final String USAGE = "Usage: PipelineTrace spinoff|pekko SETTING REFILL SECONDS [WORK_MICROS],"
            + " e.g. PipelineTrace spinoff 64 1 4, or PipelineTrace pekko fj-64 32 4 10";

    /** @throws IllegalArgumentException naming the argument and the usage when it is not a positive whole number */
    static int positive(String what, String value) {
        try {
            int number = Integer.parseInt(value);
            if (number > 0) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("PipelineTrace: " + what + " must be a positive whole number, got '"
                + value + "'. " + USAGE);
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4 || args.length > 5) {
            System.err.println(USAGE);
            System.exit(2);
        }
        int refill;
        Setup setup;
        try {
            refill = positive("REFILL", args[2]);
            int seconds = positive("SECONDS", args[3]);
            long workNanos = (args.length == 5 ? positive("WORK_MICROS", args[4]) : 10) * 1_000L;
            setup = check(args[0], args[1], refill, seconds * 1_000_000_000L, workNanos);
        } catch (IllegalArgumentException e) {
            // Bad arguments (the refill's range comes from the meter): the message names the fix.
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        PipelineTraceAnalysis.Report report = run(setup, WARM_UP_SECONDS * 1_000_000_000L);
        System.out.print(report.format(args[0] + " " + args[1] + ", refill " + refill + ", "
                + setup.workNanos() / 1_000 + " us per stage (" + Math.round(Work.iterationsPerMicro())
                + " iterations/us)"));
    }
}
