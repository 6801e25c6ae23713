package io.spinoff.runtime.internal.process;

import io.spinoff.runtime.internal.dispatch.Simulator;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

/**
 * Keeps a system's count of running processes right across one process's waits, for tests under
 * manual time (see {@code SystemRuntime#awaitIdle}). A process counts as not running from just
 * before it waits (its wake-up already on the clock) until whoever wakes it, or the process itself
 * if it wakes on its own, counts it back. The waker counts it back <em>before</em> it wakes it:
 * were the process to count itself back once it has woken, there would be a moment in which the
 * system looks idle although the process is about to run, and a test could take that moment for
 * the end of the work. Not API.
 *
 * <p><b>Threading:</b> {@link #enter} is called by the process's own thread; {@link #wake} by any
 * thread, any number of times. The compare-and-set on {@code waiting} makes exactly one of the
 * wakers (or the process itself) count the process back for each {@link #enter}.
 *
 * <p>Under a deterministic simulation the same waker also makes the process ready to run
 * ({@link Simulator.Baton#ready}), and the process waits with {@link #park} instead of on a lock,
 * latch or future: it hands the baton back to the simulation and runs again only once the
 * simulation picks it.
 */
final class IdleWait {
    private final AtomicBoolean waiting = new AtomicBoolean();
    private final IntConsumer running;
    /** The process's turn to run under a simulation, or null. */
    private final Simulator.Baton baton;

    /**
     * @param running the system's count of running processes: told -1 and +1
     * @param baton the process's baton under a simulation, or null
     */
    IdleWait(IntConsumer running, Simulator.Baton baton) {
        this.running = running;
        this.baton = baton;
    }

    /** @return whether the process runs under a simulation and waits with {@link #park} */
    boolean simulated() {
        return baton != null;
    }

    /**
     * Under a simulation, after {@link #enter}: hands the baton back and returns once the process
     * has been woken and picked to run. An interrupt stays set for the caller to look at. The
     * process's own thread, holding no lock a step of the simulation may need.
     */
    void park() {
        baton.handBackAndWait();
    }

    /** The process is about to wait; its wake-up is already arranged. Process thread. */
    void enter() {
        waiting.set(true);
        running.accept(-1);
    }

    /** Counts the process as running again, if it waited; call before waking it. Any thread. */
    void wake() {
        if (waiting.compareAndSet(true, false)) {
            running.accept(1);
            if (baton != null) {
                baton.ready();
            }
        }
    }
}
