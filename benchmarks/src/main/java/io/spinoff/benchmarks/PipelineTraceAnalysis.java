package io.spinoff.benchmarks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link PipelineTrace.Trace} says: {@link #analyse} turns the record of one run into a
 * {@link Report} (throughput, latency percentiles, each thread's part, the stages working at once,
 * the slowest windows, the waits before each stage). Pure computation on a finished record, on
 * the thread that calls it.
 */
final class PipelineTraceAnalysis {
    private PipelineTraceAnalysis() {}

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
                      long[] gapNanos, long longGapNanos, long longGapWaitingNanos,
                      PipelineTrace.OsThreadStats os) {}

    /** Gaps at least this long are examined for whether some stage had work waiting meanwhile. */
    static final long LONG_GAP_NANOS = 100_000;
    /** The step at which a long gap is examined. */
    static final long GAP_STEP_NANOS = 5_000;

    /**
     * @return whether at {@code time} some stage had a message waiting for it and was not running:
     *     work a free carrier could have taken. Stage {@code s}'s messages become ready in order
     *     (when the source sent them, or when stage {@code s - 1} ended them) and start in order.
     */
    static boolean workWaiting(PipelineTrace.Trace trace, int messages, long time) {
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
    static Report analyse(PipelineTrace.Trace trace, int messages, long workNanos,
                          List<PipelineTrace.OsThreadStats> osStats) {
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

        List<PipelineTrace.Trace.Traced> names = trace.threads();
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
    private static ThreadPart threadPart(PipelineTrace.Trace trace, int messages, long workNanos, int t, String name,
                                         PipelineTrace.OsThreadStats os) {
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
}
