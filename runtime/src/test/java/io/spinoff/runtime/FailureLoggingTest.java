package io.spinoff.runtime;

import static io.spinoff.runtime.SupTestKit.await;
import static io.spinoff.runtime.SupTestKit.awaitLiveActors;
import static io.spinoff.runtime.SupTestKit.eventually;
import static io.spinoff.runtime.SupTestKit.stopAndAwait;
import static io.spinoff.runtime.SupTestKit.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.SupervisorStrategy.Directive;
import io.spinoff.runtime.internal.cell.ActorCell;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the log says about an actor's failure: one WARNING record with the exception attached
 * (so its stack trace is printed) per failure, wherever the failure travels afterwards. A restart
 * does not log it again, and each supervisor that escalates it logs one line without the trace
 * that names the child it came from.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class FailureLoggingTest {

    private static final SupervisorStrategy ESCALATE_ALL = SupervisorStrategy.DEFAULT.withDecider(cause -> Directive.ESCALATE);

    @RegisterExtension
    final SupLogCapture log = new SupLogCapture();

    /** @return the records that carry exactly this throwable */
    private List<LogRecord> recordsWith(Throwable thrown) {
        return log.records().stream().filter(record -> record.getThrown() == thrown).toList();
    }

    /** @return every record that carries a throwable, and so prints a stack trace */
    private List<LogRecord> recordsWithStackTraces() {
        return log.records().stream().filter(record -> record.getThrown() != null).toList();
    }

    /** @return the one WARNING record for this failure, with the throwable attached */
    private LogRecord theRecordOf(Throwable failure) {
        List<LogRecord> records = recordsWith(failure);
        assertEquals(1, records.size(), "one record carries " + failure + ": " + describe(records));
        LogRecord record = records.getFirst();
        assertEquals(Level.WARNING, record.getLevel(), record.getMessage());
        return record;
    }

    /** @return the records whose message starts with the prefix and mentions the fragment */
    private List<LogRecord> linesStartingWith(String prefix, String fragment) {
        return log.recordsStartingWith(prefix).stream().filter(record -> record.getMessage().contains(fragment)).toList();
    }

    private static String describe(List<LogRecord> records) {
        return records.stream().map(record -> record.getLevel() + " " + record.getMessage()).toList().toString();
    }

    @Test
    void eachFailureIsLoggedOnceAtWarningWithItsStackTraceAndRestartsDoNotLogItAgain() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("failure-log")) {
            SupWorker worker = SupActor.spawn(system, journal, SupSpec.of("w"));
            awaitLiveActors(system, 1);
            SupFailure first = new SupFailure("first failure");
            worker.fail(first);
            eventually("w restarted once", () -> journal.restarts("/user/w") == 1);
            assertEquals(0, await(worker.count()), "the new instance handles messages");

            SupFailure second = new SupFailure("second failure");
            assertSame(second, SupTestKit.failureOf(worker.failAsk(second)), "an ask's failure goes to the caller too");
            eventually("w restarted twice", () -> journal.restarts("/user/w") == 2);
            assertEquals(0, await(worker.count()));

            LogRecord firstRecord = theRecordOf(first);
            assertTrue(firstRecord.getMessage().startsWith("Actor /user/w failed"), firstRecord.getMessage());
            LogRecord secondRecord = theRecordOf(second);
            assertTrue(secondRecord.getMessage().startsWith("Actor /user/w failed"), secondRecord.getMessage());
            assertEquals(List.of(firstRecord, secondRecord), recordsWithStackTraces(),
                    "no other record prints a stack trace: " + describe(log.records()));
            stopAndAwait(system, worker);
        }
    }

    @Test
    void eachSupervisionDecisionIsLoggedAtDebugWithoutAStackTrace() throws Exception {
        java.util.logging.Logger runtime = java.util.logging.Logger.getLogger("io.spinoff.runtime");
        Level before = runtime.getLevel();
        runtime.setLevel(Level.FINE);
        try (ActorSystem system = ActorSystem.create("decision-log")) {
            SupJournal journal = new SupJournal();
            SupWorker worker = SupActor.spawn(system, journal, SupSpec.of("w"));
            awaitLiveActors(system, 1);
            SupFailure failure = new SupFailure("decide on me");
            worker.fail(failure);
            eventually("w restarted", () -> journal.restarts("/user/w") == 1);
            List<LogRecord> decisions = log.recordsStartingWith("Supervisor ").stream()
                    .filter(record -> record.getMessage().contains("decided RESTART for /user/w")).toList();
            assertEquals(1, decisions.size(), describe(log.records()));
            assertEquals(Level.FINE, decisions.getFirst().getLevel(), "DEBUG is JUL's FINE");
            assertTrue(decisions.getFirst().getMessage().endsWith("after: " + failure), decisions.getFirst().getMessage());
            assertEquals(null, decisions.getFirst().getThrown(), "the stack trace goes with the failure's own record");
            stopAndAwait(system, worker);
        } finally {
            runtime.setLevel(before);
        }
    }

    /** g (restarts) → p (escalates) → c (escalates) → gc (fails). */
    @Test
    void aFailureEscalatedTwiceIsLoggedWithItsStackTraceOnceAndOneLinePerSupervisor() throws Exception {
        SupJournal journal = new SupJournal();
        SupSpec tree = SupSpec.of("g",
                        SupSpec.of("p",
                                SupSpec.of("c", SupSpec.of("gc")).withStrategy(ESCALATE_ALL))
                                .withStrategy(ESCALATE_ALL))
                .withStrategy(journal.recording(Directive.RESTART));
        try (ActorSystem system = ActorSystem.create("escalation-log")) {
            SupWorker g = SupActor.spawn(system, journal, tree);
            awaitLiveActors(system, 4);
            SupFailure failure = new SupFailure("gc fails");
            worker(system, "/user/g/p/c/gc").fail(failure);
            assertSame(failure, journal.nextDecision(), "g decides on gc's exception");
            eventually("p restarted", () -> journal.restarts("/user/g/p") == 1);
            awaitLiveActors(system, 4);

            LogRecord record = theRecordOf(failure);
            assertTrue(record.getMessage().startsWith("Actor /user/g/p/c/gc failed"), record.getMessage());
            assertEquals(List.of(record), recordsWithStackTraces(), "the stack trace once: " + describe(log.records()));
            List<LogRecord> c = linesStartingWith("Actor /user/g/p/c failed", "child /user/g/p/c/gc");
            List<LogRecord> p = linesStartingWith("Actor /user/g/p failed", "child /user/g/p/c");
            assertEquals(1, c.size(), "c's failure is one line naming gc: " + describe(log.records()));
            assertEquals(1, p.size(), "p's failure is one line naming c: " + describe(log.records()));
            assertEquals(Level.WARNING, c.getFirst().getLevel());
            assertEquals(Level.WARNING, p.getFirst().getLevel());
            stopAndAwait(system, g);
        }
    }

    @Test
    void aFailureEscalatedPastTheRestartIntensityIsLoggedWithItsStackTraceOnce() throws Exception {
        SupJournal journal = new SupJournal();
        SupSpec tree = SupSpec.of("root",
                        SupSpec.of("sup", SupSpec.of("w"))
                                .withStrategy(SupervisorStrategy.DEFAULT.withMaxRestarts(1, Duration.ofMinutes(1))))
                .withStrategy(journal.recording(Directive.RESUME));
        try (ActorSystem system = ActorSystem.create("intensity-log")) {
            SupWorker root = SupActor.spawn(system, journal, tree);
            awaitLiveActors(system, 3);
            SupWorker w = worker(system, "/user/root/sup/w");
            SupFailure first = new SupFailure("restarted");
            w.fail(first);
            assertEquals(0, await(w.count()));
            SupFailure second = new SupFailure("one too many");
            w.fail(second);
            assertSame(second, journal.nextDecision(), "the failure escalates to root");
            awaitLiveActors(system, 2);
            assertEquals(0, await(worker(system, "/user/root/sup").count()), "root resumed sup");

            theRecordOf(first);
            LogRecord record = theRecordOf(second);
            assertTrue(record.getMessage().startsWith("Actor /user/root/sup/w failed"), record.getMessage());
            assertEquals(2, recordsWithStackTraces().size(), describe(log.records()));
            assertEquals(1, linesStartingWith("Actor /user/root/sup failed", "child /user/root/sup/w").size(),
                    "sup's failure is one line naming w: " + describe(log.records()));
            stopAndAwait(system, root);
        }
    }

    @Test
    void aFailureEscalatedToTheUserGuardianIsLoggedWithItsStackTraceOnce() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.builder("guardian-log").guardianStrategy(ESCALATE_ALL).build()) {
            SupActor.spawn(system, journal, SupSpec.of("top"));
            awaitLiveActors(system, 1);
            SupFailure failure = new SupFailure("top fails");
            worker(system, "/user/top").fail(failure);
            awaitLiveActors(system, 0);

            theRecordOf(failure);
            assertEquals(1, recordsWithStackTraces().size(), describe(log.records()));
            assertEquals(1, linesStartingWith("Failure of top-level actor /user/top", "stopping it").size(),
                    describe(log.records()));
        }
    }

    @Test
    void aFailureOfTheRuntimesOwnCodeIsLoggedWithItsStackTraceOnce() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("runtime-fault-log")) {
            SupWorker worker = SupActor.spawn(system, journal, SupSpec.of("w"));
            awaitLiveActors(system, 1);
            IllegalStateException fault = new IllegalStateException("injected runtime fault");
            AtomicBoolean armed = new AtomicBoolean(true);
            try {
                ActorCell.injectFaults((cell, message) -> {
                    if (cell.system() == system && armed.compareAndSet(true, false)) {
                        throw fault;
                    }
                });
                worker.increment();
                eventually("w restarted", () -> journal.restarts("/user/w") == 1);
            } finally {
                ActorCell.injectFaults(null);
            }
            assertEquals(0, await(worker.count()));

            List<LogRecord> records = recordsWith(fault);
            assertEquals(1, records.size(), describe(log.records()));
            assertEquals(Level.SEVERE, records.getFirst().getLevel(), "a fault of the runtime is an error");
            assertEquals(records, recordsWithStackTraces(), describe(log.records()));
            assertEquals(1, linesStartingWith("Actor /user/w failed", "injected runtime fault").size(),
                    describe(log.records()));
            stopAndAwait(system, worker);
        }
    }
}
