package io.spinoff.benchmarks;

import java.util.Locale;

/**
 * Calibrated CPU work: {@link #spin(long)} keeps its thread busy for about the given time by
 * running a fixed number of iterations of an arithmetic loop, never by sleeping or by reading the
 * clock. The number of iterations per microsecond is measured once, when the class is
 * initialised, and can be measured again with {@link #measureIterationsPerMicro()} (to check it)
 * or {@link #recalibrate()} (to replace it). Each JMH fork measures it anew; to give every fork
 * (and so every framework) exactly the same work, fix it with the system property
 * {@value #ITERATIONS_PROPERTY} (say, to a figure printed by {@link #main} on the same machine).
 *
 * <p>Each iteration is one step of a 64-bit linear congruential generator followed by a xorshift:
 * every step depends on the one before, so the loop can be neither vectorised nor reduced to a
 * closed form; its result is compared with a constant, and a match stored to a volatile field, so
 * the JIT cannot drop it (the way JMH's {@code Blackhole} consumes a value). Since the work is a
 * count of iterations and not a deadline, a thread that is descheduled in the middle of a spin
 * still does all of it: the work per message is the same whatever the load.
 *
 * <p>The calibration warms the loop up for 200 ms (so that it is measured as the optimising
 * compiler compiled it), then times rounds of about 1 ms until {@value #ROUNDS} in a row bring no
 * faster one, and keeps the fastest, since other load on the machine (or a loop not yet fully
 * compiled) can only make a round slower.
 */
public final class Work {

    /**
     * Length of one calibration round: short, so that some rounds run within one time slice of a
     * loaded machine.
     */
    private static final long ROUND_NANOS = 1_000_000;
    private static final int ROUNDS = 30;
    /**
     * Warm-up before the rounds: long enough for the JIT's optimising compiler to have compiled
     * the loop even when the machine is busy, since rounds measured before that are too slow.
     */
    private static final long WARM_UP_NANOS = 200_000_000;
    /** The longest a calibration goes on measuring rounds. */
    private static final long CALIBRATION_NANOS = 2_000_000_000;

    /** The system property that fixes the iterations per microsecond instead of measuring them. */
    public static final String ITERATIONS_PROPERTY = "spinoff.work.iterations-per-us";

    /**
     * Stored to only when a spin ends on this value, which practically never happens; comparing
     * with it keeps the loop's result alive without a shared write per spin.
     */
    private static final long UNLIKELY = 0x5DEECE66DL;

    /** Written when a spin ends on {@link #UNLIKELY}, so that the comparison is never dead code. */
    private static volatile long sink;

    private static volatile double iterationsPerMicro = initialIterationsPerMicro();

    private Work() {}

    /**
     * Prints the iterations per microsecond measured now, for {@value #ITERATIONS_PROPERTY}.
     *
     * @param args none
     */
    public static void main(String[] args) {
        System.out.printf(Locale.ROOT, "%.1f%n", measureIterationsPerMicro());
    }

    /**
     * Burns the CPU of the calling thread for about {@code nanos} nanoseconds.
     *
     * @param nanos the time to spin; zero or less returns at once
     */
    public static void spin(long nanos) {
        if (nanos <= 0) {
            return;
        }
        long iterations = Math.max(1, Math.round(nanos / 1_000.0 * iterationsPerMicro));
        consume(burn(nanos, iterations));
    }

    /** @return the iterations per microsecond that {@link #spin(long)} uses */
    public static double iterationsPerMicro() {
        return iterationsPerMicro;
    }

    /**
     * Measures the speed of the loop again and uses the new figure from now on.
     *
     * @return the new iterations per microsecond
     */
    public static double recalibrate() {
        iterationsPerMicro = measureIterationsPerMicro();
        return iterationsPerMicro;
    }

    /**
     * Measures the speed of the loop now, without changing what {@link #spin(long)} uses: after
     * {@value #WARM_UP_NANOS} ns of warm-up, rounds of about 1 ms until {@value #ROUNDS} rounds in
     * a row have not been more than 1 % faster than the fastest so far (or
     * {@value #CALIBRATION_NANOS} ns have passed); the fastest round gives the figure.
     *
     * @return iterations per microsecond
     */
    public static double measureIterationsPerMicro() {
        long warmUpEnd = System.nanoTime() + WARM_UP_NANOS;
        for (int i = 0; System.nanoTime() < warmUpEnd; i++) {
            consume(burn(i, 20_000));
        }
        long iterations = 100_000;
        long elapsed = timed(iterations);
        while (elapsed < ROUND_NANOS / 4) {
            iterations *= 2;
            elapsed = timed(iterations);
        }
        iterations = Math.max(1, (long) (iterations * (double) ROUND_NANOS / elapsed));
        double best = 0;
        long deadline = System.nanoTime() + CALIBRATION_NANOS;
        for (int slower = 0; slower < ROUNDS && System.nanoTime() < deadline; slower++) {
            double rate = iterations * 1_000.0 / timed(iterations);
            if (rate > best * 1.01) {
                slower = -1;
            }
            best = Math.max(best, rate);
        }
        return best;
    }

    private static double initialIterationsPerMicro() {
        String fixed = System.getProperty(ITERATIONS_PROPERTY);
        if (fixed == null) {
            return measureIterationsPerMicro();
        }
        double value = Double.parseDouble(fixed);
        if (!(value > 0)) {
            throw new IllegalArgumentException(ITERATIONS_PROPERTY + " must be a positive number, not '" + fixed
                    + "'; leave it out to measure the speed of the loop.");
        }
        return value;
    }

    private static long timed(long iterations) {
        long start = System.nanoTime();
        consume(burn(start, iterations));
        return Math.max(1, System.nanoTime() - start);
    }

    private static void consume(long result) {
        if (result == UNLIKELY) {
            sink = result;
        }
    }

    private static long burn(long seed, long iterations) {
        long x = seed;
        for (long i = 0; i < iterations; i++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            x ^= x >>> 29;
        }
        return x;
    }
}
