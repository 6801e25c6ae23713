package io.spinoff.benchmarks.report;

import java.util.Arrays;
import java.util.Optional;

/**
 * The three JMH methods a Savina benchmark class holds, each with the parameter that selects its
 * configuration: {@code spinoff} (parameter {@code throughput}: messages per turn, 5, 64 or 256),
 * {@code pekko} (parameter {@code executor}: fj-5, fj-64, fj-256 or affinity) and the plain-Java
 * {@code baseline} (no configuration). Every other parameter is a problem size and defines a row
 * of its own.
 */
enum Side {
    SPINOFF("spinoff", "Spinoff", Optional.of("throughput")),
    PEKKO("pekko", "Pekko", Optional.of("executor")),
    BASELINE("baseline", "baseline", Optional.empty());

    private final String method;
    private final String title;
    private final Optional<String> settingParam;

    Side(String method, String title, Optional<String> settingParam) {
        this.method = method;
        this.title = title;
        this.settingParam = settingParam;
    }

    /** @return the JMH method name */
    String method() {
        return method;
    }

    /** @return the name shown in the report */
    String title() {
        return title;
    }

    /** @return the parameter that selects this side's configuration, if it has one */
    Optional<String> settingParam() {
        return settingParam;
    }

    /** @return whether {@code param} selects the configuration of some side (is not a size) */
    static boolean isSetting(String param) {
        return Arrays.stream(values()).anyMatch(side -> side.settingParam.filter(param::equals).isPresent());
    }

    /** @return the side whose JMH method is {@code method}, if any */
    static Optional<Side> ofMethod(String method) {
        return Arrays.stream(values()).filter(side -> side.method.equals(method)).findFirst();
    }
}
