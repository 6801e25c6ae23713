package io.spinoff.testkit;

import io.spinoff.runtime.ManualTime;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Waits of the kit measured on its clock: on a manual clock (and so in a deterministic kit, whose
 * steps run while the clock lets the system settle) the wait moves the time from one timer due to
 * the next until what it waits for has happened or the time is up, so a long wait takes no longer
 * than the work it lets happen; on the machine's time it is an ordinary timed wait.
 *
 * <p><b>Threads:</b> the test's thread, which under a simulation is the one that drives it.
 */
final class VirtualWait {

    /** How long, in real time, a wait on a manual clock lets the system settle before it looks. */
    static final Duration SETTLE = Duration.ofSeconds(5);

    private VirtualWait() {}

    /**
     * Drives the clock until the condition holds or the time is up.
     *
     * @param time the kit's manual clock
     * @param timeout how long to wait, on that clock
     * @param done the condition, looked at after each settling
     * @return whether it held in time
     */
    static boolean until(ManualTime time, Duration timeout, java.util.function.BooleanSupplier done) {
        long deadline = time.elapsed().toNanos() + timeout.toNanos();
        while (true) {
            time.awaitIdle(SETTLE);
            if (done.getAsBoolean()) {
                return true;
            }
            long left = deadline - time.elapsed().toNanos();
            if (left <= 0) {
                return false;
            }
            long step = time.untilNext().map(Duration::toNanos).filter(next -> next < left).orElse(left);
            time.advance(Duration.ofNanos(step));
        }
    }

    /**
     * Waits for a future of the system: on the kit's clock if it has one, else in real time.
     *
     * @param future the future
     * @param timeout how long to wait
     * @param time the kit's manual clock, or null
     * @return its value
     * @throws TimeoutException when it is not done in time
     * @throws ExecutionException when it failed (with the failure as the cause, unwrapped)
     */
    static <T> T get(CompletableFuture<T> future, Duration timeout, ManualTime time)
            throws TimeoutException, ExecutionException, InterruptedException {
        if (time == null) {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        }
        if (!until(time, timeout, future::isDone)) {
            throw new TimeoutException("not done within " + timeout.toMillis() + " ms of the kit's clock");
        }
        try {
            return future.join();
        } catch (CompletionException | CancellationException e) {
            throw new ExecutionException(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
        }
    }
}
