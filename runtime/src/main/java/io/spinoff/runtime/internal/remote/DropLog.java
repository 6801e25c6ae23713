package io.spinoff.runtime.internal.remote;

import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.observe.FlightEvents;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Counts every dropped frame and logs it: at debug each, at warning at most once a second, so
 * that hostile traffic cannot flood the log. What the rate limit held back is reported by the next
 * warning, or by {@link #flush}, which the I/O thread calls every turn, within a second even when
 * no further drop comes. Not API.
 *
 * <p><b>Threading:</b> any thread. The counters are atomics; the right to log in a given second
 * is won by the CAS on {@code lastWarningNanos}, so at most one warning (or flush) is logged per
 * second whichever threads drop. A drop counted while another thread logs is reported by the next
 * warning or flush: the logging thread subtracts only what it read. {@code lastHeld} is a volatile
 * hint (the description of the latest drop held back) and may name a drop newer than the count.
 */
final class DropLog {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    /** The peer of a drop whose sender is not known: a header that could not be read or trusted. */
    static final String UNKNOWN_PEER = "";

    private final SystemRuntime runtime;
    private final AtomicLong lastWarningNanos = new AtomicLong(System.nanoTime() - 2 * SECOND);
    /** Frames dropped since the last warning (the warning's own included until it subtracts them). */
    private final AtomicLong sinceWarning = new AtomicLong();
    /** Events held back by the rate limit since the last warning. */
    private final AtomicLong held = new AtomicLong();
    private volatile Supplier<String> lastHeld;

    DropLog(SystemRuntime runtime) {
        this.runtime = runtime;
    }

    /**
     * Counts, records and logs one dropped frame.
     *
     * @param peer the node it came from or was for, or {@link #UNKNOWN_PEER} when that is not known
     *     (an envelope whose header could not be read or trusted)
     * @param what the description, naming the peer and the cause
     */
    void drop(String peer, String what) {
        drop(peer, 1, what);
    }

    /** As {@link #drop(String, String)}, for several frames dropped at once. */
    void drop(String peer, int frames, String what) {
        for (int i = 0; i < frames; i++) {
            runtime.countDroppedFrame();
        }
        FlightEvents.frameDropped(runtime.addressPrefix(), peer, frames, what);
        log(frames, () -> what);
    }

    /**
     * As {@link #drop(String, String)}, for drops that come by the million under overload: the
     * description is made only when it is logged or recorded.
     */
    void dropLazily(String peer, Supplier<String> what) {
        runtime.countDroppedFrame();
        FlightEvents.frameDropped(runtime.addressPrefix(), peer, 1, what);
        log(1, what);
    }

    /** Logs an event that drops no frame (a peer going down), with the same rate limit. */
    void warn(String what) {
        log(0, () -> what);
    }

    private void log(int frames, Supplier<String> describe) {
        long suppressed = sinceWarning.addAndGet(frames);
        long now = System.nanoTime();
        long last = lastWarningNanos.get();
        if (now - last >= SECOND && lastWarningNanos.compareAndSet(last, now)) {
            sinceWarning.addAndGet(-suppressed);
            held.set(0);
            RemoteTransport.LOG.log(System.Logger.Level.WARNING, describe.get() + (suppressed > frames
                    ? " (" + (suppressed - frames) + " more dropped frames in the last second; debug logging shows each)" : ""));
        } else {
            lastHeld = describe;
            held.incrementAndGet();
            if (RemoteTransport.LOG.isLoggable(System.Logger.Level.DEBUG)) {
                RemoteTransport.LOG.log(System.Logger.Level.DEBUG, describe.get());
            }
        }
    }

    /**
     * Logs what the rate limit held back, once a second has passed since the last warning. Any
     * thread; the I/O thread calls it every turn.
     */
    void flush() {
        if (held.get() == 0) {
            return;
        }
        long now = System.nanoTime();
        long last = lastWarningNanos.get();
        if (now - last >= SECOND && lastWarningNanos.compareAndSet(last, now)) {
            long events = held.getAndSet(0);
            long frames = sinceWarning.get();
            sinceWarning.addAndGet(-frames);
            Supplier<String> latestHeld = lastHeld;
            String latest = latestHeld == null ? "?" : latestHeld.get();
            RemoteTransport.LOG.log(System.Logger.Level.WARNING, (frames > 0 ? frames + " more dropped frames"
                    : events + " more events") + " in the last second; the latest: " + latest
                    + " (debug logging shows each)");
        }
    }
}
