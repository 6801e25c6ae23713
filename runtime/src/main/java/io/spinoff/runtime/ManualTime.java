package io.spinoff.runtime;

import io.spinoff.runtime.internal.timer.ManualClock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A clock for tests: the time of the systems built with it ({@link ActorSystemBuilder#manualTime})
 * moves only when the test calls {@link #advance}. It drives everything those systems time: actor
 * timers ({@link Timers}), ask timeouts, a process's {@code receive} timeouts, {@code sleep} and
 * {@code await}, supervision backoff and the restart window, and the stop timeout of a child.
 * Message handling itself runs on the systems' real threads, as usual. The runtime's own
 * housekeeping and remoting (heartbeats, the failure detector, remote asks) keep the machine's time.
 *
 * <p>{@link #advance} fires what is due in order, each at its own time, and after each firing waits
 * (in real time, up to 2 s) until the systems are idle, so that what the firing caused, such as a
 * reply or a new timer, has happened before the next one fires. A system is idle when no actor
 * turn runs or is queued and each of its processes waits in a receive, sleep or await.
 *
 * <pre>{@code
 * ManualTime time = ManualTime.create();
 * try (ActorSystem system = ActorSystem.builder("test").manualTime(time).build()) {
 *     ... an actor starts a 30 s timer ...
 *     time.advance(Duration.ofSeconds(30));   // the timer has fired, and the actor handled it
 * }
 * }</pre>
 *
 * <p><b>Threading:</b> every method may be called from any thread but the threads of the systems
 * on this clock (an actor or a process that advanced the time would wait for itself to go idle).
 * Advances are serialized. One clock may drive several systems.
 */
public final class ManualTime {

    private final ManualClock clock = new ManualClock();

    private ManualTime() {}

    /** @return a new clock at time zero */
    public static ManualTime create() {
        return new ManualTime();
    }

    /**
     * Waits until the systems are idle, then moves the time forward, firing in order every timer
     * and timeout due by the new time, and waits until the systems are idle after each. (So what
     * was sent before the advance has been handled, and the timers it started are running, before
     * the time moves.)
     *
     * @param duration how far; zero fires what is due now
     * @throws IllegalArgumentException when the duration is negative
     */
    public void advance(Duration duration) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative()) {
            throw new IllegalArgumentException("Time cannot go back: advance by a positive duration or zero, not "
                    + duration + ".");
        }
        clock.advance(duration.toNanos());
    }

    /** @return how far the time has been advanced since the clock was created */
    public Duration elapsed() {
        return Duration.ofNanos(clock.nanoTime());
    }

    /**
     * @return the time until the next timer or timeout is due (zero if one is due now), or empty
     *     when none is scheduled
     */
    public Optional<Duration> untilNext() {
        long nanos = clock.nanosToNext();
        return nanos < 0 ? Optional.empty() : Optional.of(Duration.ofNanos(nanos));
    }

    /**
     * Waits, in real time, until every system on this clock is idle: no actor turn runs or is
     * queued, and each process waits in a receive, sleep or await.
     *
     * @param limit how long to wait at most, in real time
     * @return whether they all went idle in time (a system whose actors keep messaging each other
     *     never does)
     */
    public boolean awaitIdle(Duration limit) {
        return clock.awaitIdle(limit.toNanos());
    }

    /** @return the clock the systems use; not API */
    ManualClock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "ManualTime[" + elapsed() + ", " + clock.scheduled() + " scheduled]";
    }
}
