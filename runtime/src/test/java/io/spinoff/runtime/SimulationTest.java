package io.spinoff.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.ActorRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Systems under a deterministic simulation, without the test kit: every step runs on the test's
 * thread when it drives the simulation, in an order the seed chooses.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SimulationTest {

    /** Passes a ball back and forth; each bounce is logged with the player's name. */
    static final class Player extends Actor implements CorePing {
        private final String name;
        private final List<String> log;

        Player(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        public void ball(int remaining, CorePing partner) {
            log.add(name + remaining);
            if (remaining > 0) {
                partner.ball(remaining - 1, context().self(CorePing.class));
            }
        }
    }

    /** Three rallies at once; the log is the interleaving the seed chose. */
    private static List<String> rallies(long seed) {
        List<String> log = new ArrayList<>();
        Simulation simulation = Simulation.create(seed);
        try (ActorSystem system = ActorSystem.builder("sim").simulation(simulation).jmx(false).build()) {
            for (String pair : List.of("a", "b", "c")) {
                CorePing left = system.spawn(CorePing.class, () -> new Player(pair + "L", log), pair + "-left");
                CorePing right = system.spawn(CorePing.class, () -> new Player(pair + "R", log), pair + "-right");
                left.ball(20, right);
            }
            assertTrue(log.isEmpty(), "nothing runs until the simulation is driven");
            assertTrue(simulation.runUntilIdle());
            assertEquals(63, log.size());
        }
        return log;
    }

    @Test
    void theSeedChoosesTheInterleavingAndTheSameSeedRepeatsIt() {
        List<String> first = rallies(99);
        for (int i = 0; i < 20; i++) {
            assertEquals(first, rallies(99));
        }
        assertNotEquals(first, rallies(100), "two seeds, one interleaving of three rallies of 21 bounces");
    }

    @Test
    void aProcessThatBlocksOutsideTheSimulationIsReportedWithItsStack() {
        Simulation simulation = Simulation.create(1).stuckAfter(Duration.ofMillis(300));
        try (ActorSystem system = ActorSystem.builder("sim-stuck").simulation(simulation).jmx(false).build()) {
            system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    new CompletableFuture<Void>().get();
                }
            }, "stuck");
            IllegalStateException stuck = assertThrows(IllegalStateException.class, simulation::runUntilIdle);
            assertTrue(stuck.getMessage().contains("process /user/stuck ran for PT0.3S without handing control back"),
                    stuck.getMessage());
            assertTrue(stuck.getMessage().contains("await(...)"), stuck.getMessage());
            assertTrue(List.of(stuck.getStackTrace()).stream().anyMatch(frame -> frame.getMethodName().equals("get")),
                    "the process's own stack: " + List.of(stuck.getStackTrace()));
        }
    }

    @Test
    void aProcessTakesTurnsWithActorsThroughReceiveSleepAndAwait() {
        Simulation simulation = Simulation.recording(5, 1_000);
        List<String> log = new ArrayList<>();
        try (ActorSystem system = ActorSystem.builder("sim-process").simulation(simulation).jmx(false).build()) {
            Counter counter = system.spawn(Counter.class, CounterActor::new, "counter");
            ActorRef<Object> process = system.spawnProcess(() -> new Process() {
                @Override
                protected void run() throws Exception {
                    log.add("ready: " + await(CompletableFuture.completedFuture("done"), Duration.ofSeconds(1)));
                    counter.increment(2);
                    log.add("count: " + await(counter.get(), Duration.ofSeconds(1)));
                    sleep(Duration.ofMinutes(10));
                    log.add("slept until " + simulation.time().elapsed());
                    log.add("received: " + receive(String.class));
                    try {
                        receive(String.class, Duration.ofSeconds(30));
                    } catch (ReceiveTimeoutException e) {
                        log.add("no second message by " + simulation.time().elapsed());
                    }
                }
            }, "worker");
            simulation.runUntilIdle();
            assertEquals(List.of("ready: done", "count: 2"), log, "the process waits in its sleep");
            simulation.time().advance(Duration.ofMinutes(10));
            assertEquals(3, log.size());
            process.tell("hello");
            simulation.time().advance(Duration.ofSeconds(30));
            assertEquals(List.of("ready: done", "count: 2", "slept until PT10M", "received: hello",
                    "no second message by PT10M30S"), log);
            assertTrue(simulation.schedule().stream().anyMatch(step -> step.endsWith("process /user/worker")),
                    String.join("\n", simulation.schedule()));
            assertTrue(simulation.schedule().stream().anyMatch(step -> step.endsWith("/user/counter <- Counter.get()")),
                    String.join("\n", simulation.schedule()));
            assertTrue(simulation.schedule().stream().anyMatch(step -> step.contains("time is PT10M")),
                    String.join("\n", simulation.schedule()));
        }
    }

    @Test
    void drivingTheSimulationFromWithinItIsRefused() {
        Simulation simulation = Simulation.create(2);
        AtomicReference<Throwable> refused = new AtomicReference<>();
        try (ActorSystem system = ActorSystem.builder("sim-nested").simulation(simulation).jmx(false).build()) {
            system.spawnProcess(() -> new Process() {
                @Override
                protected void run() {
                    try {
                        simulation.runUntilIdle();
                    } catch (Throwable failure) {
                        refused.set(failure);
                    }
                }
            }, "driver");
            simulation.runUntilIdle();
        }
        assertInstanceOf(IllegalStateException.class, refused.get());
        assertTrue(refused.get().getMessage().contains("drive it from the test's thread"), refused.get().getMessage());
    }

    @Test
    void anActorThatClosesItsSimulatedSystemStopsEveryActorAndTheTestsCloseFinishes() {
        Simulation simulation = Simulation.create(3);
        ActorSystem system = ActorSystem.builder("sim-close").simulation(simulation).jmx(false).build();
        Counter counter = system.spawn(Counter.class, CounterActor::new, "counter");
        system.spawnProcess(() -> new Process() {
            @Override
            protected void run() {
                system.close();
            }
        }, "closer");
        simulation.runUntilIdle();
        assertEquals(0, system.metrics().liveActors(), "every actor stopped");
        system.close();
        assertTrue(system.whenClosed().toCompletableFuture().isDone());
        assertTrue(counter.get().toCompletableFuture().isCompletedExceptionally(), "an ask to a stopped actor fails");
    }

    @Test
    void aSimulatedSystemCannotBeANodeNorUseAnotherClockNorShareItsSimulation() {
        Simulation simulation = Simulation.create(4);
        IllegalStateException node = assertThrows(IllegalStateException.class, () -> ActorSystem.builder("n")
                .simulation(simulation).client().build());
        assertTrue(node.getMessage().contains("cannot be a node"), node.getMessage());
        IllegalStateException clock = assertThrows(IllegalStateException.class, () -> ActorSystem.builder("c")
                .simulation(simulation).manualTime(ManualTime.create()).build());
        assertTrue(clock.getMessage().contains("simulation.time()"), clock.getMessage());
        try (ActorSystem first = ActorSystem.builder("first").simulation(simulation).jmx(false).build()) {
            IllegalStateException shared = assertThrows(IllegalStateException.class,
                    () -> ActorSystem.builder("second").simulation(simulation).build());
            assertTrue(shared.getMessage().contains("one Simulation per system"), shared.getMessage());
        }
        IllegalArgumentException schedule = assertThrows(IllegalArgumentException.class, () -> Simulation.recording(1, 0));
        assertTrue(schedule.getMessage().contains("Simulation.create(seed)"), schedule.getMessage());
    }
}
