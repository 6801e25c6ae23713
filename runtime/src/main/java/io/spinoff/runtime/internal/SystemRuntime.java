package io.spinoff.runtime.internal;

import io.spinoff.api.ActorRef;
import io.spinoff.runtime.ActorStoppedException;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.ActorSystemMetrics;
import io.spinoff.runtime.AskObserver;
import io.spinoff.runtime.DeadLetter;
import io.spinoff.runtime.MailboxOverflowException;
import io.spinoff.runtime.SupervisorStrategy;
import io.spinoff.runtime.internal.cell.ActorCell;
import io.spinoff.runtime.internal.cell.ActorNames;
import io.spinoff.runtime.internal.cell.UnknownActorRef;
import io.spinoff.runtime.internal.dispatch.AskEnvelope;
import io.spinoff.runtime.internal.dispatch.AskTimeouts;
import io.spinoff.runtime.internal.dispatch.Dispatcher;
import io.spinoff.runtime.internal.dispatch.Simulator;
import io.spinoff.runtime.internal.observe.FlightEvents;
import io.spinoff.runtime.internal.observe.SystemObservation;
import io.spinoff.runtime.internal.process.ProcessRunner;
import io.spinoff.runtime.internal.remote.RemoteConfig;
import io.spinoff.runtime.internal.remote.RemoteTransport;
import io.spinoff.runtime.internal.timer.Clock;
import io.spinoff.runtime.internal.timer.ManualClock;
import io.spinoff.runtime.internal.timer.SystemClock;
import io.spinoff.runtime.internal.timer.TimerEnvelope;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The services every actor of one system shares: the dispatcher, the clock (timers, ask timeouts,
 * stop timeouts, backoff: the scheduler thread, or a test's manual clock), the counters, the dead letters and the configuration.
 * Not API.
 *
 * <p><b>Threading:</b> every method is thread-safe.
 */
public final class SystemRuntime implements ActorSystemMetrics {

    /** The configuration of one system. */
    public record Settings(
            String name,
            int parallelism,
            int throughput,
            Duration askTimeout,
            Duration stopTimeout,
            SupervisorStrategy guardianStrategy,
            RemoteConfig remote,
            boolean sameCarrierHandOff,
            ManualClock manualClock,
            Simulator simulator) {}

    /** How long a system that failed to start waits for its carriers to end. */
    private static final long FAILED_START_SHUTDOWN_MILLIS = 1000;
    /**
     * The most steps a simulated system runs to settle (its actors may message each other for
     * ever); the time then moves on, and a test's probe or assertion sees the state it reached.
     */
    private static final long SIMULATION_STEPS_PER_SETTLE = 10_000_000;

    /** Added to the guardian's stop time when close waits for it. */
    private static final long CLOSE_MARGIN_MILLIS = 1000;

    public static final System.Logger LOG = System.getLogger("io.spinoff.runtime");

    private final Settings settings;
    private final ActorSystem system;
    private final Dispatcher dispatcher;
    private final ScheduledThreadPoolExecutor scheduler;
    /** The time of timers, timeouts and backoff: the machine's, or a test's manual clock. */
    private final Clock clock;
    /** Under manual time: this system as the clock sees it; null otherwise. */
    private final ManualClock.Participant participant;
    /**
     * Under manual time, the processes of this system that run (not blocked in a receive, sleep or
     * await): the system is idle only when none does. Not counted otherwise.
     */
    private final AtomicInteger runningProcesses = new AtomicInteger();
    private final AskTimeouts askTimeouts;
    private final ActorCell guardian;
    /**
     * The roots under {@code /cluster}, one per entity protocol ({@code /cluster/Account}), made on
     * first use by {@link #clusterRoot}; stopped by close after the user guardian.
     */
    private final ConcurrentHashMap<String, ActorCell> clusterRoots = new ConcurrentHashMap<>();
    /** Resolves a path under {@code /cluster} where no actor lives; null when no cluster is joined. */
    private volatile java.util.function.Function<String, ActorRef<Object>> clusterResolver;
    /** Reads an {@link ActorSystem}'s runtime; set by ActorSystem's class initialisation. */
    private static volatile java.util.function.Function<ActorSystem, SystemRuntime> access;
    /** The node's remoting, or null when the system is not a node. */
    private final RemoteTransport transport;
    private final LongAdder deadLetters = new LongAdder();
    private final LongAdder restarts = new LongAdder();
    private final LongAdder overflows = new LongAdder();
    private final LongAdder droppedFrames = new LongAdder();
    private final LongAdder liveActors = new LongAdder();
    private final AtomicLong startSequence = new AtomicLong();
    private final List<Consumer<DeadLetter>> deadLetterListeners = new CopyOnWriteArrayList<>();
    private final List<AskObserver> askObservers = new CopyOnWriteArrayList<>();
    private volatile String addressPrefix = "";
    private volatile boolean closing;
    private final Set<Thread> schedulerThreads = ConcurrentHashMap.newKeySet();
    /** The MBean and the Flight Recorder statistics of this system. */
    private final SystemObservation observation;
    /** Completed when {@link #close} has released every thread; every caller of close waits for it. */
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /**
     * @param settings the configuration
     * @param system the public facade
     */
    public SystemRuntime(Settings settings, ActorSystem system) {
        this.settings = settings;
        this.system = system;
        this.dispatcher = new Dispatcher(settings.name(), settings.parallelism(), settings.sameCarrierHandOff(), LOG,
                settings.simulator());
        this.scheduler = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "spinoff-" + settings.name() + "-scheduler");
            thread.setDaemon(true);
            schedulerThreads.add(thread);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.clock = settings.manualClock() != null ? settings.manualClock() : new SystemClock(scheduler);
        this.askTimeouts = new AskTimeouts(this::runOffScheduler, clock::nanoTime);
        if (settings.simulator() == null) {
            // One periodic task, so that an idle system wakes its scheduler once per tick, not once
            // per job. A periodic task that throws is cancelled for good by the executor: each job
            // runs guarded, and the failure of one does not skip the other.
            Runnable askTick = guarded("ask-timeout tick", askTimeouts);
            Runnable rescue = guarded("rescue of held actors", dispatcher::rescueHeldCells);
            scheduler.scheduleAtFixedRate(() -> {
                askTick.run();
                rescue.run();
            }, AskTimeouts.TICK_MILLIS, AskTimeouts.TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
        // Under a simulation no other thread may touch the actors: ask deadlines are tasks on the
        // manual clock (registerAsk), run by the thread that advances it, and there are no carriers
        // whose held cells need rescuing.
        RemoteTransport started = null;
        if (settings.remote() != null) {
            // Bind first: the node's name (with the port actually bound) prefixes every address,
            // the guardian's included. The transport reads nothing before open() below.
            try {
                started = RemoteTransport.start(this, settings.remote(), settings.name());
            } catch (RuntimeException e) {
                scheduler.shutdownNow();
                dispatcher.shutdown(FAILED_START_SHUTDOWN_MILLIS);
                throw e;
            }
            this.addressPrefix = started.nodeName();
        }
        this.transport = started;
        this.guardian = ActorCell.guardian(this);
        this.observation = new SystemObservation(this);
        if (transport != null) {
            transport.open();
        }
        if (settings.manualClock() != null) {
            participant = new ManualClock.Participant() {
                @Override
                public boolean awaitIdle(long realNanos) {
                    return SystemRuntime.this.awaitIdle(realNanos);
                }

                @Override
                public void timeMoved(long nowNanos) {
                    Simulator simulator = settings.simulator();
                    if (simulator != null) {
                        simulator.note("time is " + Duration.ofNanos(nowNanos));
                    }
                    askTimeouts.tick(nowNanos);
                }
            };
            settings.manualClock().join(participant);
        } else {
            participant = null;
        }
    }

    /** @return the time of this system's timers, timeouts and backoff */
    public Clock clock() {
        return clock;
    }

    /**
     * Counts a process of this system starting to run again (leaving a wait) or stopping (entering
     * one, or ending), under manual time; does nothing otherwise. Process threads.
     *
     * @param delta +1 or -1
     */
    public void processRunning(int delta) {
        if (participant != null) {
            runningProcesses.addAndGet(delta);
        }
    }

    /**
     * Waits until no actor turn runs or is queued and no process runs (each waits in a receive,
     * sleep or await), seen twice in a row a little apart, so that a message in flight between the
     * two is not missed. For tests under manual time; any thread but this system's own.
     *
     * @param realNanos how long to wait at most, in real time
     * @return whether the system went idle in that time
     */
    public boolean awaitIdle(long realNanos) {
        if (settings.simulator() != null) {
            // The caller's own thread runs the steps: there is nothing to wait for.
            return settings.simulator().runUntilIdle(SIMULATION_STEPS_PER_SETTLE);
        }
        long deadline = System.nanoTime() + realNanos;
        int quietInARow = 0;
        while (true) {
            boolean quiet = dispatcher.isQuiescent() && runningProcesses.get() == 0;
            quietInARow = quiet ? quietInARow + 1 : 0;
            if (quietInARow >= 3) {
                return true;
            }
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            if (quiet) {
                Thread.onSpinWait();
                Thread.yield();
            } else {
                java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            }
        }
    }

    /** @return the node's remoting, or null when this system is not a node */
    public RemoteTransport transport() {
        return transport;
    }

    /** @return the configuration */
    public Settings settings() {
        return settings;
    }

    /** @return the public facade */
    public ActorSystem system() {
        return system;
    }

    /** @return the user guardian, parent of every top-level actor */
    public ActorCell guardian() {
        return guardian;
    }

    /** @return how many carriers are running a turn at this moment (an estimate); any thread */
    public int busyCarriers() {
        return dispatcher.busyCarriers();
    }

    /** @return the number of carrier threads; any thread */
    public int carriers() {
        return dispatcher.carriers();
    }

    public Dispatcher dispatcher() {
        return dispatcher;
    }

    /** @return "" for a local system, "name@host:port" for a node */
    public String addressPrefix() {
        return addressPrefix;
    }

    /** @param prefix the node's "name@host:port", set once when the node binds */
    public void addressPrefix(String prefix) {
        this.addressPrefix = prefix;
    }

    public long nextStartSequence() {
        return startSequence.incrementAndGet();
    }

    /** @return whether {@link #close} has begun */
    public boolean isClosing() {
        return closing;
    }

    /**
     * Runs a task after a delay on the system's clock: the scheduler thread, or under manual time
     * the thread that advances it.
     *
     * @param task what to run; must not block
     * @param delay how long to wait
     * @return its handle, or null when the system has shut down
     */
    public ScheduledFuture<?> schedule(Runnable task, Duration delay) {
        return clock.schedule(task, delay.toNanos());
    }

    /**
     * Runs a task after a delay of the machine's time, whatever the system's clock: for the
     * runtime's own housekeeping, which a test's manual clock must not hold back.
     *
     * @param task what to run; must not block
     * @param delay how long to wait
     * @return its handle, or null when the system has shut down
     */
    public ScheduledFuture<?> scheduleOnMachineTime(Runnable task, Duration delay) {
        try {
            return scheduler.schedule(task, Math.max(0, delay.toNanos()), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return null;
        }
    }

    /**
     * Runs a task at a fixed rate on the system's clock: the scheduler thread, or under manual time
     * the thread that advances it.
     *
     * @param task what to run; must not block
     * @param initialDelay before the first run
     * @param period between runs
     * @return its handle, or null when the system has shut down
     */
    public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration initialDelay, Duration period) {
        return clock.scheduleAtFixedRate(task, initialDelay.toNanos(), period.toNanos());
    }

    /** @return the task, logging instead of throwing, so that a periodic task keeps running */
    private static Runnable guarded(String what, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (Throwable failure) {
                LOG.log(System.Logger.Level.ERROR, "The " + what + " failed; it runs again at the next tick", failure);
            }
        };
    }

    /**
     * Runs a task that may run user code (a promise's callbacks) on the dispatcher rather than on
     * the scheduler thread, so that it cannot stall timers and timeouts; on the calling thread once
     * the dispatcher has shut down, so that it still runs. Any thread.
     */
    private void runOffScheduler(Runnable task) {
        if (!dispatcher.execute(task)) {
            task.run();
        }
    }

    public void registerAsk(AskEnvelope ask) {
        askTimeouts.register(ask);
        if (participant != null) {
            // Under manual time the ask's deadline is a task on the clock, so that advancing the
            // time fails it at its own time, in order with the timers (the periodic tick only
            // sees the time once an advance has moved it past the deadline).
            ScheduledFuture<?> due = clock.schedule(() -> askTimeouts.tick(clock.nanoTime()),
                    ask.deadlineNanos() - clock.nanoTime());
            if (due != null) {
                ask.promise.whenComplete((value, failure) -> due.cancel(false));
            }
        }
    }

    /**
     * Records an undeliverable message: counts it, logs it at debug, tells listeners, and fails it
     * at once if it is an ask.
     *
     * @param recipient the address it was sent to
     * @param item the message, possibly inside an ask or timer envelope
     * @param reason why it was not delivered
     */
    public void deadLetter(String recipient, Object item, String reason) {
        undeliverable(recipient, item, reason, false);
    }

    /**
     * Records a message refused by a full bounded mailbox, as {@link #deadLetter} does; an ask
     * fails with {@link MailboxOverflowException}.
     *
     * @param recipient the address it was sent to
     * @param item the message, possibly inside an ask or timer envelope
     * @param capacity the mailbox's capacity
     */
    public void mailboxOverflow(String recipient, Object item, int capacity) {
        undeliverable(recipient, item, "mailbox full (capacity " + capacity + ")", true);
    }

    private void undeliverable(String recipient, Object item, String reason, boolean overflow) {
        Object message = item;
        if (item instanceof AskEnvelope ask) {
            message = ask.message;
            String described = AskEnvelope.describe(ask.message);
            ask.fail(overflow
                    ? new MailboxOverflowException("Ask " + described + " to " + recipient + " refused: " + reason)
                    : new ActorStoppedException("Ask " + described + " to " + recipient + " failed: " + reason));
        } else if (item instanceof TimerEnvelope timer) {
            message = timer.message();
        }
        deadLetters.increment();
        FlightEvents.deadLetter(settings.name(), recipient, message, reason);
        if (LOG.isLoggable(System.Logger.Level.DEBUG)) {
            LOG.log(System.Logger.Level.DEBUG, "Dead letter to " + recipient + " (" + reason + "): " + AskEnvelope.describe(message));
        }
        if (!deadLetterListeners.isEmpty()) {
            DeadLetter letter = new DeadLetter(recipient, message, reason);
            for (Consumer<DeadLetter> listener : deadLetterListeners) {
                try {
                    listener.accept(letter);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "A dead-letter listener failed", e);
                }
            }
        }
    }

    /** @param observer told of every ask's completion */
    public void addAskObserver(AskObserver observer) {
        askObservers.add(observer);
    }

    /**
     * Times an ask for the observers, if there are any: costs one volatile read when there are
     * none. Any thread; call it before the ask can complete.
     *
     * @param promise the caller's future
     * @param target the address asked
     * @param message the ask's message
     */
    public void observeAsk(CompletableFuture<?> promise, String target, Object message) {
        if (askObservers.isEmpty()) {
            return;
        }
        long started = System.nanoTime();
        promise.whenComplete((reply, failure) -> {
            long nanos = System.nanoTime() - started;
            Throwable cause = failure instanceof java.util.concurrent.CompletionException wrapped && wrapped.getCause() != null
                    ? wrapped.getCause() : failure;
            for (AskObserver observer : askObservers) {
                try {
                    observer.askCompleted(target, message.getClass(), nanos, cause);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, "An ask observer failed", e);
                }
            }
        });
    }

    /** @param listener called for every dead letter, on the thread that found it */
    public void addDeadLetterListener(Consumer<DeadLetter> listener) {
        deadLetterListeners.add(listener);
    }

    public void countRestart() {
        restarts.increment();
    }

    public void countOverflow() {
        overflows.increment();
    }

    /** Counts a dropped network frame. */
    public void countDroppedFrame() {
        droppedFrames.increment();
    }

    public void actorStarted() {
        liveActors.increment();
    }

    public void actorStopped() {
        liveActors.decrement();
    }

    @Override
    public long deadLetters() {
        return deadLetters.sum();
    }

    @Override
    public long restarts() {
        return restarts.sum();
    }

    @Override
    public long mailboxOverflows() {
        return overflows.sum();
    }

    @Override
    public long droppedFrames() {
        return droppedFrames.sum();
    }

    @Override
    public long messagesHandled() {
        return dispatcher.messagesHandled();
    }

    @Override
    public long liveActors() {
        return liveActors.sum();
    }

    /** @return asks of this system's actors and callers still waiting for a reply (remote asks excluded) */
    public long pendingAsks() {
        return askTimeouts.pendingCount();
    }

    /** @return the MBean and the Flight Recorder statistics of this system */
    public SystemObservation observation() {
        return observation;
    }

    /**
     * @param path a path such as {@code /user/a/b} or {@code /cluster/Account/alice}
     * @return the live actor at that path, or null (a root, such as {@code /user}, is never
     *     returned)
     */
    public ActorCell findLocal(String path) {
        if (path == null) {
            return null;
        }
        if (path.startsWith("/user/")) {
            return guardian.findDescendant(path);
        }
        ActorCell root = clusterRootOf(path);
        return root == null || root.path().equals(path) ? null : root.findDescendant(path);
    }

    /**
     * Resolves a local path to a reference: the actor's; under {@code /cluster}, what the cluster
     * resolver returns (an entity's router) when a cluster is joined; otherwise one that
     * dead-letters everything.
     *
     * @param path {@code /user/a/b} or {@code /cluster/Account/alice}
     * @return the reference
     */
    public ActorRef<Object> resolveLocal(String path) {
        if (path.startsWith("/cluster/")) {
            // The cluster's router comes first: it counts each entity's use (for passivation) and
            // keeps messages for an entity that is stopping.
            java.util.function.Function<String, ActorRef<Object>> resolver = clusterResolver;
            ActorRef<Object> resolved = resolver == null ? null : resolver.apply(path);
            if (resolved != null) {
                return resolved;
            }
            ActorCell cell = findLocal(path);
            return cell != null ? cell.self() : new UnknownActorRef(this, addressPrefix + path);
        }
        ActorCell cell = guardian.findDescendant(path);
        if (cell != null) {
            return cell.self();
        }
        return new UnknownActorRef(this, addressPrefix + path);
    }

    /**
     * The root of a cluster's entities of one protocol, made on first use.
     *
     * @param name the protocol's simple name: letters, digits, '-' and '_'
     * @return the root at {@code /cluster/NAME}
     * @throws IllegalStateException when the system is closing
     */
    public ActorCell clusterRoot(String name) {
        ActorNames.validate(name);
        synchronized (this) {
            if (closing) {
                throw new IllegalStateException("Actor system " + settings.name() + " is closed; it hosts no entities.");
            }
            return clusterRoots.computeIfAbsent(name, n -> ActorCell.root(this, "cluster/" + n));
        }
    }

    /**
     * @return the roots under {@code /cluster} made so far ({@code /cluster/Account}, ...), ordered
     *     by path; empty when the system hosts no entities. A root made during the call may or may
     *     not be in it.
     */
    public List<ActorCell> clusterRoots() {
        List<ActorCell> roots = new java.util.ArrayList<>(clusterRoots.values());
        roots.sort(java.util.Comparator.comparing(ActorCell::path));
        return roots;
    }

    /**
     * @param path a path
     * @return whether it names an entity of a cluster: exactly {@code /cluster/PROTOCOL/ID}
     *     (neither a root nor an entity's child)
     */
    public static boolean isEntityPath(String path) {
        if (path == null || !path.startsWith("/cluster/")) {
            return false;
        }
        int slash = path.indexOf('/', "/cluster/".length());
        return slash > "/cluster/".length() && slash < path.length() - 1 && path.indexOf('/', slash + 1) < 0;
    }

    private ActorCell clusterRootOf(String path) {
        if (!path.startsWith("/cluster/")) {
            return null;
        }
        int end = path.indexOf('/', "/cluster/".length());
        return clusterRoots.get(path.substring("/cluster/".length(), end < 0 ? path.length() : end));
    }

    /**
     * Installs what resolves paths under {@code /cluster} where no actor lives (for the cluster
     * module: an entity's router, which activates, buffers or forwards). It is called on the
     * thread that resolves: a sender's, or the node's I/O thread for a message from another node,
     * so it must not block.
     *
     * @param resolver the resolver, or null to remove it; it returns null for a path it does not know
     */
    public void clusterResolver(java.util.function.Function<String, ActorRef<Object>> resolver) {
        this.clusterResolver = resolver;
    }

    /**
     * A cluster removed a member: asks to it fail and watchers of its actors learn at once, as when
     * the node is found down. Any thread.
     *
     * @param node the member's node name
     * @param incarnation its incarnation as the cluster knew it, or 0
     * @param why the reason, for the log
     */
    public void memberRemoved(String node, long incarnation, String why) {
        if (transport != null && !node.equals(addressPrefix)) {
            transport.memberRemoved(node, incarnation, why);
        }
    }

    /** @return the node's incarnation, drawn at its start; 0 when the system is not a node */
    public long nodeIncarnation() {
        return transport == null ? 0 : transport.incarnation();
    }

    /**
     * @param system an actor system
     * @return its runtime, for the modules that extend the runtime (the cluster)
     */
    public static SystemRuntime of(ActorSystem system) {
        java.util.function.Function<ActorSystem, SystemRuntime> read = access;
        if (read == null) {
            throw new IllegalStateException("ActorSystem is not initialised");
        }
        return read.apply(system);
    }

    /**
     * Called once, by ActorSystem's class initialisation.
     *
     * @param reader reads a system's runtime
     */
    public static void access(java.util.function.Function<ActorSystem, SystemRuntime> reader) {
        access = reader;
    }

    /**
     * Stops every actor (children first), waits for them up to the stop timeout, then releases the
     * threads. Idempotent; blocks the caller.
     */
    public void close() {
        boolean first;
        synchronized (this) {
            first = !closing;
            closing = true;
        }
        Simulator simulator = settings.simulator();
        if (simulator != null && (simulator.isStepping() || ProcessRunner.onProcessThreadOf(this))) {
            // Within the simulation nothing may wait for it: stop every actor; the thread that
            // drives the simulation runs the stops, and its own close of the system finishes.
            if (first) {
                synchronized (this) {
                    closing = false;
                }
            }
            guardian.stopFromOutside(null);
            return;
        }
        if (dispatcher.isCarrier() || ProcessRunner.onProcessThreadOf(this)) {
            // Called from an actor or process: waiting here would wait for this very turn to end.
            // Close on another thread; the caller learns of the end through whenClosed.
            if (first) {
                Thread.ofPlatform().name("spinoff-" + settings.name() + "-closer").daemon(true).start(this::closeNow);
            }
            return;
        }
        if (first) {
            closeNow();
        } else {
            closed.join();
        }
    }

    /** Stops the entities under {@code /cluster} (each root with its children) and waits for them. */
    private void stopClusterRoots(long waitMillis) {
        List<ActorCell> roots;
        synchronized (this) {
            roots = List.copyOf(clusterRoots.values());
        }
        for (ActorCell root : roots) {
            root.stopFromOutside(null);
        }
        for (ActorCell root : roots) {
            try {
                if (settings.simulator() != null) {
                    driveUntilDone(root.terminationFuture());
                }
                root.terminationFuture().get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                LOG.log(System.Logger.Level.WARNING, "The entities under " + root.path() + " did not all stop within "
                        + waitMillis + " ms; closing anyway");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void closeNow() {
        try {
            // The guardian stops its children one by one, each within the stop timeout, and may
            // itself be a child being stopped: twice the timeout, and a margin for the turns.
            long waitMillis = settings.stopTimeout().toMillis() * 2 + CLOSE_MARGIN_MILLIS;
            stopClusterRoots(waitMillis);
            guardian.stopFromOutside(null);
            try {
                if (settings.simulator() != null) {
                    driveUntilDone(guardian.terminationFuture());
                }
                guardian.terminationFuture().get(waitMillis, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                LOG.log(System.Logger.Level.WARNING, "Actor system " + settings.name()
                        + " did not stop every actor within " + waitMillis + " ms; closing anyway");
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.log(System.Logger.Level.WARNING, "Stopping actor system " + settings.name() + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (transport != null) {
                transport.close();
            }
            scheduler.shutdownNow();
            try {
                scheduler.awaitTermination(waitMillis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Dispatcher.joinAll(schedulerThreads, waitMillis);
            // Fails the asks still pending, and makes every later ask fail at once: nothing will
            // time them out any more. Waits for a tick still running (the scheduler may not have
            // stopped within the wait), so the two never overlap.
            askTimeouts.failAll(new ActorStoppedException("Actor system " + settings.name() + " closed before the reply came"));
            dispatcher.shutdown(waitMillis);
        } finally {
            if (participant != null) {
                settings.manualClock().leave(participant);
            }
            observation.close();
            closed.complete(null);
        }
    }

    /**
     * Under a simulation, runs its steps on the calling thread, moving the manual clock to each
     * timer due when nothing is ready (stop timeouts, a process's sleep), until the future is done
     * or nothing is left to run. The driving thread.
     */
    private void driveUntilDone(CompletableFuture<?> future) {
        ManualClock time = settings.manualClock();
        for (int round = 0; round < SIMULATION_ROUNDS_TO_CLOSE && !future.isDone(); round++) {
            settings.simulator().runUntilIdle(SIMULATION_STEPS_PER_SETTLE);
            if (future.isDone()) {
                return;
            }
            long next = time.nanosToNext();
            if (next < 0) {
                return;
            }
            time.advance(next);
        }
    }

    /** The most times closing a simulated system moves its clock to the next timer. */
    private static final int SIMULATION_ROUNDS_TO_CLOSE = 10_000;

    /** @return completed once {@link #close} has released every thread */
    public CompletableFuture<Void> closedFuture() {
        return closed;
    }
}
