/**
 * Testing Spinoff actors with JUnit 5: {@link io.spinoff.testkit.TestKit} owns an actor system
 * and checks it for leaks when closed, {@link io.spinoff.testkit.TestProbe} stands in for an actor
 * of any protocol, and {@link io.spinoff.testkit.SpinoffExtension} gives each test a fresh kit.
 */
module io.spinoff.testkit {
    requires transitive io.spinoff.runtime;
    requires transitive org.junit.jupiter.api;

    exports io.spinoff.testkit;
}
