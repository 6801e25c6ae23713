package io.spinoff.benchmarks;

import io.spinoff.runtime.ActorSystem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * optionally, the µs of work per stage (10 by default). The report (see {@link Report}) is
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

    /** Upper bounds (ns, exclusive) of the classes of gaps between two stage works on one thread. */
    static final long[] GAP_BOUNDS = {5_000, 20_000, 100_000, 1_000_000, 5_000_000, Long.MAX_VALUE};
    static final String[] GAP_NAMES = {"<5us", "5-20us", "20-100us", "0.1-1ms", "1-5ms", ">5ms"};
    /** The windows whose completions are counted to find the slow stretches. */
    static final long WINDOW_NANOS = 4_000_000;

    /**
     * One thread's part: messages (stage works) it ran, the time in that work, the works that took
     * more than twice the nominal work (the thread lost its core in the middle), the switches from
     * one stage to another, its gaps by class ({@link #GAP_NAMES}: count and total ns), and the
     * total of its gaps of {@link #LONG_GAP_NANOS} or more with the part of it during which some
     * stage had work waiting ({@link #workWaiting}). A gap runs from the end of one stage's work
     * to the start of the next on the thread: the runtime's passing of the message and scheduling
     * of the next stage, the sink's share of the harness (its record, the histogram, the source's
     * wake-up), and any time the thread was parked or off its core.
     */
    record ThreadPart(String name, int works, long workNanos, int stretched, int stageSwitches, long[] gapCounts,
                      long[] gapNanos, long longGapNanos, long longGapWaitingNanos, OsThreadStats os) {}

    /** Gaps at least this long are examined for whether some stage had work waiting meanwhile. */
    static final long LONG_GAP_NANOS = 100_000;
    /** The step at which a long gap is examined. */
    static final long GAP_STEP_NANOS = 5_000;

    /**
     * @return whether at {@code time} some stage had a message waiting for it and was not running:
     *     work a free carrier could have taken. Stage {@code s}'s messages become ready in order
     *     (when the source sent them, or when stage {@code s - 1} ended them) and start in order.
     */
    static boolean workWaiting(Trace trace, int messages, long time) {
        for (int s = 0; s < trace.stages; s++) {
            long[] ready = s == 0 ? trace.sent : trace.end[s - 1];
            int readyCount = countAtMost(ready, messages, time);
            int started = countAtMost(trace.start[s], messages, time);
            boolean running = started > 0 && trace.end[s][started - 1] > time;
            if (readyCount > started && !running) {
                return true;
            }
        }
        return false;
    }

    /** @return how many of the first {@code n} values of the ascending {@code sorted} are at most {@code value} */
    private static int countAtMost(long[] sorted, int n, long value) {
        int low = 0;
        int high = n;
        while (low < high) {
            int middle = (low + high) >>> 1;
            if (sorted[middle] <= value) {
                low = middle + 1;
            } else {
                high = middle;
            }
        }
        return low;
    }

    /**
     * What a trace says.
     *
     * @param messages messages recorded
     * @param nanos from the first send to the last arrival
     * @param latencyPercentiles end-to-end latency (ns) at 50, 99 and 99.9
     * @param threads the threads that ran stage work
     * @param busyShares the share of the time with 0, 1, 2 and more stages working at once
     * @param slowBusyShares the same over the slowest 1% (at least one) of the sliding
     *     {@link #WINDOW_NANOS} windows by arrivals, each moment counted once
     * @param windowCompletions arrivals of the sliding windows at ranks {@code n / 100},
     *     {@code n / 20} and {@code n / 2} of the {@code n} windows sorted by arrivals (zeros when
     *     the record is shorter than one window)
     * @param meanWait mean wait (ns) of a message before each stage and before the sink
     * @param slowMeanWait the same for the messages at or above the 99th percentile of latency
     */
    record Report(int messages, long nanos, long[] latencyPercentiles, List<ThreadPart> threads,
                  double[] busyShares, double[] slowBusyShares, int[] windowCompletions, double[] meanWait,
                  double[] slowMeanWait) {

        String format(String title) {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%s: %d messages in %.2f s = %.1f k msg/s; latency p50 %.2f p99 %.2f"
                            + " p99.9 %.2f ms%n", title, messages, nanos / 1e9, messages / (nanos / 1e9) / 1e3,
                    latencyPercentiles[0] / 1e6, latencyPercentiles[1] / 1e6, latencyPercentiles[2] / 1e6));
            for (ThreadPart part : threads) {
                out.append(describe(part, nanos));
            }
            out.append(String.format(Locale.ROOT, "  stages working at once 0/1/2+: %.1f%% %.1f%% %.1f%%; in the"
                            + " slowest 1%% of 4 ms windows: %.1f%% %.1f%% %.1f%%%n", 100 * busyShares[0],
                    100 * busyShares[1], 100 * (busyShares[2] + busyShares[3]), 100 * slowBusyShares[0],
                    100 * slowBusyShares[1], 100 * (slowBusyShares[2] + slowBusyShares[3])));
            out.append(String.format(Locale.ROOT, "  arrivals per 4 ms window: p1 %d, p5 %d, p50 %d%n",
                    windowCompletions[0], windowCompletions[1], windowCompletions[2]));
            out.append("  mean wait before each stage and the sink (ms): all").append(millis(meanWait))
                    .append("; slowest 1%").append(millis(slowMeanWait)).append(System.lineSeparator());
            return out.toString();
        }

        private static String describe(ThreadPart part, long nanos) {
            StringBuilder out = new StringBuilder("  ").append(part.name()).append(':');
            if (part.works() == 0) {
                out.append(" no stage work");
            } else {
                out.append(String.format(Locale.ROOT, " %d works, %.1f%% of the time in work, %d stretched past"
                                + " twice the work, %d stage switches; gaps", part.works(),
                        100.0 * part.workNanos() / nanos, part.stretched(), part.stageSwitches()));
                for (int c = 0; c < GAP_NAMES.length; c++) {
                    out.append(String.format(Locale.ROOT, " %s %d (%.1f ms)", GAP_NAMES[c], part.gapCounts()[c],
                            part.gapNanos()[c] / 1e6));
                }
                if (part.longGapNanos() > 0) {
                    out.append(String.format(Locale.ROOT, "; in gaps of 0.1 ms or more, some stage had work"
                            + " waiting %.0f%% of the time", 100.0 * part.longGapWaitingNanos() / part.longGapNanos()));
                }
            }
            out.append(System.lineSeparator());
            if (part.os() != null) {
                out.append(String.format(Locale.ROOT, "    scheduler: %.0f ms on a core, %.0f ms waiting for one,"
                                + " %d voluntary and %d involuntary switches%n", part.os().runNanos() / 1e6,
                        part.os().queuedNanos() / 1e6, part.os().voluntary(), part.os().involuntary()));
            }
            return out.toString();
        }

        private static String millis(double[] nanos) {
            StringBuilder out = new StringBuilder();
            for (double value : nanos) {
                out.append(String.format(Locale.ROOT, " %.2f", value / 1e6));
            }
            return out.toString();
        }
    }

    /**
     * @param trace a finished trace whose every stage recorded {@code messages} messages
     * @param messages messages sent while recording
     * @param workNanos the nominal work of a stage
     * @param osStats each thread's scheduler statistics over the recording (by index; null entries
     *     where unknown)
     * @throws IllegalStateException if a stage recorded another number of messages, or none were
     */
    static Report analyse(Trace trace, int messages, long workNanos, List<OsThreadStats> osStats) {
        int stages = trace.stages;
        if (trace.tooManyThreads) {
            throw new IllegalStateException("PipelineTrace: more than " + Byte.MAX_VALUE
                    + " threads ran the pipeline; the record names at most that many.");
        }
        if (messages < 2) {
            throw new IllegalStateException("PipelineTrace: expected at least 2 messages recorded, got " + messages);
        }
        for (int s = 0; s <= stages; s++) {
            if (trace.count[s] != messages) {
                throw new IllegalStateException("PipelineTrace: stage " + s + " recorded " + trace.count[s]
                        + " messages, expected " + messages + " (the record holds " + trace.capacity + ")");
            }
        }
        long[] arrival = trace.end[stages];
        long first = trace.sent[0];
        long last = arrival[messages - 1];
        long[] latency = new long[messages];
        for (int k = 0; k < messages; k++) {
            latency[k] = arrival[k] - trace.sent[k];
        }
        long[] sorted = latency.clone();
        Arrays.sort(sorted);
        long[] percentiles = {at(sorted, 0.50), at(sorted, 0.99), at(sorted, 0.999)};

        List<Trace.Traced> names = trace.threads();
        List<ThreadPart> parts = new ArrayList<>();
        for (int t = 0; t < names.size(); t++) {
            parts.add(threadPart(trace, messages, workNanos, t, names.get(t).name(),
                    t < osStats.size() ? osStats.get(t) : null));
        }

        // Stages working at once: sweep the starts and ends of every work, in 1 ms buckets too.
        int works = stages * messages;
        long[] events = new long[2 * works];
        int e = 0;
        for (int s = 0; s < stages; s++) {
            for (int k = 0; k < messages; k++) {
                events[e++] = (trace.start[s][k] - first) << 1 | 1;
                events[e++] = (trace.end[s][k] - first) << 1;
            }
        }
        Arrays.sort(events);
        int buckets = (int) ((last - first) / 1_000_000) + 1;
        long[][] bucketLevels = new long[buckets][4];
        long[] levels = new long[4];
        int level = 0;
        long previous = 0;
        for (int i = 0; i <= events.length; i++) {
            // After the last work ends, none works until the last arrival.
            long time = i < events.length ? Math.max(events[i] >> 1, 0) : last - first;
            for (long from = previous; from < time; ) {
                int bucket = (int) (from / 1_000_000);
                long to = Math.min(time, (bucket + 1) * 1_000_000L);
                int l = Math.min(level, 3);
                levels[l] += to - from;
                if (bucket < buckets) {
                    bucketLevels[bucket][l] += to - from;
                }
                from = to;
            }
            previous = Math.max(previous, time);
            if (i < events.length) {
                level += (events[i] & 1) == 1 ? 1 : -1;
            }
        }

        // Sliding windows of 4 ms (4 whole 1 ms buckets, one step apart; a last, partial bucket is
        // left out) by arrivals; the slowest 1% of them (at least one), by rank. A bucket in several
        // of the slowest windows counts once.
        int whole = (int) ((last - first) / 1_000_000);
        int[] arrivals = new int[buckets];
        for (int k = 0; k < messages; k++) {
            arrivals[(int) Math.min((arrival[k] - first) / 1_000_000, buckets - 1)]++;
        }
        int per = (int) (WINDOW_NANOS / 1_000_000);
        int windows = Math.max(whole - per + 1, 0);
        int[] windowCompletions = new int[3];
        long[] slowLevels = new long[4];
        if (windows > 0) {
            int[] window = new int[windows];
            Integer[] byArrivals = new Integer[windows];
            for (int w = 0; w < windows; w++) {
                for (int b = w; b < w + per; b++) {
                    window[w] += arrivals[b];
                }
                byArrivals[w] = w;
            }
            Arrays.sort(byArrivals, (a, b) -> Integer.compare(window[a], window[b]));
            windowCompletions = new int[] {window[byArrivals[windows / 100]], window[byArrivals[windows / 20]],
                    window[byArrivals[windows / 2]]};
            boolean[] inSlow = new boolean[whole];
            for (int rank = 0; rank < Math.max(windows / 100, 1); rank++) {
                Arrays.fill(inSlow, byArrivals[rank], byArrivals[rank] + per, true);
            }
            for (int b = 0; b < whole; b++) {
                if (inSlow[b]) {
                    for (int l = 0; l < 4; l++) {
                        slowLevels[l] += bucketLevels[b][l];
                    }
                }
            }
        }

        // Waits before each stage and the sink, for every message and for the slowest 1%.
        long p99 = percentiles[1];
        double[] wait = new double[stages + 1];
        double[] slowWait = new double[stages + 1];
        int slow = 0;
        for (int k = 0; k < messages; k++) {
            boolean isSlow = latency[k] >= p99;
            slow += isSlow ? 1 : 0;
            long ready = trace.sent[k];
            for (int s = 0; s <= stages; s++) {
                long waited = trace.start[s][k] - ready;
                wait[s] += waited;
                if (isSlow) {
                    slowWait[s] += waited;
                }
                ready = trace.end[s][k];
            }
        }
        for (int s = 0; s <= stages; s++) {
            wait[s] /= messages;
            slowWait[s] /= slow;
        }
        return new Report(messages, last - first, percentiles, parts, shares(levels), shares(slowLevels),
                windowCompletions, wait, slowWait);
    }

    private static long at(long[] sorted, double fraction) {
        return sorted[Math.min((int) (sorted.length * fraction), sorted.length - 1)];
    }

    private static double[] shares(long[] nanos) {
        long total = Arrays.stream(nanos).sum();
        double[] shares = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            shares[i] = total == 0 ? 0 : (double) nanos[i] / total;
        }
        return shares;
    }

    /** @return thread {@code t}'s part (no works for a thread that ran no stage's work, such as the source) */
    private static ThreadPart threadPart(Trace trace, int messages, long workNanos, int t, String name,
                                         OsThreadStats os) {
        List<long[]> works = new ArrayList<>();
        for (int s = 0; s < trace.stages; s++) {
            for (int k = 0; k < messages; k++) {
                if (trace.thread[s][k] == t) {
                    works.add(new long[] {trace.start[s][k], trace.end[s][k], s});
                }
            }
        }
        works.sort((a, b) -> Long.compare(a[0], b[0]));
        long busy = 0;
        int stretched = 0;
        int switches = 0;
        long[] gapCounts = new long[GAP_BOUNDS.length];
        long[] gapNanos = new long[GAP_BOUNDS.length];
        long longGap = 0;
        long longGapWaiting = 0;
        for (int i = 0; i < works.size(); i++) {
            long[] work = works.get(i);
            busy += work[1] - work[0];
            if (work[1] - work[0] > 2 * workNanos) {
                stretched++;
            }
            if (i > 0) {
                long[] before = works.get(i - 1);
                long gap = work[0] - before[1];
                int c = 0;
                while (gap >= GAP_BOUNDS[c]) {
                    c++;
                }
                gapCounts[c]++;
                gapNanos[c] += gap;
                if (gap >= LONG_GAP_NANOS) {
                    longGap += gap;
                    for (long time = before[1] + GAP_STEP_NANOS / 2; time < work[0]; time += GAP_STEP_NANOS) {
                        if (workWaiting(trace, messages, time)) {
                            longGapWaiting += GAP_STEP_NANOS;
                        }
                    }
                }
                if (work[2] != before[2]) {
                    switches++;
                }
            }
        }
        return new ThreadPart(name, works.size(), busy, stretched, switches, gapCounts, gapNanos, longGap,
                Math.min(longGapWaiting, longGap), os);
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
    static Report run(String framework, String setting, int refill, long warmUpNanos, long recordNanos,
                      long workNanos) throws Exception {
        return run(check(framework, setting, refill, recordNanos, workNanos), warmUpNanos);
    }

    /** Runs a checked request (see {@link #run(String, String, int, long, long, long)}). */
    static Report run(Setup setup, long warmUpNanos) throws Exception {
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
            return analyse(trace, sent, workNanos, over);
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
        Report report = run(setup, WARM_UP_SECONDS * 1_000_000_000L);
        System.out.print(report.format(args[0] + " " + args[1] + ", refill " + refill + ", "
                + setup.workNanos() / 1_000 + " us per stage (" + Math.round(Work.iterationsPerMicro())
                + " iterations/us)"));
    }
}
