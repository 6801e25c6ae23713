package io.spinoff.benchmarks.report;

import java.util.SplittableRandom;

/**
 * How the report computes its intervals.
 *
 * @param seed the bootstrap's seed: the same seed and results give the same report
 * @param resamples the number of bootstrap resamples
 * @param allowOneFork whether a benchmark measured in a single fork gets its point estimate with
 *     "interval unavailable" (a quick development run) instead of an error
 */
record ReportSettings(long seed, int resamples, boolean allowOneFork) {
    /** The seed used unless {@code -Dseed=...} says otherwise. */
    static final long DEFAULT_SEED = 20_261_202L;

    /** The resample count used unless {@code -Dresamples=...} says otherwise. */
    static final int DEFAULT_RESAMPLES = 10_000;

    ReportSettings {
        if (resamples < 100) {
            throw new IllegalArgumentException("the bootstrap needs at least 100 resamples, got " + resamples);
        }
    }

    /**
     * A random source for one interval, derived from the seed and the interval's name, so that an
     * interval does not change when other benchmarks are added to or left out of the results.
     */
    SplittableRandom random(String name) {
        return new SplittableRandom(seed ^ name.hashCode() * 0x9E37_79B9_7F4A_7C15L);
    }
}
