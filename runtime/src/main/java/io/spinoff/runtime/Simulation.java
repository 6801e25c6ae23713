package io.spinoff.runtime;

import io.spinoff.runtime.internal.dispatch.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A deterministic schedule for tests: the system built with it
 * ({@link ActorSystemBuilder#simulation}) runs every actor turn, process step and timer on the
 * thread that drives the simulation, one at a time, choosing the next among those ready with a
 * generator seeded by {@link #seed()}. Under one seed the same test makes the same choices, in the
 * same order, every time: a race that a seed exposes is replayed by running the test again with
 * that seed.
 *
 * <p>The system runs on the simulation's manual clock ({@link #time()}) and handles one message
 * per turn, so that each message is a point where another actor or process may run. It runs only
 * while something drives it: {@link #runUntilIdle()}, or the clock's {@link ManualTime#advance} and
 * {@link ManualTime#awaitIdle}, which run the ready steps before and after each timer they fire.
 * Between those calls the driving thread (the test's) may tell and ask the actors; the messages
 * wait until it drives the simulation again. So a test must not block on a future of the system
 * ({@code get}, {@code join}): nothing would run to complete it. The test kit's
 * {@code TestKit.deterministic(seed)} and its probes drive the simulation for the test.
 *
 * <p>A process runs on its own virtual thread, but only while the simulation lets it: from the
 * moment it is picked until it blocks in {@code receive}, {@code sleep} or {@code await} (or
 * ends). A process that blocks in any other way (a future's {@code get}, a lock, I/O) stops the
 * simulation: the driver reports it with {@link IllegalStateException} and the process's stack
 * after 10 s ({@link #stuckAfter}).
 *
 * <p><b>Threading:</b> one thread drives the simulation (and so runs the system); the methods here
 * may be called from any thread, but only the driving thread may call {@link #runUntilIdle()},
 * and not from within an actor or a process. One simulation runs one system, which cannot be a
 * node (remoting has threads of its own).
 */
public final class Simulation {

    /** The most steps {@link #runUntilIdle()} runs before it gives up on the system going idle. */
    public static final long MAX_STEPS = 10_000_000;

    private final Simulator simulator;
    private final ManualTime time = ManualTime.create();
    private final AtomicBoolean used = new AtomicBoolean();

    private Simulation(long seed, int scheduleLimit) {
        this.simulator = new Simulator(seed, scheduleLimit);
    }

    /**
     * @param seed the seed of the choices
     * @return a simulation that does not record its schedule
     */
    public static Simulation create(long seed) {
        return new Simulation(seed, 0);
    }

    /**
     * @param seed the seed of the choices
     * @param scheduleLimit how many of the latest steps {@link #schedule()} keeps, at least 1
     * @return a simulation that records its schedule
     */
    public static Simulation recording(long seed, int scheduleLimit) {
        if (scheduleLimit < 1) {
            throw new IllegalArgumentException("Keep at least one step of the schedule, not " + scheduleLimit
                    + "; use Simulation.create(seed) to keep none.");
        }
        return new Simulation(seed, scheduleLimit);
    }

    /**
     * @param limit how long, in real time, a process may run without blocking in {@code receive},
     *     {@code sleep} or {@code await} before the simulation reports it stuck (default 10 s)
     * @return this simulation
     */
    public Simulation stuckAfter(Duration limit) {
        Objects.requireNonNull(limit, "limit");
        simulator.handBackWithin(limit.toNanos());
        return this;
    }

    /** @return the seed */
    public long seed() {
        return simulator.seed();
    }

    /** @return the clock of the simulated system, which moves only when advanced */
    public ManualTime time() {
        return time;
    }

    /** @return how many steps (turns, process steps, tasks) have run */
    public long steps() {
        return simulator.steps();
    }

    /**
     * The latest steps, oldest first, one line each: its number, who ran ({@code /user/counter},
     * {@code process /user/probe-1}) and the message the turn took, as the generated message
     * prints it ({@code Counter.increment(5)}); and where the time moved. Empty when the
     * simulation does not record ({@link #create}).
     *
     * @return the schedule
     */
    public List<String> schedule() {
        return simulator.trace().stream().map(Object::toString).toList();
    }

    /**
     * Runs the ready steps until none is left, without moving the time. The driving thread only.
     *
     * @return whether the system went idle within {@link #MAX_STEPS} steps
     * @throws IllegalStateException when called from an actor or a process of the system, or when a
     *     process blocked outside {@code receive}, {@code sleep} and {@code await}
     */
    public boolean runUntilIdle() {
        return simulator.runUntilIdle(MAX_STEPS);
    }

    /** @return the engine, once, for the system built with it */
    Simulator claim(String systemName) {
        if (!used.compareAndSet(false, true)) {
            throw new IllegalStateException("This simulation already runs a system; make one Simulation per system"
                    + " (" + systemName + ").");
        }
        return simulator;
    }

    @Override
    public String toString() {
        return "Simulation[seed=" + seed() + ", " + steps() + " steps, " + time.elapsed() + "]";
    }
}
