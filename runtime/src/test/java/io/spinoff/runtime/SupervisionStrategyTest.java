package io.spinoff.runtime;

import static io.spinoff.runtime.SupTestKit.alive;
import static io.spinoff.runtime.SupTestKit.await;
import static io.spinoff.runtime.SupTestKit.awaitLiveActors;
import static io.spinoff.runtime.SupTestKit.cell;
import static io.spinoff.runtime.SupTestKit.eventually;
import static io.spinoff.runtime.SupTestKit.failureOf;
import static io.spinoff.runtime.SupTestKit.instanceOf;
import static io.spinoff.runtime.SupTestKit.stopAndAwait;
import static io.spinoff.runtime.SupTestKit.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.SupervisorStrategy.Directive;
import io.spinoff.runtime.SupervisorStrategy.Kind;
import io.spinoff.runtime.internal.cell.ActorCell;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each strategy kind with each directive, as in Erlang/OTP's supervisor_SUITE: a supervisor
 * {@code sup} under a recording {@code root}, with children {@code c1}, {@code c2} (which has a
 * child {@code g2}) and {@code c3}, started in that order; {@code c2} fails.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SupervisionStrategyTest {

    private static final String ROOT = "/user/root";
    private static final String SUP = ROOT + "/sup";
    private static final List<String> CHILDREN = List.of("c1", "c2", "c3");
    private static final String G2 = SUP + "/c2/g2";

    @RegisterExtension
    final SupLogCapture log = new SupLogCapture();

    static Stream<Arguments> kindsAndDirectives() {
        List<Arguments> all = new ArrayList<>();
        for (Kind kind : Kind.values()) {
            for (Directive directive : Directive.values()) {
                all.add(Arguments.of(kind, directive));
            }
        }
        return all.stream();
    }

    /** The children a directive applies to when c2 fails, in Erlang's terms. */
    private static Set<String> targets(Kind kind) {
        return switch (kind) {
            case ONE_FOR_ONE -> Set.of("c2");
            case ALL_FOR_ONE -> Set.of("c1", "c2", "c3");
            case REST_FOR_ONE -> Set.of("c2", "c3");
        };
    }

    private static SupSpec tree(Kind kind, Directive directive, SupJournal journal) {
        SupervisorStrategy strategy = SupervisorStrategy.DEFAULT.withKind(kind).withDecider(cause -> directive);
        return SupSpec.of("root",
                SupSpec.of("sup", SupSpec.of("c1"), SupSpec.of("c2", SupSpec.of("g2")), SupSpec.of("c3"))
                        .withStrategy(strategy).watchingChildren())
                .withStrategy(journal.recording(Directive.RESUME));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("kindsAndDirectives")
    void directiveAppliesToTheKindsTargets(Kind kind, Directive directive) throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("strategy")) {
            SupWorker root = SupActor.spawn(system, journal, tree(kind, directive, journal));
            awaitLiveActors(system, 6);
            Map<String, Integer> idsBefore = new HashMap<>();
            Map<String, ActorCell> cellsBefore = new HashMap<>();
            for (String child : CHILDREN) {
                SupWorker proxy = worker(system, SUP + "/" + child);
                proxy.increment();
                proxy.increment();
                idsBefore.put(child, instanceOf(proxy));
                cellsBefore.put(child, cell(system, SUP + "/" + child));
            }
            ActorCell g2Before = cell(system, G2);
            long restartsBefore = system.metrics().restarts();

            SupWorker c2 = worker(system, SUP + "/c2");
            SupFailure failure = new SupFailure("c2 fails under " + kind + " " + directive);
            c2.fail(failure);
            c2.increment();
            c2.increment();
            c2.increment();
            CompletionStage<Integer> c2Count = c2.count();

            Set<String> targets = targets(kind);
            switch (directive) {
                case RESUME -> {
                    assertEquals(5, await(c2Count), "resumed c2 keeps its state and handles what was queued behind");
                    for (String child : CHILDREN) {
                        assertSameInstance(system, child, idsBefore, cellsBefore);
                    }
                    assertSame(g2Before, cell(system, G2), "resume keeps the children");
                    assertEquals(restartsBefore, system.metrics().restarts());
                }
                case RESTART -> {
                    assertEquals(3, await(c2Count),
                            "restarted c2 starts from zero, the failing message dropped, the queued ones handled");
                    for (String child : CHILDREN) {
                        SupWorker proxy = worker(system, SUP + "/" + child);
                        assertSame(cellsBefore.get(child), cell(system, SUP + "/" + child), "a restart keeps the cell");
                        if (targets.contains(child)) {
                            int newId = instanceOf(proxy);
                            assertNotEquals(idsBefore.get(child), newId, child + " has a new instance");
                            assertRestartedInOrder(journal, SUP + "/" + child, idsBefore.get(child), newId);
                            if (!child.equals("c2")) {
                                assertEquals(0, await(proxy.count()), child + " restarted with a fresh state");
                            }
                        } else {
                            assertSameInstance(system, child, idsBefore, cellsBefore);
                        }
                    }
                    eventually("a new g2 started by the new c2", () -> alive(system, G2) && cell(system, G2) != g2Before);
                    assertTrue(g2Before.isTerminated(), "the old c2's child was stopped");
                    int g2Stopped = indexOf(journal, "postStop", G2);
                    int c2PreRestart = indexOf(journal, "preRestart", SUP + "/c2");
                    assertTrue(g2Stopped >= 0 && g2Stopped < c2PreRestart,
                            "children stop before preRestart runs: " + journal.events());
                    assertEquals(restartsBefore + targets.size(), system.metrics().restarts());
                    awaitLiveActors(system, 6);
                }
                case STOP -> {
                    assertInstanceOf(ActorStoppedException.class, failureOf(c2Count),
                            "an ask queued behind the failure fails promptly once the actor is stopped");
                    Map<String, Terminated> notices = new HashMap<>();
                    for (int i = 0; i < targets.size(); i++) {
                        Terminated notice = journal.nextNotice(SUP);
                        notices.put(notice.actor().address().substring(SUP.length() + 1), notice);
                    }
                    assertEquals(targets, notices.keySet());
                    assertEquals(Terminated.Reason.FAILED, notices.get("c2").reason());
                    assertSame(failure, notices.get("c2").cause());
                    for (String target : targets) {
                        if (!target.equals("c2")) {
                            assertEquals(Terminated.Reason.STOPPED, notices.get(target).reason(), target);
                        }
                        assertTrue(cellsBefore.get(target).isTerminated(), target + " is stopped");
                    }
                    for (String child : CHILDREN) {
                        if (!targets.contains(child)) {
                            assertSameInstance(system, child, idsBefore, cellsBefore);
                        }
                    }
                    assertTrue(g2Before.isTerminated(), "a stopped child's children stop too");
                    awaitLiveActors(system, 2 + 3 - targets.size());
                }
                case ESCALATE -> {
                    assertSame(failure, journal.nextDecision(), "sup failed with c2's exception and root decided");
                    assertEquals(5, await(c2Count), "root resumed sup, and sup resumed c2");
                    for (String child : CHILDREN) {
                        assertSameInstance(system, child, idsBefore, cellsBefore);
                    }
                    assertEquals(restartsBefore, system.metrics().restarts());
                }
            }
            assertTrue(journal.decisions().isEmpty() || directive == Directive.ESCALATE,
                    "root decides only on an escalation: " + journal.decisions());
            assertEquals(0, await(root.count()), "root itself never failed");

            stopAndAwait(system, root);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    private static void assertSameInstance(ActorSystem system, String child, Map<String, Integer> idsBefore,
            Map<String, ActorCell> cellsBefore) {
        SupWorker proxy = worker(system, SUP + "/" + child);
        assertSame(cellsBefore.get(child), cell(system, SUP + "/" + child), child + " is the same actor");
        assertEquals(idsBefore.get(child), instanceOf(proxy), child + " is the same instance");
        int expected = child.equals("c2") ? 5 : 2;
        assertEquals(expected, await(proxy.count()), child + " kept its state");
    }

    private static void assertRestartedInOrder(SupJournal journal, String path, int oldId, int newId) {
        List<SupJournal.Event> events = journal.events();
        int pre = events.indexOf(new SupJournal.Event("preRestart", path, oldId));
        int post = events.indexOf(new SupJournal.Event("postRestart", path, newId));
        assertTrue(pre >= 0 && post > pre, "preRestart on the old instance, then postRestart on the new: " + events);
        assertEquals(-1, events.indexOf(new SupJournal.Event("postStop", path, oldId)),
                "a restart does not run postStop unless preRestart calls it");
    }

    private static int indexOf(SupJournal journal, String kind, String path) {
        List<SupJournal.Event> events = journal.events();
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i).kind().equals(kind) && events.get(i).path().equals(path)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void failingAskFailsTheCallerAndRestartsTheActor() {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("failing-ask")) {
            SupWorker worker = SupActor.spawn(system, journal, SupSpec.of("w"));
            worker.increment();
            int before = instanceOf(worker);
            SupFailure failure = new SupFailure("ask fails");
            assertSame(failure, failureOf(worker.failAsk(failure)), "the caller's future fails with the exception");
            assertEquals(0, await(worker.count()), "the failure also went to the supervisor, which restarted it");
            assertNotEquals(before, instanceOf(worker));
            assertEquals(1, system.metrics().restarts());
            stopAndAwait(system, worker);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void restartCancelsTimers() throws Exception {
        SupJournal journal = new SupJournal();
        ManualTime time = ManualTime.create();
        try (ActorSystem system = ActorSystem.builder("timers").manualTime(time).jmx(false).build()) {
            SupWorker worker = SupActor.spawn(system, journal, SupSpec.of("ticker"));
            String path = "/user/ticker";
            await(worker.run(actor -> {
                actor.context().timers().startTimerAtFixedRate("tick", new SupWorkerMessage.Tick(),
                        Duration.ofMillis(10), Duration.ofMillis(10));
                return null;
            }));
            time.advance(Duration.ofMillis(30));
            assertEquals(3, journal.ticks(path), "the timer ticked at 10, 20 and 30 ms");
            int before = instanceOf(worker);
            worker.fail(new SupFailure("restart the ticker"));
            assertNotEquals(before, instanceOf(worker), "the ticker restarted");
            assertEquals(Optional.empty(), time.untilNext(), "the restart left the timer scheduled");
            time.advance(Duration.ofMinutes(1));
            assertEquals(3, journal.ticks(path), "the restart cancelled the timer");
            assertEquals(false, await(worker.run(actor -> actor.context().timers().isTimerActive("tick"))));
            stopAndAwait(system, worker);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void restartKeepsTheMailboxOfAQueuedBurst() {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("burst")) {
            SupWorker worker = SupActor.spawn(system, journal, SupSpec.of("w"));
            // Failures and increments interleaved: each failure drops only itself, and each restart
            // keeps what is queued behind it.
            for (int i = 0; i < 5; i++) {
                worker.increment();
                worker.fail(new SupFailure("failure " + i));
                worker.increment();
                worker.increment();
            }
            assertEquals(2, await(worker.count()));
            assertEquals(5, system.metrics().restarts());
            assertEquals(5, journal.restarts("/user/w"));
            stopAndAwait(system, worker);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    /**
     * Two children of an all-for-one supervisor fail before it handles either failure: the first
     * restarts every child; the second comes from an incarnation that restart already replaced,
     * so it restarts nobody again.
     */
    @Test
    void simultaneousFailuresUnderAllForOneRestartEachChildOnce() throws Exception {
        SupJournal journal = new SupJournal();
        SupervisorStrategy allForOne = SupervisorStrategy.DEFAULT.withKind(Kind.ALL_FOR_ONE);
        try (ActorSystem system = ActorSystem.create("allForOneTwice")) {
            SupWorker sup = SupActor.spawn(system, journal,
                    SupSpec.of("sup", SupSpec.of("c1"), SupSpec.of("c2"), SupSpec.of("c3")).withStrategy(allForOne));
            awaitLiveActors(system, 4);
            long restartsBefore = system.metrics().restarts();
            java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            sup.block(entered, release);
            assertTrue(entered.await(5, TimeUnit.SECONDS), "sup is busy");
            try {
                worker(system, "/user/sup/c1").fail(new SupFailure("c1 fails"));
                worker(system, "/user/sup/c2").fail(new SupFailure("c2 fails"));
                eventually("both children failed while sup was busy", () -> log.recordsStartingWith("Actor /user/sup/c")
                        .stream().filter(record -> record.getMessage().contains(" failed: ")).count() >= 2);
            } finally {
                release.countDown();
            }
            for (String child : CHILDREN) {
                // System messages come first: once this is answered, every restart sup ordered is done.
                assertEquals(0, await(worker(system, "/user/sup/" + child).count()), child + " restarted");
            }
            for (String child : CHILDREN) {
                assertEquals(1, journal.restarts("/user/sup/" + child), child + " restarted once: " + journal.events());
            }
            assertEquals(restartsBefore + 3, system.metrics().restarts());
            stopAndAwait(system, sup);
        }
    }

    @Test
    void childrenOfARestartedActorAreNewActors() {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("children")) {
            SupWorker parent = SupActor.spawn(system, journal, SupSpec.of("p", SupSpec.of("a"), SupSpec.of("b")));
            awaitLiveActors(system, 3);
            ActorCell a = cell(system, "/user/p/a");
            ActorCell b = cell(system, "/user/p/b");
            parent.fail(new SupFailure("restart p"));
            eventually("new children", () -> {
                ActorCell newA = cell(system, "/user/p/a");
                ActorCell newB = cell(system, "/user/p/b");
                return newA != null && newB != null && newA != a && newB != b;
            });
            assertTrue(a.isTerminated() && b.isTerminated());
            assertEquals(List.of("b", "a"), journal.names("postStop"), "youngest child stops first");
            assertNotSame(a, cell(system, "/user/p/a"));
            awaitLiveActors(system, 3);
            stopAndAwait(system, parent);
            assertEquals(0, system.metrics().liveActors());
        }
    }
}
