package io.spinoff.benchmarks.report;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The named sets of Savina benchmarks whose Spinoff-vs-Pekko ratios are summed up by a geometric
 * mean, each with its target: the geometric mean at least {@link #target()} and no benchmark's
 * interval wholly below 1. The concurrency set is the four the suite implements (Savina's Sleeping
 * Barber is not among them).
 */
enum BenchmarkGroup {
    MICRO("Savina micro-benchmarks", 1.5, List.of("SavinaPingPong", "SavinaCounting", "SavinaForkJoinThroughput",
            "SavinaForkJoinCreation", "SavinaThreadRing", "SavinaChameneos", "SavinaBig", "SavinaFibonacci")),
    CONCURRENCY("Savina concurrency benchmarks", 1.3, List.of("SavinaBank", "SavinaProducerConsumer",
            "SavinaPhilosophers", "SavinaLogisticMap"));

    private final String title;
    private final double target;
    private final List<String> members;

    BenchmarkGroup(String title, double target, List<String> members) {
        this.title = title;
        this.target = target;
        this.members = members;
    }

    /** @return the heading of the group's section */
    String title() {
        return title;
    }

    /** @return the ratio the group's geometric mean must reach, also shown against each benchmark */
    double target() {
        return target;
    }

    /** @return the simple names of the member classes, in the report's order */
    List<String> members() {
        return members;
    }

    /** @return the group of the benchmark class with this simple name, if any */
    static Optional<BenchmarkGroup> of(String simpleClassName) {
        return Arrays.stream(values()).filter(group -> group.members.contains(simpleClassName)).findFirst();
    }
}
