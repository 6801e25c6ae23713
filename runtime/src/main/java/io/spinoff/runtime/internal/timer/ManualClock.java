package io.spinoff.runtime.internal.timer;

import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A clock that moves only when a test advances it. Tasks scheduled on it wait in a queue ordered
 * by due time (then by scheduling order); {@link #advance} runs each task due by the new time, in
 * that order, on the advancing thread, moving the time to each task's due time as it runs it, and
 * after each lets the systems on the clock settle ({@link Participant#awaitIdle}), so that what a
 * firing causes (a reply, a new timer) has happened before the next firing. Not API.
 *
 * <p><b>Threading:</b> any thread. The queue and the time are guarded by this object's monitor;
 * {@link #now} is volatile so that readers need no lock (a reader sees a time no later than the
 * latest advance, and never a time going back). Advances are serialized by their own lock, and
 * tasks run without the monitor held, so a task may schedule or cancel others.
 */
public final class ManualClock implements Clock {

    private static final System.Logger LOG = System.getLogger("io.spinoff.runtime");

    /** A system that uses this clock. */
    public interface Participant {
        /**
         * Waits until nothing runs or waits to run in the system: no actor turn, no process but
         * ones blocked on this clock or in a receive.
         *
         * @param realNanos how long to wait at most, in real time
         * @return whether the system went idle within that time
         */
        boolean awaitIdle(long realNanos);

        /** The time moved: fail what is past its deadline (ask timeouts). */
        void timeMoved(long nowNanos);
    }

    /** How long, in real time, {@link #advance} waits for the systems to settle after each firing. */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(2);

    private volatile long now;
    private long sequence;
    private final PriorityQueue<Task> queue = new PriorityQueue<>();
    private final ReentrantLock advancing = new ReentrantLock();
    private final List<Participant> participants = new CopyOnWriteArrayList<>();

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public boolean isManual() {
        return true;
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable task, long delayNanos) {
        return add(new Task(task, Math.max(0, delayNanos), 0));
    }

    @Override
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, long initialDelayNanos, long periodNanos) {
        if (periodNanos <= 0) {
            throw new IllegalArgumentException("period must be positive");
        }
        return add(new Task(task, Math.max(0, initialDelayNanos), periodNanos));
    }

    private synchronized Task add(Task task) {
        task.due = now + task.delay;
        task.sequence = sequence++;
        queue.add(task);
        return task;
    }

    /** @param participant a system that starts using this clock */
    public void join(Participant participant) {
        participants.add(participant);
    }

    /** @param participant a system that no longer uses this clock (it closed) */
    public void leave(Participant participant) {
        participants.remove(participant);
    }

    /**
     * @return the time until the next task is due, in nanoseconds (0 if one is due now), or -1 when
     *     none is scheduled
     */
    public synchronized long nanosToNext() {
        Task next = queue.peek();
        return next == null ? -1 : Math.max(0, next.due - now);
    }

    /** @return how many tasks wait (cancelled ones are removed at once) */
    public synchronized int scheduled() {
        return queue.size();
    }

    /**
     * Lets the systems settle, then moves the time forward, running every task due by the new time
     * in order, each at its own due time, and letting the systems settle after each, then moves
     * the time to the end and lets them settle once more.
     *
     * @param nanos how far; zero runs what is due now
     */
    public void advance(long nanos) {
        if (nanos < 0) {
            throw new IllegalArgumentException("Time cannot go back: advance by a positive duration or zero, not "
                    + nanos + " ns.");
        }
        advancing.lock();
        try {
            // What was sent before the advance runs first, at the time it was sent: the timers
            // and timeouts it starts are then measured from that time.
            settle();
            long target = now + nanos;
            Task task;
            while ((task = nextDue(target)) != null) {
                run(task);
                settle();
            }
            synchronized (this) {
                now = target;
            }
            settle();
        } finally {
            advancing.unlock();
        }
    }

    /** @return the next task due by the target, removed from the queue, the time moved to its due time */
    private synchronized Task nextDue(long target) {
        Task next = queue.peek();
        if (next == null || next.due > target) {
            return null;
        }
        queue.poll();
        if (next.due > now) {
            now = next.due;
        }
        return next;
    }

    private void run(Task task) {
        if (task.period == 0) {
            task.run();
        } else if (task.runAndReset()) {
            synchronized (this) {
                task.due += task.period;
                task.sequence = sequence++;
                queue.add(task);
            }
        }
    }

    /**
     * @return the runnable, logging what it throws before the task keeps it: a {@link FutureTask}
     *     holds a failure for a {@code get} that no one calls, so without this a failing task
     *     would fail unseen (and a periodic one stop unseen, as on the machine's scheduler)
     */
    private static Runnable logged(Runnable runnable) {
        return () -> {
            try {
                runnable.run();
            } catch (Throwable failure) {
                LOG.log(System.Logger.Level.ERROR, "A task on the manual clock failed"
                        + " (a periodic one runs no more)", failure);
                throw failure;
            }
        };
    }

    /**
     * Waits until every system on the clock is idle.
     *
     * @param realNanos how long to wait at most, in real time, for them all
     * @return whether they all went idle in that time
     */
    public boolean awaitIdle(long realNanos) {
        long deadline = System.nanoTime() + realNanos;
        for (Participant participant : participants) {
            if (!participant.awaitIdle(Math.max(0, deadline - System.nanoTime()))) {
                return false;
            }
        }
        return true;
    }

    /** Tells each system the time moved, then waits for each to go idle. */
    private void settle() {
        long time = now;
        for (Participant participant : participants) {
            participant.timeMoved(time);
        }
        for (Participant participant : participants) {
            participant.awaitIdle(SETTLE_NANOS);
        }
    }

    private synchronized void remove(Task task) {
        queue.remove(task);
    }

    /** A task waiting for its due time. {@code due} and {@code sequence} are guarded by the clock. */
    private final class Task extends FutureTask<Void> implements ScheduledFuture<Void> {
        final long delay;
        final long period;
        long due;
        long sequence;

        Task(Runnable runnable, long delay, long period) {
            super(logged(runnable), null);
            this.delay = delay;
            this.period = period;
        }

        @Override
        public boolean runAndReset() {
            return super.runAndReset();
        }

        @Override
        public long getDelay(TimeUnit unit) {
            long dueNow;
            synchronized (ManualClock.this) {
                dueNow = due;
            }
            return unit.convert(dueNow - now, TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed other) {
            if (other == this) {
                return 0;
            }
            Task task = (Task) other;
            int byDue = Long.compare(due, task.due);
            return byDue != 0 ? byDue : Long.compare(sequence, task.sequence);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean cancelled = super.cancel(mayInterruptIfRunning);
            remove(this);
            return cancelled;
        }
    }
}
