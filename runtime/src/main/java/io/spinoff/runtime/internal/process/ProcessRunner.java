package io.spinoff.runtime.internal.process;

import io.spinoff.runtime.ActorStoppedException;
import io.spinoff.runtime.Timers;
import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.cell.ActorCell;
import io.spinoff.runtime.internal.cell.SystemMessage;
import io.spinoff.runtime.internal.dispatch.AskEnvelope;
import io.spinoff.runtime.internal.dispatch.Simulator;
import io.spinoff.runtime.internal.observe.Events;
import io.spinoff.runtime.internal.observe.FlightEvents;
import io.spinoff.runtime.internal.timer.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What a cell needs to host a process: its inbox, its virtual thread, and the asks it has received
 * and not yet answered. One per cell, kept across restarts (so is the inbox). Not API.
 *
 * <p><b>Threading:</b> {@link #launch} and {@link #isRunning} run on the cell's turn (the
 * consumer); {@link #interrupt} on any thread. The receive, reply and pending-ask methods run on
 * the process's own thread, which {@link #checkOwnThread} enforces. The pending asks are also
 * failed by the cell after the thread has ended: the thread's last action is to send the cell a
 * system message (a release through the lock-free queue), so the cell's read of the map happens
 * after every write the thread made; the map's monitor covers the forced-termination case where
 * the thread may still run.
 *
 * <p>Under a deterministic simulation the thread runs only while it holds its {@link Simulator.Baton}:
 * it waits for the first grant before the body, every wait (receive, sleep, await, an operation on
 * the turn) hands the baton back and waits to be granted again, and its last act is to hand it back
 * for good; the baton's semaphores order what the thread did before what the simulation does next.
 */
public final class ProcessRunner {

    /** The body the thread runs: {@code Process.run()} reached through the public class's hook. */
    public interface Body {
        /** @throws Exception whatever run() throws */
        void run() throws Exception;
    }

    /** The runner whose thread this is, on process threads. */
    private static final ThreadLocal<ProcessRunner> CURRENT = new ThreadLocal<>();

    /**
     * How many asks whose asker stopped waiting (the ask timed out or was cancelled) a process
     * remembers, so that a late reply to one of them is dropped quietly rather than refused.
     */
    static final int REMEMBERED_EXPIRED_ASKS = 1024;

    private final ActorCell cell;
    public final ProcessInbox inbox;
    /** The process's waits, for the system's count of running processes under manual time. */
    private final IdleWait idle;
    /** The process's turn to run under a deterministic simulation, or null. */
    private final Simulator.Baton baton;
    /**
     * Guarded by itself. Asks received and not answered, by message identity. An ask leaves it when
     * the process answers it, or when its asker stops waiting (its future completes elsewhere: the
     * ask timed out), so asks the process never answers do not pile up for its lifetime.
     */
    private final Map<Object, ArrayDeque<AskEnvelope>> pending = new IdentityHashMap<>();
    /** Guarded by {@link #pending}. The most recent asks that left {@link #pending} unanswered. */
    private final ArrayDeque<Object> expired = new ArrayDeque<>();
    private volatile Thread thread;
    // Consumer only.
    private int generation;
    private boolean running;

    /**
     * @param cell the process's cell
     * @param queued the cell's count of queued messages when its mailbox is bounded, else null: a
     *     message counts against the capacity until the process takes it from its inbox
     */
    public ProcessRunner(ActorCell cell, java.util.concurrent.atomic.AtomicInteger queued) {
        this.cell = cell;
        Simulator simulator = cell.runtime.dispatcher().simulator();
        this.baton = simulator == null ? null : simulator.baton(cell.address());
        this.idle = new IdleWait(cell.runtime::processRunning, baton);
        this.inbox = new ProcessInbox(queued, cell.runtime.clock(), idle);
    }

    /** Starts the body on a new virtual thread; on the cell's turn. */
    public void launch(Body body) {
        int launched = ++generation;
        running = true;
        Thread started = Thread.ofVirtual()
                .name("spinoff-process" + cell.address())
                .unstarted(() -> {
                    if (baton != null) {
                        baton.awaitGrant();
                    }
                    Throwable outcome = null;
                    CURRENT.set(this);
                    try {
                        body.run();
                    } catch (Throwable failure) {
                        outcome = failure;
                    }
                    Throwable ended = outcome;
                    cell.sendSystem(new SystemMessage.Task(() -> cell.processEnded(launched, ended)));
                    // After the end report is queued, so the system never looks idle in between.
                    cell.runtime.processRunning(-1);
                    if (baton != null) {
                        baton.ended();
                    }
                });
        thread = started;
        cell.runtime.processRunning(1);
        started.start();
        if (baton != null) {
            // Its first step runs when the simulation picks it.
            baton.ready();
        }
    }

    /**
     * @param launched the generation the ending thread was started as
     * @return whether it is the current one (a stale end is ignored); consumer only
     */
    public boolean ended(int launched) {
        if (launched != generation) {
            return false;
        }
        running = false;
        return true;
    }

    /** @return whether the current thread has been started and has not reported its end */
    public boolean isRunning() {
        return running;
    }

    /**
     * Interrupts the current thread, if any: a blocked receive, sleep or await throws. Any thread:
     * it reads only the volatile {@link #thread}, not the consumer-only {@link #running}, since a
     * parent terminating this cell by force calls it from its own turn. Interrupting a thread that
     * has ended does nothing, and one that is only sending its end report (a lock-free enqueue)
     * is not disturbed by it.
     */
    public void interrupt() {
        Thread current = thread;
        if (current != null) {
            // Counted as running (and, under a simulation, made ready) before it wakes.
            idle.wake();
            current.interrupt();
        }
    }

    /**
     * @param runtime a system
     * @return whether the caller is the thread of one of that system's processes
     */
    public static boolean onProcessThreadOf(SystemRuntime runtime) {
        ProcessRunner current = CURRENT.get();
        return current != null && current.cell.runtime == runtime;
    }

    /** @return whether the caller is the process's own thread */
    public boolean isOwnThread() {
        return Thread.currentThread() == thread;
    }

    /**
     * @param operation what the caller tried, for the message
     * @throws IllegalStateException off the process's own thread
     */
    public void checkOwnThread(String operation) {
        if (!isOwnThread()) {
            throw new IllegalStateException(operation + " of process " + cell.address()
                    + " was called from thread " + Thread.currentThread().getName()
                    + "; call it only from the process's own run() method.");
        }
    }

    /**
     * Takes the first message that matches, remembering it when it was asked.
     *
     * @param matches the filter
     * @param timeoutNanos how long to wait, negative for ever
     * @return the message, or null when the time ran out
     * @throws InterruptedException when the process is being stopped
     */
    public Object receive(Predicate<Object> matches, long timeoutNanos) throws InterruptedException {
        return receiveAfter(matches, timeoutNanos, ProcessInbox.NO_MARK);
    }

    /**
     * Like {@link #receive(Predicate, long)}, looking only at items that reached the inbox after
     * the mark.
     *
     * @param matches the filter
     * @param timeoutNanos how long to wait, negative for ever
     * @param mark from {@link #mark()}
     * @return the message, or null when the time ran out
     * @throws InterruptedException when the process is being stopped
     */
    public Object receiveAfter(Predicate<Object> matches, long timeoutNanos, long mark) throws InterruptedException {
        Events.ReceiveBlocked event = FlightEvents.receiveStarted();
        Object item = inbox.take(matches, timeoutNanos, mark);
        FlightEvents.receiveEnded(event, cell.runtime.settings().name(), cell.path(),
                timeoutNanos, item != null);
        return received(item);
    }

    /**
     * Pauses the process for a time of the system's clock. Process thread.
     *
     * @param nanos how long; nothing happens for zero or less
     * @throws InterruptedException when the process is being stopped
     */
    public void sleep(long nanos) throws InterruptedException {
        if (nanos <= 0) {
            return;
        }
        Clock clock = cell.runtime.clock();
        if (!clock.isManual()) {
            TimeUnit.NANOSECONDS.sleep(nanos);
            return;
        }
        // The wake-up is on the clock before the process counts as waiting, so a test that sees
        // the system idle and advances the time cannot miss it.
        CountDownLatch due = new CountDownLatch(1);
        ScheduledFuture<?> wake = clock.schedule(() -> {
            idle.wake();
            due.countDown();
        }, nanos);
        idle.enter();
        try {
            if (idle.simulated()) {
                parkUntil(due::getCount);
            } else {
                due.await();
            }
        } finally {
            idle.wake();
            if (wake != null) {
                wake.cancel(false);
            }
        }
    }

    /**
     * Waits for a future at most a time of the system's clock. Process thread.
     *
     * @throws TimeoutException when the time ran out first
     * @throws ExecutionException when the future failed
     * @throws InterruptedException when the process is being stopped
     */
    public <T> T await(CompletableFuture<T> future, long nanos) throws InterruptedException, ExecutionException,
            TimeoutException {
        Clock clock = cell.runtime.clock();
        if (!clock.isManual()) {
            return future.get(nanos, TimeUnit.NANOSECONDS);
        }
        CompletableFuture<T> bounded = new CompletableFuture<>();
        future.whenComplete((value, failure) -> {
            idle.wake();
            if (failure == null) {
                bounded.complete(value);
            } else {
                bounded.completeExceptionally(failure);
            }
        });
        TimeoutException timedOut = new TimeoutException();
        ScheduledFuture<?> timeout = clock.schedule(() -> {
            idle.wake();
            bounded.completeExceptionally(timedOut);
        }, nanos);
        // Counted as waiting only once its timeout is on the clock (see sleep).
        idle.enter();
        try {
            if (idle.simulated()) {
                parkUntil(() -> bounded.isDone() ? 0 : 1);
            }
            return bounded.get();
        } catch (ExecutionException e) {
            if (e.getCause() == timedOut) {
                throw timedOut;
            }
            // The future's own failure (a CompletionException when it came through a dependent).
            Throwable cause = e.getCause() instanceof CompletionException wrapped && wrapped.getCause() != null
                    ? wrapped.getCause() : e.getCause();
            throw new ExecutionException(cause);
        } finally {
            idle.wake();
            if (timeout != null) {
                timeout.cancel(false);
            }
        }
    }

    /**
     * Under a simulation, after {@link IdleWait#enter}: hands the baton back until the wait is
     * over. The process's own thread.
     *
     * @param left what is left to wait for; 0 when the wait is over
     * @throws InterruptedException when the process is being stopped
     */
    private void parkUntil(java.util.function.LongSupplier left) throws InterruptedException {
        // Over before it began (an awaited future already complete): its wake-up has come and gone.
        while (left.getAsLong() != 0) {
            idle.park();
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (left.getAsLong() == 0) {
                return;
            }
            // Woken before its time (it cannot be, but a wake-up is cheap to check): wait again.
            idle.enter();
        }
    }

    /** @return the inbox's current position, for {@link #receiveAfter} */
    public long mark() {
        return inbox.mark();
    }

    private Object received(Object item) {
        if (item instanceof AskEnvelope ask) {
            synchronized (pending) {
                pending.computeIfAbsent(ask.message, key -> new ArrayDeque<>(1)).add(ask);
            }
            // Runs at once if the asker has stopped waiting already, else on the thread that
            // completes the future (the reply, below, or the ask-timeout tick): both only take the
            // pending monitor, so neither blocks on the process.
            ask.promise.whenComplete((value, failure) -> forget(ask));
            return ask.message;
        }
        return item;
    }

    /** An ask's future completed: it is no longer pending; if unanswered, remember it briefly. */
    private void forget(AskEnvelope ask) {
        synchronized (pending) {
            ArrayDeque<AskEnvelope> asks = pending.get(ask.message);
            if (asks == null || !asks.remove(ask)) {
                return; // answered: answer() removed it before completing the future
            }
            if (asks.isEmpty()) {
                pending.remove(ask.message);
            }
            if (expired.size() == REMEMBERED_EXPIRED_ASKS) {
                expired.removeFirst();
            }
            expired.addLast(ask.message);
        }
    }

    /** @return how many received asks are unanswered and still awaited; for tests */
    int pendingAsks() {
        synchronized (pending) {
            int count = 0;
            for (ArrayDeque<AskEnvelope> asks : pending.values()) {
                count += asks.size();
            }
            return count;
        }
    }

    /** @return how many messages are queued */
    public int queued() {
        return inbox.size();
    }

    /**
     * Completes the oldest unanswered ask of this very message object.
     *
     * @param request the message as received
     * @param value the reply, or null
     * @param failure the failure, or null
     * @return whether the reply reached the asker, or why not
     */
    public Answer answer(Object request, Object value, Throwable failure) {
        AskEnvelope ask;
        synchronized (pending) {
            ArrayDeque<AskEnvelope> asks = pending.get(request);
            if (asks == null) {
                for (Object gone : expired) {
                    if (gone == request) {
                        cell.runtime.deadLetter(cell.address(), failure != null ? failure : value,
                                "reply to " + request + ", whose asker stopped waiting");
                        return Answer.NO_LONGER_AWAITED;
                    }
                }
                return Answer.NOT_AN_ASK;
            }
            ask = asks.poll();
            if (asks.isEmpty()) {
                pending.remove(request);
            }
        }
        if (failure != null) {
            ask.fail(failure);
        } else {
            ask.promise.complete(value);
        }
        return Answer.ANSWERED;
    }

    /** What became of a reply. */
    public enum Answer {
        /** The asker's future completed with it. */
        ANSWERED,
        /** The asker stopped waiting (its ask timed out) before the reply: the reply is dropped. */
        NO_LONGER_AWAITED,
        /** The message is not an unanswered ask of this process (or was answered already). */
        NOT_AN_ASK
    }

    /** Fails every unanswered ask: the instance that took them is gone. */
    public void failPending(String why) {
        List<AskEnvelope> asks = new ArrayList<>();
        synchronized (pending) {
            for (ArrayDeque<AskEnvelope> queue : pending.values()) {
                asks.addAll(queue);
            }
            pending.clear();
        }
        for (AskEnvelope ask : asks) {
            ask.fail(new ActorStoppedException("Process " + cell.address() + " " + why + " before replying to " + ask.message));
        }
    }

    /** @return the queued items, removed; for dead letters at termination */
    public List<Object> drainInbox() {
        return inbox.drain();
    }

    /** How often a process waiting for an operation on its cell's turn checks that the cell still lives. */
    private static final long TURN_WAIT_CHECK_MILLIS = 100;

    /**
     * Runs an operation of the context on the cell's turn and waits for its result; the process's
     * own thread only (where the context's state must not be touched). The operation goes to the
     * cell as a system message, which the turn handles in every state until the cell has
     * terminated; the result's future carries its outcome back (its completion happens-before
     * {@code get} returns).
     *
     * @param operation the operation
     * @param <T> its result's type
     * @return its result
     * @throws ActorStoppedException when the cell terminates before running it
     */
    public <T> T onTurn(Supplier<T> operation) {
        assert isOwnThread();
        CompletableFuture<T> result = new CompletableFuture<>();
        cell.sendSystem(new SystemMessage.Task(() -> {
            try {
                result.complete(operation.get());
            } catch (Throwable failure) {
                result.completeExceptionally(failure);
            }
        }));
        boolean interrupted = false;
        if (idle.simulated()) {
            result.whenComplete((value, failure) -> idle.wake());
        }
        try {
            while (true) {
                if (idle.simulated() && !result.isDone()) {
                    if (cell.isTerminated()) {
                        throw new ActorStoppedException("Process " + cell.address() + " has stopped; the operation did not run.");
                    }
                    idle.enter();
                    idle.park();
                    if (Thread.interrupted()) {
                        interrupted = true;
                    }
                    continue;
                }
                try {
                    return result.get(TURN_WAIT_CHECK_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (cell.isTerminated()) {
                        throw new ActorStoppedException("Process " + cell.address() + " has stopped; the operation did not run.");
                    }
                } catch (InterruptedException e) {
                    // The process is being stopped. The operation is already queued on the turn,
                    // so keep waiting for its outcome. get() has cleared the interrupt (a wait with
                    // it set throws at once, before the turn can run the operation); it is
                    // restored below for the process's next blocking call.
                    interrupted = true;
                } catch (ExecutionException failure) {
                    throw rethrown(failure.getCause());
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void onTurnDo(Runnable operation) {
        onTurn(() -> {
            operation.run();
            return null;
        });
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException runtimeFailure) {
            throw runtimeFailure;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new CompletionException(cause);
    }

    /**
     * The timers seen from the process's own thread: each call runs on the cell's turn.
     *
     * @param turnTimers the cell's timers, to use on its turn
     * @return timers for the process's thread
     */
    public Timers timersOnTurn(Supplier<Timers> turnTimers) {
        return new Timers() {
            @Override
            public void startSingleTimer(Object key, Object message, Duration delay) {
                onTurnDo(() -> turnTimers.get().startSingleTimer(key, message, delay));
            }

            @Override
            public void startTimerAtFixedRate(Object key, Object message, Duration initialDelay, Duration interval) {
                onTurnDo(() -> turnTimers.get().startTimerAtFixedRate(key, message, initialDelay, interval));
            }

            @Override
            public boolean isTimerActive(Object key) {
                return onTurn(() -> turnTimers.get().isTimerActive(key));
            }

            @Override
            public void cancel(Object key) {
                onTurnDo(() -> turnTimers.get().cancel(key));
            }

            @Override
            public void cancelAll() {
                onTurnDo(() -> turnTimers.get().cancelAll());
            }
        };
    }
}
