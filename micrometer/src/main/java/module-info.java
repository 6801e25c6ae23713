/**
 * Micrometer binding for Spinoff: {@link io.spinoff.micrometer.SpinoffMetrics} publishes a
 * system's figures to a Micrometer {@code MeterRegistry}.
 */
// Micrometer's core is an automatic module, named in its manifest; SpinoffMetrics is its MeterBinder.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module io.spinoff.micrometer {
    requires transitive io.spinoff.runtime;
    requires transitive micrometer.core;

    exports io.spinoff.micrometer;
}
