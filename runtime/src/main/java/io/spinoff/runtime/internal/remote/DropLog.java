package io.spinoff.runtime.internal.remote;

import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.observe.FlightEvents;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts every dropped frame and logs it: at debug each, at warning at most once a second (with
 * the number of drops in between), so that hostile traffic cannot flood the log. Not API.
 *
 * <p><b>Threading:</b> any thread. The counters are atomics; two threads racing for the same
 * second's warning are decided by the CAS on {@code lastWarningNanos}, and a drop counted while
 * another thread logs is reported by the next warning.
 */
final class DropLog {
    private final SystemRuntime runtime;
    private final AtomicLong lastWarningNanos = new AtomicLong(System.nanoTime() - TimeUnit.SECONDS.toNanos(2));
    private final AtomicLong sinceWarning = new AtomicLong();

    DropLog(SystemRuntime runtime) {
        this.runtime = runtime;
    }

    void drop(String what) {
        drop(1, what);
    }

    void drop(int frames, String what) {
        for (int i = 0; i < frames; i++) {
            runtime.countDroppedFrame();
        }
        FlightEvents.frameDropped(runtime.addressPrefix(), frames, what);
        log(frames, what);
    }

    /** Logs an event that drops no frame (a peer going down), with the same rate limit. */
    void warn(String what) {
        log(0, what);
    }

    private void log(int frames, String what) {
        long suppressed = sinceWarning.addAndGet(frames);
        long now = System.nanoTime();
        long last = lastWarningNanos.get();
        if (now - last >= TimeUnit.SECONDS.toNanos(1) && lastWarningNanos.compareAndSet(last, now)) {
            sinceWarning.addAndGet(-suppressed);
            RemoteTransport.LOG.log(System.Logger.Level.WARNING, what + (suppressed > frames
                    ? " (" + (suppressed - frames) + " more dropped frames in the last second; debug logging shows each)" : ""));
        } else if (RemoteTransport.LOG.isLoggable(System.Logger.Level.DEBUG)) {
            RemoteTransport.LOG.log(System.Logger.Level.DEBUG, what);
        }
    }
}
