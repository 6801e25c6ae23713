package io.spinoff.runtime;

import static io.spinoff.runtime.SupTestKit.alive;
import static io.spinoff.runtime.SupTestKit.await;
import static io.spinoff.runtime.SupTestKit.awaitLiveActors;
import static io.spinoff.runtime.SupTestKit.stopAndAwait;
import static io.spinoff.runtime.SupTestKit.worker;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.SupervisorStrategy.Directive;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Death watch: notices and their reasons, watching the dead, unwatch, and the death pact. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class WatchTest {

    private static final String WATCHER = "/user/watcher";

    @RegisterExtension
    final SupLogCapture log = new SupLogCapture();

    private static SupWorker spawnWatcher(ActorSystem system, SupJournal journal) {
        return SupActor.spawn(system, journal, SupSpec.of("watcher").asWatcher());
    }

    private static void watch(SupWorker watcher, Object target) {
        await(watcher.run(actor -> {
            actor.context().watch(target);
            return null;
        }));
    }

    private static void unwatch(SupWorker watcher, Object target) {
        await(watcher.run(actor -> {
            actor.context().unwatch(target);
            return null;
        }));
    }

    /** Asserts that no notice is pending: an ask to the watcher is answered after any notice queued before it. */
    private static void assertNoNotice(SupJournal journal, SupWorker watcher) {
        await(watcher.count());
        assertNull(journal.noticesOf(WATCHER).poll(), "no death notice expected");
    }

    @Test
    void stoppedActorDeliversStopped() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("watch-stopped")) {
            SupWorker watcher = spawnWatcher(system, journal);
            SupWorker target = SupActor.spawn(system, journal, SupSpec.of("target"));
            watch(watcher, target);
            watch(watcher, target);
            system.stop(target);
            Terminated notice = journal.nextNotice(WATCHER);
            assertEquals("/user/target", notice.address());
            assertEquals(system.ref("/user/target").address(), notice.actor().address());
            assertEquals(Terminated.Reason.STOPPED, notice.reason());
            assertNull(notice.cause());
            assertNoNotice(journal, watcher);
            stopAndAwait(system, watcher);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void restartIsNotATermination() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("watch-restart")) {
            SupWorker watcher = spawnWatcher(system, journal);
            SupWorker target = SupActor.spawn(system, journal, SupSpec.of("target"));
            watch(watcher, target);
            target.fail(new SupFailure("restarted, still alive"));
            assertEquals(0, await(target.count()));
            assertNoNotice(journal, watcher);
            system.stop(target);
            assertEquals(Terminated.Reason.STOPPED, journal.nextNotice(WATCHER).reason());
            stopAndAwait(system, watcher);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void actorStoppedBySupervisorAfterFailureDeliversFailedWithTheCause() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("watch-failed")) {
            SupWorker watcher = spawnWatcher(system, journal);
            SupWorker parent = SupActor.spawn(system, journal, SupSpec.of("parent", SupSpec.of("target"))
                    .withStrategy(SupervisorStrategy.DEFAULT.withDecider(cause -> Directive.STOP)));
            awaitLiveActors(system, 3);
            SupWorker target = worker(system, "/user/parent/target");
            watch(watcher, target);
            SupFailure failure = new SupFailure("stop me");
            target.fail(failure);
            Terminated notice = journal.nextNotice(WATCHER);
            assertEquals("/user/parent/target", notice.address());
            assertEquals(Terminated.Reason.FAILED, notice.reason());
            assertSame(failure, notice.cause());

            // Watching it again, now that it is dead, gives the same notice at once.
            watch(watcher, target);
            Terminated again = journal.nextNotice(WATCHER);
            assertEquals(Terminated.Reason.FAILED, again.reason());
            assertSame(failure, again.cause());
            stopAndAwait(system, parent);
            stopAndAwait(system, watcher);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void watchingADeadActorDeliversAtOnce() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("watch-dead")) {
            SupWorker watcher = spawnWatcher(system, journal);
            SupWorker target = SupActor.spawn(system, journal, SupSpec.of("target"));
            stopAndAwait(system, target);
            long start = System.nanoTime();
            watch(watcher, target);
            Terminated notice = journal.nextNotice(WATCHER);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(1), "delivered at once");
            assertEquals("/user/target", notice.address());
            assertEquals(Terminated.Reason.STOPPED, notice.reason());

            // An address where no actor ever lived is as good as dead.
            watch(watcher, system.lookup(SupWorker.class, "/user/never-was"));
            assertEquals("/user/never-was", journal.nextNotice(WATCHER).address());
            stopAndAwait(system, watcher);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void unwatchPreventsDelivery() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("unwatch")) {
            SupWorker watcher = spawnWatcher(system, journal);
            SupWorker target = SupActor.spawn(system, journal, SupSpec.of("target"));
            watch(watcher, target);
            unwatch(watcher, target);
            stopAndAwait(system, target);
            assertNoNotice(journal, watcher);
            stopAndAwait(system, watcher);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void unwatchDropsANoticeAlreadyQueued() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.builder("unwatch-queued").parallelism(4).build()) {
            SupWorker watcher = spawnWatcher(system, journal);
            SupWorker target = SupActor.spawn(system, journal, SupSpec.of("target"));
            // On one turn: watch, wait until the target has terminated (so its notice is in the
            // watcher's mailbox), then unwatch before the notice is handled.
            await(watcher.run(actor -> {
                actor.context().watch(target);
                system.stop(target).toCompletableFuture().get(5, TimeUnit.SECONDS);
                actor.context().unwatch(target);
                return null;
            }));
            assertNoNotice(journal, watcher);
            stopAndAwait(system, watcher);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void watcherWithoutOnTerminatedFailsWithDeathPactAndIsStopped() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("death-pact")) {
            SupWorker observer = spawnWatcher(system, journal);
            SupWorker pact = SupActor.spawn(system, journal, SupSpec.of("pact"));
            SupWorker target = SupActor.spawn(system, journal, SupSpec.of("target"));
            assertEquals(false, await(pact.run(actor -> actor instanceof SupWatcherActor)), "pact keeps the default onTerminated");
            watch(observer, pact);
            watch(pact, target);
            system.stop(target);

            Terminated notice = journal.nextNotice(WATCHER);
            assertEquals("/user/pact", notice.address());
            assertEquals(Terminated.Reason.FAILED, notice.reason(), "the default strategy stops on a death pact");
            DeathPactException pactFailure = assertInstanceOf(DeathPactException.class, notice.cause());
            assertEquals("/user/target", pactFailure.terminated().address());
            assertEquals(Terminated.Reason.STOPPED, pactFailure.terminated().reason());
            assertFalse(alive(system, "/user/pact"));
            assertEquals(0, system.metrics().restarts(), "a death pact is not restarted by default");
            stopAndAwait(system, observer);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void deathPactCarriesTheWatchedActorsFailure() throws Exception {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.builder("death-pact-failed")
                .guardianStrategy(SupervisorStrategy.DEFAULT.on(SupFailure.class, Directive.STOP)).build()) {
            SupWorker observer = spawnWatcher(system, journal);
            SupWorker pact = SupActor.spawn(system, journal, SupSpec.of("pact"));
            SupWorker target = SupActor.spawn(system, journal, SupSpec.of("target"));
            watch(observer, pact);
            watch(pact, target);
            SupFailure failure = new SupFailure("target fails and is stopped");
            target.fail(failure);
            DeathPactException pactFailure = assertInstanceOf(DeathPactException.class, journal.nextNotice(WATCHER).cause());
            assertEquals(Terminated.Reason.FAILED, pactFailure.terminated().reason());
            assertSame(failure, pactFailure.getCause(), "the pact's exception is caused by the watched actor's");
            stopAndAwait(system, observer);
            assertEquals(0, system.metrics().liveActors());
        }
    }

    @Test
    void whenTerminatedCompletesFromOutside() {
        SupJournal journal = new SupJournal();
        try (ActorSystem system = ActorSystem.create("when-terminated")) {
            SupWorker target = SupActor.spawn(system, journal, SupSpec.of("target"));
            assertFalse(system.whenTerminated(target).toCompletableFuture().isDone());
            system.stop(target);
            await(system.whenTerminated(target));
            await(system.whenTerminated(target));
            assertEquals(0, system.metrics().liveActors());
        }
    }
}
