package io.spinoff.runtime.internal.cell;

import io.spinoff.api.ActorProtocol;
import io.spinoff.api.ActorRef;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.ProtocolProxy;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorContext;
import io.spinoff.runtime.ActorInitializationException;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.Process;
import io.spinoff.runtime.SpawnOptions;
import io.spinoff.runtime.SupervisorStrategy;
import io.spinoff.runtime.Terminated;
import io.spinoff.runtime.Timers;
import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.dispatch.AskEnvelope;
import io.spinoff.runtime.internal.dispatch.Dispatcher;
import io.spinoff.runtime.internal.observe.Events;
import io.spinoff.runtime.internal.observe.FlightEvents;
import io.spinoff.runtime.internal.process.ProcessRunner;
import io.spinoff.runtime.internal.supervision.Supervisor;
import io.spinoff.runtime.internal.timer.TimerEnvelope;
import io.spinoff.runtime.internal.timer.TimerScheduler;
import io.spinoff.runtime.internal.watch.DeathNoticeEnvelope;
import io.spinoff.runtime.internal.watch.DeathWatcher;
import io.spinoff.runtime.internal.watch.Watching;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One actor: its instance, its mailboxes, its place in the supervision tree and its run loop.
 * The cell is also the task it submits to the dispatcher, and the actor's {@link ActorContext}.
 * Not API.
 *
 * <h2>Threads</h2>
 * Any thread may {@link #tell}, {@link #ask} or {@link #sendSystem}. Only the remoting I/O thread
 * of the cell's system calls {@link #admitRemote}, {@link #tellRemote}, {@link #askRemote} and
 * {@link #remoteUndelivered}. Everything else, marked <em>consumer only</em>, runs on the thread
 * that holds the cell's scheduled flag: at most one thread at a time runs {@link #run()}.
 *
 * <h2>Memory model</h2>
 * <ul>
 *   <li><b>Exclusive turns.</b> {@code status} goes IDLE→SCHEDULED by CAS (the winner submits the
 *       cell) and back to IDLE by a volatile write at the end of {@link #run()}. The write of IDLE
 *       synchronises-with the next successful CAS, which happens-before the submission and so the
 *       next run: everything one turn did (the actor's fields included) is visible to the next
 *       turn, whatever thread runs it. That is why actor code needs no locks or volatiles.</li>
 *   <li><b>No lost wake-up.</b> A producer links its message (release), then reads/CASes
 *       {@code status} (volatile). The consumer writes IDLE (volatile), then re-reads the queues
 *       with volatile loads. Under sequential consistency of these volatile accesses, either the
 *       consumer sees the message and reschedules, or the producer sees IDLE and schedules.</li>
 *   <li><b>Messages.</b> The queues' release/acquire linking makes what the sender wrote before
 *       sending visible to the handler.</li>
 *   <li><b>Termination.</b> {@code terminated} is volatile: once set, senders send to dead
 *       letters; a message that raced in before it is drained by a later turn, which every send
 *       triggers, or at once by a termination callback on the last turn
 *       ({@link #handOverLeftovers}: the callback's own lock orders the senders it excludes
 *       before that drain). The run loop reads it before each message, so a turn still under
 *       way when the parent terminates the actor by force (a handler stuck past the stop
 *       timeout) hands the instance nothing more once the handler returns. {@code finished}
 *       (CAS) makes the termination notices happen once, whether the cell finishes normally or
 *       is terminated by force from its parent's thread. Watchers are
 *       guarded by the cell's monitor, so a watch that races with termination gets its notice.
 *       The consumer-only rest of a termination by force (timers, watches, mailbox) is done by
 *       whichever thread next holds the scheduled flag: the forcing thread itself when it can
 *       take the flag, else the turn that holds it.</li>
 *   <li><b>Inbound limit.</b> What the messages from other nodes in the mailbox cost is the
 *       difference of two counts with one writer each ({@link Mailbox#admitRemote}): the I/O
 *       thread adds what it admits (after reading the difference below the limit) and takes
 *       back what it could not deliver; the consumer adds what a turn, or the drain after
 *       termination, took out. No count is lost without an atomic add, and the difference
 *       exceeds the limit by at most the last message admitted: between the I/O thread's read
 *       and its write, the consumer only takes more.</li>
 * </ul>
 */
public final class ActorCell extends Mailbox implements Runnable, ActorContext, DeathWatcher, FlightEvents.Located,
        Supervisor.Supervised<ActorCell>, Supervisor.Own<ActorCell>, Watching.Watchable {

    private static final long serialVersionUID = 1L;
    private static final System.Logger LOG = SystemRuntime.LOG;
    /** Where the stack trace of a failure of the runtime's own code is: in the ERROR record just before. */
    private static final String RUNTIME_FAILURE_LOGGED = "in the runtime's own code; stack trace logged above";

    // Lifecycle states; consumer only.
    private static final int CREATED = 0;
    private static final int RUNNING = 1;
    private static final int SUSPENDED = 2;
    private static final int RESTARTING = 3;
    private static final int TERMINATING = 4;
    private static final int TERMINATED = 5;

    private static final VarHandle FINISHED;
    private static final VarHandle CHILDREN;
    private static final VarHandle TURNS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            FINISHED = lookup.findVarHandle(ActorCell.class, "finished", boolean.class);
            CHILDREN = lookup.findVarHandle(ActorCell.class, "children", Children.class);
            TURNS = lookup.findVarHandle(ActorCell.class, "turns", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * Whether the test hook into the dispatch path ({@link #injectFaults}) is on: only when the JVM
     * starts with {@code -Dio.spinoff.internal.faultInjection=true}, as the runtime's own tests do.
     * Otherwise the JIT folds this constant and the hook costs nothing on the hot path.
     */
    public static final boolean FAULT_INJECTION = Boolean.getBoolean("io.spinoff.internal.faultInjection");

    /** Test hook: runs before each user message is dispatched; a failure there is a runtime failure. */
    private static volatile FaultInjector faultInjector;

    /** @return the test hook, or null; read only when {@link #FAULT_INJECTION} is on */
    public static FaultInjector faultInjector() {
        return faultInjector;
    }

    /** A test-only hook into the dispatch path. */
    public interface FaultInjector {
        /**
         * @param cell the actor about to handle a message
         * @param message the message
         */
        void beforeDispatch(ActorCell cell, Object message);

        /**
         * @param cell an actor about to be queued in the pool; a failure here is a failure of
         *     the pool to queue it (a {@link java.util.concurrent.RejectedExecutionException} one
         *     of a refusing pool)
         */
        default void beforeSubmit(ActorCell cell) {}
    }

    /**
     * @param injector the hook, or null to remove it (tests only)
     * @throws IllegalStateException when the hook is off ({@link #FAULT_INJECTION})
     */
    public static void injectFaults(FaultInjector injector) {
        if (!FAULT_INJECTION) {
            throw new IllegalStateException("Fault injection is off; start the JVM with"
                    + " -Dio.spinoff.internal.faultInjection=true to use it (tests only).");
        }
        faultInjector = injector;
    }

    /** What the instances of a class host: one record per class, shared by all its actors. */
    private static final ClassValue<Hosted> HOSTED_BY_CLASS = new ClassValue<>() {
        @Override
        protected Hosted computeValue(Class<?> type) {
            Set<Class<?>> protocols = new LinkedHashSet<>();
            collectProtocols(type, protocols);
            List<ProtocolDefinition<?, ?>> definitions = new ArrayList<>();
            for (Class<?> protocol : protocols) {
                definitions.add(ProtocolDefinition.of(protocol));
            }
            return new Hosted(definitions.toArray(new ProtocolDefinition<?, ?>[0]), Process.class.isAssignableFrom(type));
        }
    };

    private static void collectProtocols(Class<?> type, Set<Class<?>> into) {
        if (type == null || type == Object.class) {
            return;
        }
        if (type.isInterface() && type.isAnnotationPresent(ActorProtocol.class)) {
            into.add(type);
        }
        for (Class<?> implemented : type.getInterfaces()) {
            collectProtocols(implemented, into);
        }
        collectProtocols(type.getSuperclass(), into);
    }

    public final SystemRuntime runtime;
    final ActorCell parent;
    final String name;
    /**
     * The path and the address, made on first use: most actors never need them as strings. A racy
     * cache: any thread may make one, and a String is safely published through a data race (its
     * fields are final), so a reader sees null (and makes an equal one) or a whole string.
     */
    private String path;
    private String address;
    final long startSequence;
    private final Supplier<?> factory;
    private final LocalActorRef self;

    private volatile boolean terminated;
    @SuppressWarnings("unused") // through FINISHED
    private volatile boolean finished;
    /** Created on first child; read by any thread (lookup), written by spawners. */
    private volatile Children children;
    /**
     * Turns taken so far (wrapping), for {@link #turns()}. Written by the consumer only, with an
     * opaque store (no fence on the hot path); read opaquely by any thread, which sees it move
     * eventually, in the order written, and never torn.
     */
    @SuppressWarnings("unused") // through TURNS
    private int turns;
    /** Where unhandled messages go instead of dead letters, or null; see {@link #redirectLeftovers}. */
    private volatile Leftovers leftovers;
    /**
     * The actor's last turn while it publishes its termination, else null; see
     * {@link #handOverLeftovers}. A thread that reads itself here is the one that wrote it: it is
     * the consumer, inside {@link #finishTermination}.
     */
    private volatile Thread finishing;
    private volatile CompletableFuture<Terminated> termination;
    /** Guarded by this. Null until someone watches; then the watchers until termination. */
    private Set<DeathWatcher> watchers;
    /** Guarded by this. Set once, on termination. */
    private Terminated terminatedNotice;

    // Consumer only.
    private Object instance;
    /**
     * What the current instance hosts, for threads other than the consumer (the remoting I/O
     * thread decodes frames with it). Written by {@link #createInstance()} (the spawner before the
     * cell is published, the consumer on restart) and read by any thread: the volatile write
     * publishes the immutable record and the array it holds, which is never written after it is
     * built (it comes from {@link #HOSTED_BY_CLASS}).
     */
    private volatile Hosted hosted = Hosted.NONE;
    private int state = CREATED;
    private boolean instanceStarted;
    /**
     * The number its supervisor gave the current instance: how many restarts it had ordered for
     * this cell. Failures report it, so that the supervisor can tell a failure of an instance it
     * has already replaced (or ordered replaced) from a new one.
     */
    private long incarnation;
    /** Made on the first failure of a child; consumer only. */
    private Supervisor<ActorCell> supervisor;
    private Throwable stopFailure;
    private Throwable restartCause;
    /** What this actor watches; made on its first watch. */
    private Watching watching;
    private TimerScheduler timers;
    /**
     * Set with the first instance when it is a {@link Process}, before the cell is published to
     * any other thread, and never changed: its inbox outlives restarts.
     */
    private ProcessRunner processRunner;
    private boolean awaitingProcessEnd;
    private Class<?> lastMessageClass;
    private ProtocolDefinition<Object, Object> lastDefinition;

    private ActorCell(SystemRuntime runtime, ActorCell parent, String name, Supplier<?> factory, int capacity) {
        super(capacity);
        this.runtime = runtime;
        this.parent = parent;
        this.name = name;
        this.startSequence = runtime.nextStartSequence();
        this.factory = factory;
        this.self = new LocalActorRef(this);
    }

    public static ActorCell guardian(SystemRuntime runtime) {
        return root(runtime, "user");
    }

    /**
     * A root cell: one without a parent, which spawns children from any thread and supervises them
     * with the system's guardian strategy, like the user guardian.
     *
     * @param runtime the system
     * @param path its path without the leading slash: {@code user}, or {@code cluster/Account} for
     *     the parent of a cluster's entities of one protocol
     * @return the running root
     */
    public static ActorCell root(SystemRuntime runtime, String path) {
        ActorCell root = new ActorCell(runtime, null, path, Object::new, 0);
        root.instance = new Object();
        root.state = RUNNING;
        return root;
    }

    // ------------------------------------------------------------------ sending (any thread)

    /** @return the actor's address */
    @Override
    public String address() {
        String made = address;
        if (made == null) {
            made = runtime.addressPrefix() + path();
            address = made;
        }
        return made;
    }

    /** @return the actor's reference */
    @Override
    public LocalActorRef self() {
        return self;
    }

    /** @return whether the actor has terminated */
    public boolean isTerminated() {
        return terminated;
    }

    /**
     * Puts a message (or an envelope) in the mailbox. Any thread. Messages one thread sends arrive
     * in the order sent.
     *
     * @param item a message, an {@link AskEnvelope} or a timer envelope
     */
    public void tell(Object item) {
        enqueue(item, 0);
    }

    /**
     * Delivers a message from another node, after {@link #admitRemote} reserved its room: as
     * {@link #tell}, and the room is given back when a turn takes it. Remoting I/O thread.
     *
     * @param message the decoded message
     * @param cost what {@link #admitRemote} reserved
     */
    public void tellRemote(Object message, int cost) {
        enqueue(message, cost);
    }

    /**
     * Delivers an ask from another node, after {@link #admitRemote} reserved its room: as
     * {@link #ask}. Remoting I/O thread.
     *
     * @param message the decoded ask
     * @param timeout how long the actor may take to reply
     * @param cost what {@link #admitRemote} reserved
     * @return the reply's future
     */
    public <R> CompletableFuture<R> askRemote(Object message, Duration timeout, int cost) {
        return ask(message, timeout, cost);
    }

    /**
     * A message from another node in the mailbox: the turn that takes it gives back its cost in
     * {@link #remotePending}. Immutable; made by the remoting I/O thread, unwrapped by the consumer.
     */
    private static final class RemoteDelivery {
        final Object item;
        final int cost;

        RemoteDelivery(Object item, int cost) {
            this.item = item;
            this.cost = cost;
        }
    }

    /** @param remoteCost 0 for a local send, else what the message from another node costs */
    private void enqueue(Object item, int remoteCost) {
        if (terminated) {
            if (remoteCost > 0) {
                remoteUndelivered(remoteCost);
            }
            deadLetterUnlessInternal(item, "the actor has stopped", false);
            return;
        }
        if (queued != null && queued.incrementAndGet() > capacity) {
            queued.decrementAndGet();
            if (remoteCost > 0) {
                remoteUndelivered(remoteCost);
            }
            runtime.countOverflow();
            FlightEvents.mailboxOverflow(runtime.settings().name(), address(), item instanceof AskEnvelope ask ? ask.message : item, capacity);
            runtime.mailboxOverflow(address(), item, capacity);
            return;
        }
        offer(remoteCost > 0 ? new RemoteDelivery(item, remoteCost) : item);
        trySchedule();
    }

    <R> CompletableFuture<R> ask(Object message, Duration timeout) {
        return ask(message, timeout, 0);
    }

    @SuppressWarnings("unchecked")
    private <R> CompletableFuture<R> ask(Object message, Duration timeout, int remoteCost) {
        CompletableFuture<Object> promise = new CompletableFuture<>();
        long millis = timeout == null ? runtime.settings().askTimeout().toMillis() : timeout.toMillis();
        AskEnvelope ask = new AskEnvelope(message, promise,
                runtime.clock().nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis), millis, address());
        runtime.observeAsk(promise, address(), message);
        enqueue(ask, remoteCost);
        if (!promise.isDone()) {
            runtime.registerAsk(ask);
            // Asked from a turn: the handler may wait for the reply, and the actor that replies
            // may be the one held in this carrier's slot (woken by this very ask, or earlier in
            // the turn). Let an idle carrier run it rather than hold it until the turn ends.
            if (Thread.currentThread() instanceof Dispatcher.Carrier carrier
                    && carrier.dispatcher == runtime.dispatcher() && carrier.running != null
                    && !carrier.slotEmpty()) {
                releaseHeld(carrier);
            }
        }
        return (CompletableFuture<R>) (CompletableFuture<?>) promise;
    }

    /** @param message a system message; any thread */
    public void sendSystem(SystemMessage message) {
        pushSystem(message);
        trySchedule();
    }

    private void trySchedule() {
        trySchedule(false);
    }

    /**
     * @param yielding the actor used its whole batch and still has messages: it goes behind the
     *     work already waiting in the pool instead of onto this carrier's own queue, which the
     *     carrier would otherwise keep taking it back from
     */
    private void trySchedule(boolean yielding) {
        if (claim()) {
            // Woken by another actor's turn on a carrier of this system: run right after that turn,
            // on the same thread (see runChain). Winning the flag's CAS makes this thread the
            // consumer exactly as a submission would; the slot is confined to the thread.
            if (!yielding && Thread.currentThread() instanceof Dispatcher.Carrier carrier
                    && carrier.handOff && carrier.dispatcher == runtime.dispatcher()
                    && carrier.running != null
                    && carrier.running != this && carrier.slotEmpty()) {
                carrier.hold(this);
                return;
            }
            submitScheduled(yielding);
        }
    }

    /**
     * Hands the cell held in the carrier's slot to the pool, where an idle carrier can take it:
     * the turn that woke it goes on (another message, or an ask whose reply the handler may wait
     * for). The carrier itself only: the swap in {@link Dispatcher.Carrier#take} decides between
     * this thread and the rescuer, so the held cell is submitted once, by whichever gets it; its
     * scheduled flag passes with it, and the pool's push orders everything this thread did before
     * the cell's next turn.
     */
    private static void releaseHeld(Dispatcher.Carrier carrier) {
        assert Thread.currentThread() == carrier;
        ActorCell held = carrier.take();
        if (held != null) {
            held.submitScheduled(false);
        }
    }

    /**
     * Submits this cell, whose scheduled flag the caller holds, to the pool: from trySchedule, from
     * the end of a chain, or from {@link Dispatcher#rescueHeldCells} for a cell held too long.
     */
    public void submitScheduled(boolean yielding) {
        boolean submitted;
        try {
            submitted = runtime.dispatcher().submit(this, yielding);
        } catch (Throwable failure) {
            // The pool is alive but could not queue the cell (a queue that could not grow under
            // memory pressure). Never let this escape: on a carrier it would leave exec(), and the
            // pool would mark this task completed and never run it again while the flag stays set.
            retrySubmission(failure);
            return;
        }
        if (!submitted) {
            // The pool has shut down. Holding the flag makes this thread the consumer: empty the
            // mailbox into dead letters so that no ask waits for a reply that cannot come.
            drainAfterTermination();
            release();
        }
    }

    /** How long a cell the pool could not queue waits before it is offered again. */
    private static final Duration RESUBMIT_DELAY = Duration.ofMillis(1);

    /**
     * The pool could not queue this cell, whose flag the caller holds: the scheduler thread offers
     * it again shortly, and the flag passes to it (the executor's queue orders this call before
     * the retry runs). Until then the cell's messages wait in its mailbox; none is dropped.
     */
    private void retrySubmission(Throwable failure) {
        try {
            LOG.log(System.Logger.Level.WARNING, "The dispatcher could not queue " + address() + "; trying again in "
                    + RESUBMIT_DELAY.toMillis() + " ms", failure);
        } catch (Throwable ignored) {
            // Logging failed too (out of memory): the retry below matters more.
        }
        if (runtime.scheduleOnMachineTime(() -> submitScheduled(false), RESUBMIT_DELAY) == null) {
            // The scheduler has shut down: the system is closing, as when the pool has.
            drainAfterTermination();
            release();
        }
    }

    /** @param queued whether the item was taken out of a mailbox, not refused at the door; see {@link Leftovers} */
    private void deadLetterUnlessInternal(Object item, String reason, boolean queued) {
        if (item instanceof TimerEnvelope || item instanceof DeathNoticeEnvelope) {
            return;
        }
        Leftovers redirect = leftovers;
        if (redirect != null) {
            if (item instanceof AskEnvelope ask) {
                redirect.accept(ask.message(), ask.promise(), queued);
            } else {
                redirect.accept(item, null, queued);
            }
            return;
        }
        runtime.deadLetter(address(), item, reason);
    }

    /**
     * Where the messages and asks a terminated actor did not handle go instead of dead letters:
     * for an entity of a cluster, its router, which delivers them to the entity's next
     * activation, here or on the member its shard moved to. Called on the thread that finds them:
     * the actor's last turn, or a sender's.
     */
    @FunctionalInterface
    public interface Leftovers {
        /**
         * Called on the actor's last turn or a later one for what its mailbox held, on the
         * sender's thread for a message refused at the door, and again on the thread of a
         * termination callback inside {@link #handOverLeftovers} (which may hold its own lock:
         * the handler must not block, and may take that same lock again). What it throws
         * propagates to the caller: to the sender, or ends the drain, leaving the rest queued
         * for the actor's next turn.
         *
         * @param message the message
         * @param reply the ask's promise, or null for a tell
         * @param queued true when the message was taken out of the stopped actor's mailbox (on
         *     its last turn, or a later one); false when a sender's message was refused at the
         *     door because the actor had already terminated. A refused message is newer, for its
         *     sender, than every message of that sender still queued, which may reach the handler
         *     after it (see {@link #handOverLeftovers}).
         */
        void accept(Object message, CompletableFuture<Object> reply, boolean queued);
    }

    /**
     * Hands what is still in the mailbox to the leftovers handler now, from a callback of
     * {@link #terminationFuture()} that the actor's own last turn runs (a stop of the actor's own,
     * its parent's or its system's: the callbacks registered before the stop run on that turn,
     * inside the termination). The drain before the termination misses a send that read the
     * actor as alive just before it and queued its message just after; such a message is
     * otherwise handed over only by a later turn, after the callbacks have run. A callback that
     * excludes the senders it cares about (a router that sends under a lock, and calls this under
     * the same lock) knows after this call that none of their messages is still queued.
     *
     * @return true when drained here; false when called from any other thread (a termination
     *     by force on the parent's thread while a turn still held the actor), where what is left
     *     reaches the handler from the turn that holds the actor, later
     * @throws RuntimeException what the leftovers handler threw; the messages not yet handed
     *     over stay queued and reach the handler from the actor's next turn
     */
    public boolean handOverLeftovers() {
        if (finishing != Thread.currentThread()) {
            return false;
        }
        assert isConsumer() : "consumer only: " + this;
        drainAfterTermination();
        return true;
    }

    /**
     * @return the turns this actor has taken, wrapping: a value that changed between two reads
     *     means it handled something in between (the cluster's passivation reads it). Any thread;
     *     the value may lag the latest turn a little.
     */
    public int turns() {
        return (int) TURNS.getOpaque(this);
    }

    /**
     * Sends what this actor leaves unhandled to {@code target} instead of dead letters. Set once,
     * before the actor is given any message; the volatile write publishes it to every thread.
     *
     * @param target the receiver of the leftovers
     */
    public void redirectLeftovers(Leftovers target) {
        this.leftovers = target;
    }

    // ------------------------------------------------------------------ the run loop (consumer only)

    @Override
    public Void getRawResult() {
        return null;
    }

    @Override
    protected void setRawResult(Void value) {
        // no result
    }

    /**
     * Never completes, so the same task can be submitted again and again; and never throws: the
     * pool would record the failure and mark the task completed, after which it never runs it
     * again, leaving the actor stuck with its flag set. Each turn restores its own flag in a
     * {@code finally} and the submissions catch their failures, so a throwable reaching this
     * point left no flag behind; it is logged.
     */
    @Override
    protected boolean exec() {
        try {
            if (Thread.currentThread() instanceof Dispatcher.Carrier carrier) {
                runChain(carrier);
            } else {
                run();
            }
        } catch (Throwable failure) {
            try {
                LOG.log(System.Logger.Level.ERROR, "Runtime failure escaped the turns starting at " + address(), failure);
            } catch (Throwable ignored) {
                // nothing more can be done; the carrier lives on
            }
        }
        return false;
    }

    /** At most this many woken cells run in a row on one carrier before it goes back to the pool. */
    private static final int MAX_CHAIN = 64;

    /**
     * Runs this cell's turn, then each cell that turn woke through the carrier's slot, up to
     * {@link #MAX_CHAIN} in a row; past that, the next one goes to the pool like any other, so
     * work waiting there is not held back for long. A cell in the slot holds its scheduled flag,
     * so it is never lost: it runs here or is submitted.
     *
     * <p>Every {@link Dispatcher#OUTSIDE_INTERVAL} turns of the carrier, whether chained or
     * taken from its own queue, the next turn goes to a cell from the pool's submission queues
     * when one waits there (see the fairness section of {@link Dispatcher}); the cell the slot
     * held then goes to the carrier's queue, from which an idle carrier may take it.
     *
     * <p>The carrier itself only: the slot, {@code running} and the turn counter are its own.
     */
    private void runChain(Dispatcher.Carrier carrier) {
        assert Thread.currentThread() == carrier;
        ActorCell cell = this;
        int chained = 0;
        while (true) {
            carrier.running = cell;
            carrier.turnBegins();
            try {
                cell.runTurn(carrier);
            } catch (Throwable failure) {
                carrier.running = null;
                ActorCell held = carrier.take();
                if (held != null) {
                    held.submitScheduled(false);
                }
                throw failure;
            }
            carrier.running = null;
            ActorCell next = carrier.take();
            ActorCell outside = carrier.outsideWorkDue() ? carrier.dispatcher.pollOutside() : null;
            if (outside != null) {
                // The polled cell's flag was set by its submitter; the pool's queue orders that
                // before this poll, so this thread is now its consumer, as if the pool ran it.
                if (next != null) {
                    next.submitScheduled(false);
                }
                cell = outside;
                chained = 0;
                continue;
            }
            if (next == null) {
                return;
            }
            if (++chained >= MAX_CHAIN) {
                next.submitScheduled(false);
                return;
            }
            cell = next;
        }
    }

    /**
     * What the next turn will handle, for a simulation's schedule: the first user message (the
     * request of an ask, a timer's message, a death notice), after a word for system messages when
     * some wait (the turn handles them first, and the message unless they suspend or stop the
     * actor). The consumer only: the simulation holds the scheduled flag when it calls this.
     *
     * @return the message, a description, or null when the mailbox looks empty
     */
    public Object nextForTrace() {
        if (terminated) {
            return "(clean-up after termination)";
        }
        Object user = userMessageForTrace();
        if (hasSystem()) {
            return user == null ? "(system messages)" : "(system messages), then " + user;
        }
        return user;
    }

    private Object userMessageForTrace() {
        Object item = messages.relaxedPeek();
        if (item instanceof RemoteDelivery remote) {
            item = remote.item;
        }
        if (item instanceof AskEnvelope ask) {
            return ask.message;
        }
        if (item instanceof TimerEnvelope timer) {
            return timer.message();
        }
        if (item instanceof DeathNoticeEnvelope notice) {
            return notice.terminated();
        }
        return item;
    }

    /** One turn, on a thread that is not a carrier of this system; see {@link #runTurn}. */
    @Override
    public void run() {
        runTurn(null);
    }

    /**
     * One turn: system messages, then up to {@code throughput} user messages. Consumer only.
     *
     * <p>On a carrier, a cell this turn woke waits in the carrier's slot for the turn to end. When
     * another message follows, the turn is not about to end: the held cell goes to the pool (the
     * carrier's own queue, from which an idle carrier takes it at once) instead of waiting for
     * the rest of the turn.
     *
     * @param carrier the carrier running the turn, or null on any other thread
     */
    private void runTurn(Dispatcher.Carrier carrier) {
        assert carrier == null || Thread.currentThread() == carrier;
        assert enterConsumer();
        boolean yielding = false;
        int handled = 0;
        // Timed only while a recording enables the event, and then one turn in 16 on each carrier
        // (see Dispatcher.TIMED_TURN_INTERVAL): otherwise one volatile read per turn.
        Events.LongTurn longTurn = null;
        if (FlightEvents.longTurnsRecorded() && (carrier == null || carrier.timeThisTurn())) {
            longTurn = new Events.LongTurn();
            longTurn.begin();
        }
        try {
            if (terminated) {
                cleanUpAfterTermination();
            } else {
                processSystemMessages();
                int throughput = runtime.settings().throughput();
                int budget = throughput;
                while (budget-- > 0 && state == RUNNING && !terminated) {
                    Object item = messages.poll();
                    if (item == null) {
                        break;
                    }
                    if (item instanceof RemoteDelivery remote) {
                        remoteTakenOut(remote.cost);
                        item = remote.item;
                    }
                    if (queued != null && processRunner == null) {
                        // A process's message counts until the process takes it from its inbox
                        // (or deliverToProcess drops it), so the capacity bounds the inbox too.
                        queued.decrementAndGet();
                    }
                    // A cell woken by an earlier message of this turn (before the first, the slot
                    // is empty but for a rare wake-up by a system message, which the turn's end
                    // or the rescuer hands on): the turn goes on, so it goes to the pool.
                    if (carrier != null && budget < throughput - 1 && !carrier.slotEmpty()) {
                        releaseHeld(carrier);
                    }
                    try {
                        invoke(item);
                    } catch (Throwable failure) {
                        // The runtime's own code failed on this item: an ask's reply can no longer
                        // come, so its caller fails now rather than at the ask timeout.
                        if (item instanceof AskEnvelope ask) {
                            ask.fail(failure);
                        }
                        throw failure;
                    }
                    handled++;
                    if (hasSystem()) {
                        processSystemMessages();
                    }
                }
                yielding = budget < 0;
                if (terminated) {
                    cleanUpAfterTermination();
                }
            }
        } catch (Throwable failure) {
            runtimeFailure(failure);
        } finally {
            if (carrier != null) {
                carrier.countHandled(handled);
            }
            TURNS.setOpaque(this, (int) TURNS.getOpaque(this) + 1);
            if (longTurn != null) {
                longTurn.end();
                if (longTurn.shouldCommit()) {
                    FlightEvents.longTurn(longTurn, runtime.settings().name(), this, instance, handled);
                }
            }
            assert exitConsumer();
            release();
            if (hasWorkAfterRelease(state == RUNNING || terminated)) {
                trySchedule(yielding);
            }
        }
    }

    /** A failure of the runtime's own code while running this actor: the actor fails, the thread lives. */
    private void runtimeFailure(Throwable failure) {
        LOG.log(System.Logger.Level.ERROR, "Runtime failure while running " + address(), failure);
        try {
            if (!terminated && state == RUNNING) {
                failLoggedAlready(failure, RUNTIME_FAILURE_LOGGED);
            }
        } catch (Throwable again) {
            LOG.log(System.Logger.Level.ERROR, "Could not report the runtime failure of " + address(), again);
        }
    }

    private void invoke(Object item) {
        assert isConsumer() : "consumer only: " + this;
        if (FAULT_INJECTION) {
            FaultInjector injector = faultInjector;
            if (injector != null) {
                injector.beforeDispatch(this, item);
            }
        }
        if (processRunner != null) {
            deliverToProcess(item);
            return;
        }
        Object message = item;
        AskEnvelope ask = null;
        if (item instanceof AskEnvelope envelope) {
            ask = envelope;
            message = envelope.message;
        } else if (item instanceof TimerEnvelope timer) {
            if (timers == null || !timers.isCurrent(timer)) {
                return;
            }
            message = timer.message();
        } else if (item instanceof DeathNoticeEnvelope notice) {
            handleDeathNotice(notice);
            return;
        }
        ProtocolDefinition<Object, Object> definition = definitionFor(message);
        if (definition == null) {
            runtime.deadLetter(address(), item, "the actor implements no protocol with message "
                    + message.getClass().getName());
            return;
        }
        CompletionStage<?> stage;
        try {
            stage = definition.dispatch(instance, message);
        } catch (Throwable failure) {
            if (ask != null) {
                ask.fail(failure);
            }
            rethrowIfFatal(failure);
            fail(failure);
            return;
        }
        if (ask != null) {
            ask.completeFrom(stage, stage != null || definition.method(message).ask());
        }
    }

    /**
     * The definition for a message, remembered for the last message class: a run of messages of
     * one type (the common case) skips the scan and its interface checks. Consumer only.
     */
    private ProtocolDefinition<Object, Object> definitionFor(Object message) {
        Class<?> type = message.getClass();
        if (type == lastMessageClass) {
            return lastDefinition;
        }
        ProtocolDefinition<Object, Object> found = scanDefinitions(message);
        if (found != null) {
            lastMessageClass = type;
            lastDefinition = found;
        }
        return found;
    }

    private ProtocolDefinition<Object, Object> scanDefinitions(Object message) {
        for (ProtocolDefinition<?, ?> definition : hosted.definitions()) {
            if (definition.messageType().isInstance(message)) {
                @SuppressWarnings("unchecked")
                ProtocolDefinition<Object, Object> found = (ProtocolDefinition<Object, Object>) definition;
                return found;
            }
        }
        return null;
    }

    private static void rethrowIfFatal(Throwable failure) {
        if (failure instanceof VirtualMachineError error && !(failure instanceof StackOverflowError)) {
            throw error;
        }
    }

    private void processSystemMessages() {
        assert isConsumer() : "consumer only: " + this;
        SystemMessage message;
        while ((message = pollSystem()) != null) {
            if (terminated) {
                continue;
            }
            try {
                handleSystem(message);
            } catch (Throwable failure) {
                rethrowIfFatal(failure);
                LOG.log(System.Logger.Level.ERROR, "Runtime failure handling " + message + " in " + address(), failure);
                if (state == RUNNING) {
                    failLoggedAlready(failure, RUNTIME_FAILURE_LOGGED);
                }
            }
        }
    }

    private void handleSystem(SystemMessage message) {
        switch (message) {
            case SystemMessage.Start start -> start();
            case SystemMessage.Stop stop -> beginStop(stop.failure());
            case SystemMessage.Failed failed -> childFailed(failed);
            case SystemMessage.Resume resume -> resume();
            case SystemMessage.Restart restart -> {
                // Adopted even when a restart is already under way: failures from now on belong
                // to the incarnation the supervisor has ordered last.
                incarnation = restart.incarnation();
                beginRestart(restart.cause());
            }
            case SystemMessage.ChildTerminated child -> childTerminated(child.child());
            case SystemMessage.Task task -> task.action().run();
        }
    }

    /**
     * What a terminated cell still owes, consumer only: its timers cancelled, its watches
     * dropped, its mailboxes emptied into dead letters (so that a queued ask fails at once).
     * Idempotent. A normal termination has done the first two on the actor's turn; a termination
     * by force, decided on the parent's thread, could not touch this consumer-only state while a
     * turn might run, and leaves it to whichever thread next holds the scheduled flag (see
     * {@link #forceTerminate}).
     */
    private void cleanUpAfterTermination() {
        assert isConsumer() : "consumer only: " + this;
        cancelTimers();
        unwatchAll();
        drainAfterTermination();
    }

    private void drainAfterTermination() {
        while (pollSystem() != null) {
            // nothing to do for a terminated actor
        }
        Object item;
        while ((item = messages.poll()) != null) {
            if (queued != null) {
                queued.decrementAndGet();
            }
            if (item instanceof RemoteDelivery remote) {
                remoteTakenOut(remote.cost);
                item = remote.item;
            }
            deadLetterUnlessInternal(item, "the actor has stopped", true);
        }
    }

    // ------------------------------------------------------------------ lifecycle (consumer only)

    /** Makes the instance; on the spawner's thread for the first, on the actor's turn on restart. */
    private void createInstance() {
        ActorContext previous = CreationContext.enter(this);
        Object created;
        try {
            created = factory.get();
        } finally {
            CreationContext.exit(previous);
        }
        if (created == null) {
            throw new IllegalArgumentException("The factory of " + address() + " returned null; return a new actor instance.");
        }
        instance = created;
        hosted = HOSTED_BY_CLASS.get(created.getClass());
        lastMessageClass = null;
        lastDefinition = null;
        if (created instanceof Process && processRunner == null) {
            processRunner = new ProcessRunner(this, queued);
        }
    }

    /**
     * The protocols of an instance, as published to other threads; see {@link #hosted}.
     *
     * @param definitions the protocols the instance's class implements (never written)
     * @param anyProtocol whether the instance is a {@link Process}, which takes any message
     */
    private record Hosted(ProtocolDefinition<?, ?>[] definitions, boolean anyProtocol) {
        static final Hosted NONE = new Hosted(new ProtocolDefinition<?, ?>[0], false);
    }

    /**
     * Finds the definition of a protocol the hosted instance implements, so that a frame from
     * another node is decoded only with the target actor's own protocols. Any thread: it reads the
     * definitions last published by a volatile write when the instance was made (at start and on
     * restart), so a caller racing with a restart sees the old or the new instance's protocols.
     *
     * @param protocolName the protocol's name (its interface's binary name)
     * @return the definition, or null when the current instance does not implement that protocol
     *     (for a {@link Process}, see {@link #acceptsAnyProtocol()})
     */
    public ProtocolDefinition<?, ?> hostedDefinition(String protocolName) {
        for (ProtocolDefinition<?, ?> definition : hosted.definitions()) {
            if (definition.name().equals(protocolName)) {
                return definition;
            }
        }
        return null;
    }

    /**
     * A {@link Process} takes the messages of every protocol (its {@code receive} matches records,
     * whichever protocol they belong to), so the protocols its class implements do not bound what
     * it may be sent: for a process, a caller decoding a message for it may use any protocol the
     * node can find. Any thread; reads the same volatile as {@link #hostedDefinition}.
     *
     * @return whether the hosted instance is a process
     */
    public boolean acceptsAnyProtocol() {
        return hosted.anyProtocol();
    }

    /** @return the process support when the actor is a {@link Process}, else null */
    public ProcessRunner processRunner() {
        return processRunner;
    }

    private void launchProcess() {
        if (processRunner != null && instance instanceof Process process) {
            processRunner.launch(() -> ActorHooks.get().runProcess(process));
        }
    }

    /**
     * The process thread of the given generation has ended; on the cell's turn.
     *
     * @param launched its generation
     * @param outcome what run() threw, or null when it returned
     */
    public void processEnded(int launched, Throwable outcome) {
        if (processRunner == null || !processRunner.ended(launched)) {
            return;
        }
        if (awaitingProcessEnd) {
            awaitingProcessEnd = false;
            if (state == TERMINATING) {
                finishTermination();
            } else if (state == RESTARTING) {
                finishRestart();
            }
            return;
        }
        if (state != RUNNING) {
            return;
        }
        if (outcome == null) {
            beginStop(null);
        } else {
            rethrowIfFatal(outcome);
            fail(outcome);
        }
    }

    /** Hands a mailbox item to the process's inbox; on the cell's turn. */
    private void deliverToProcess(Object item) {
        if (item instanceof TimerEnvelope timer) {
            if (timers != null && timers.isCurrent(timer)) {
                processRunner.inbox.put(timer.message());
                return;
            }
        } else if (item instanceof DeathNoticeEnvelope notice) {
            if (watching != null && watching.noticeArrived(notice.watched())) {
                processRunner.inbox.put(notice.terminated());
                return;
            }
        } else {
            processRunner.inbox.put(item);
            return;
        }
        if (queued != null) {
            queued.decrementAndGet(); // dropped: it no longer counts against the capacity
        }
    }

    /**
     * Runs an operation of the context on the cell's turn: at once on the turn itself, and through
     * {@link ProcessRunner#onTurn} from a process's own thread, where the context's state must
     * not be touched.
     */
    private <T> T onTurn(Supplier<T> operation) {
        if (processRunner == null || !processRunner.isOwnThread()) {
            return operation.get();
        }
        return processRunner.onTurn(operation);
    }

    /** {@link #onTurn} for an operation without a result. */
    private void onTurnDo(Runnable operation) {
        onTurn(() -> {
            operation.run();
            return null;
        });
    }

    private void start() {
        if (state != CREATED) {
            return;
        }
        state = RUNNING;
        if (instance instanceof Actor actor) {
            try {
                ActorHooks.get().preStart(actor);
            } catch (Throwable failure) {
                rethrowIfFatal(failure);
                fail(new ActorInitializationException("preStart of " + address() + " failed: " + failure, failure));
                return;
            }
        }
        instanceStarted = true;
        FlightEvents.actorStarted(runtime.settings().name(), this, instance);
        launchProcess();
    }

    /**
     * The actor failed in its own code (a handler, a hook, a process's {@code run()}, a death
     * pact): log the failure, with its stack trace, then suspend the actor and ask its supervisor.
     * This is the one record that carries the failure's stack trace: a supervisor that escalates
     * it logs one line ({@link #failLoggedAlready}), and a restart logs nothing more.
     */
    private void fail(Throwable cause) {
        if (suspend(cause)) {
            if (parent == null) {
                LOG.log(System.Logger.Level.ERROR, "The user guardian failed: " + cause, cause);
            } else {
                LOG.log(System.Logger.Level.WARNING, "Actor " + address() + " failed: " + cause, cause);
            }
            askSupervisor(cause);
        }
    }

    /**
     * The actor fails with an exception whose stack trace is already in the log: a child's
     * failure it escalates, or a failure of the runtime logged where it was caught. Logs one line
     * without the trace, then suspends the actor and asks its supervisor.
     *
     * @param where where the stack trace was logged, in words for the log line
     */
    private void failLoggedAlready(Throwable cause, String where) {
        if (suspend(cause)) {
            LOG.log(parent == null ? System.Logger.Level.ERROR : System.Logger.Level.WARNING,
                    (parent == null ? "The user guardian" : "Actor " + address()) + " failed: " + cause + " (" + where + ")");
            askSupervisor(cause);
        }
    }

    /** @return whether the actor was running and is now suspended by this failure */
    private boolean suspend(Throwable cause) {
        if (state != RUNNING) {
            LOG.log(System.Logger.Level.DEBUG, "Further failure of " + address() + " while not running: " + cause);
            return false;
        }
        state = SUSPENDED;
        return true;
    }

    private void askSupervisor(Throwable cause) {
        FlightEvents.actorFailed(runtime.settings().name(), this, instance, cause, incarnation);
        if (parent == null) {
            state = RUNNING;
            return;
        }
        parent.sendSystem(new SystemMessage.Failed(this, cause, incarnation));
    }

    /** @return the words for a failure escalated by this child, whose own record has the stack trace */
    private static String escalatedBy(ActorCell child) {
        return "escalated by its child " + child.address() + "; stack trace logged with the child's failure";
    }

    private void resume() {
        if (state != SUSPENDED) {
            return;
        }
        state = RUNNING;
        if (processRunner != null && !processRunner.isRunning()) {
            launchProcess();
        }
        if (supervisor != null) {
            supervisor.resumed();
        }
    }

    private void beginRestart(Throwable cause) {
        if (state == TERMINATING || state == TERMINATED || state == RESTARTING) {
            return;
        }
        state = RESTARTING;
        restartCause = cause;
        if (supervisor != null) {
            supervisor.restarting();
        }
        cancelTimers();
        if (processRunner != null) {
            processRunner.interrupt();
        }
        stopChildrenThen();
    }

    /** Once the children have stopped: preRestart on the old instance, then the new instance. */
    private void finishRestart() {
        Throwable cause = restartCause;
        restartCause = null;
        if (instance instanceof Actor actor && instanceStarted) {
            try {
                ActorHooks.get().preRestart(actor, cause);
            } catch (Throwable failure) {
                rethrowIfFatal(failure);
                LOG.log(System.Logger.Level.WARNING, "preRestart of " + address() + " failed; restarting anyway", failure);
            }
        }
        instanceStarted = false;
        if (processRunner != null) {
            processRunner.failPending("restarted");
        }
        try {
            createInstance();
        } catch (Throwable failure) {
            rethrowIfFatal(failure);
            state = RUNNING;
            fail(new ActorInitializationException("Re-creating " + address() + " after a failure failed: " + failure, failure));
            return;
        }
        state = RUNNING;
        FlightEvents.actorRestarted(runtime.settings().name(), this, instance, cause, incarnation);
        if (instance instanceof Actor actor) {
            try {
                ActorHooks.get().postRestart(actor, cause);
            } catch (Throwable failure) {
                rethrowIfFatal(failure);
                fail(new ActorInitializationException("postRestart of " + address() + " failed: " + failure, failure));
                return;
            }
        }
        instanceStarted = true;
        launchProcess();
    }

    private void beginStop(Throwable failure) {
        if (state == TERMINATING || state == TERMINATED) {
            return;
        }
        state = TERMINATING;
        stopFailure = failure;
        cancelTimers();
        if (processRunner != null) {
            processRunner.interrupt();
        }
        stopChildrenThen();
    }

    /**
     * Stops the children one by one, youngest first, each within the stop timeout; then finishes
     * the restart or the termination under way.
     */
    private void stopChildrenThen() {
        assert isConsumer() : "consumer only: " + this;
        Children mine = children;
        if (mine != null) {
            mine.beginStopping();
        }
        stopNextChild();
    }

    private void stopNextChild() {
        Children mine = children;
        while (mine == null || mine.stopping == null) {
            ActorCell next = mine == null ? null : mine.nextToStop();
            if (next == null) {
                if (processRunner != null && processRunner.isRunning()) {
                    // The process thread was interrupted; finish once it has ended.
                    awaitingProcessEnd = true;
                    return;
                }
                if (state == TERMINATING) {
                    finishTermination();
                } else if (state == RESTARTING) {
                    finishRestart();
                }
                return;
            }
            if (next.terminated) {
                continue;
            }
            mine.stopping = next;
            next.sendSystem(new SystemMessage.Stop(null));
            ActorCell child = next;
            mine.stopTimer = runtime.schedule(() -> sendSystem(new SystemMessage.Task(() -> stopTimedOut(child))),
                    runtime.settings().stopTimeout());
        }
    }

    private void stopTimedOut(ActorCell child) {
        Children mine = children;
        if (mine != null && mine.stopping == child && !child.terminated) {
            LOG.log(System.Logger.Level.WARNING, "Child " + child.address() + " did not stop within "
                    + runtime.settings().stopTimeout().toMillis() + " ms; terminating it by force");
            child.forceTerminate();
        }
    }

    private void childTerminated(ActorCell child) {
        if (supervisor != null) {
            supervisor.childTerminated(child);
        }
        Children mine = children;
        if (mine != null && mine.stopping == child) {
            mine.stoppingEnded();
            stopNextChild();
        }
    }

    private void finishTermination() {
        state = TERMINATED;
        if (instance instanceof Actor actor && instanceStarted) {
            try {
                ActorHooks.get().postStop(actor);
            } catch (Throwable failure) {
                rethrowIfFatal(failure);
                LOG.log(System.Logger.Level.WARNING, "postStop of " + address() + " failed", failure);
            }
        }
        drainProcess();
        drainAfterTermination();
        finishing = Thread.currentThread();
        try {
            complete(stopFailure == null ? Terminated.Reason.STOPPED : Terminated.Reason.FAILED, stopFailure);
        } finally {
            finishing = null;
        }
        unwatchAll();
    }

    /** Terminates a child that did not stop in time; on its parent's turn. Its postStop does not run. */
    private void forceTerminate() {
        Children mine = children;
        if (mine != null) {
            for (ActorCell child : mine.byName.values()) {
                child.forceTerminate();
            }
        }
        complete(Terminated.Reason.STOPPED, null);
        if (processRunner != null) {
            // Only after complete() has set the volatile terminated flag: interrupting the thread
            // happens-before it sees the interrupt, ends, and reports its end to this cell, so
            // the report finds the cell terminated and is dropped. Interrupting first would let
            // the cell's own turn take the report and run finishTermination (and postStop)
            // while this thread is terminating the cell too.
            processRunner.interrupt();
            drainProcess();
        }
        // The actor's own part of the termination (timers, watches, mailbox) is consumer only.
        // When no turn is running or queued, this thread takes the scheduled flag and does it at
        // once: the CAS synchronizes-with the release of the flag by the last turn, so this
        // thread sees that turn's state as a next turn would. Otherwise a turn holds the flag (a
        // handler stuck past the stop timeout, or a turn queued or held in a slot): it reads the
        // volatile terminated flag set by complete() above and cleans up when it gets there, and
        // until then the timers stop by themselves at their next firing (TimerScheduler.Firing).
        if (claim()) {
            assert enterConsumer();
            try {
                cleanUpAfterTermination();
            } finally {
                assert exitConsumer();
                release();
                if (hasWorkAfterRelease(true)) {
                    trySchedule();
                }
            }
        }
    }

    /** Fails the process's unanswered asks and dead-letters what its inbox still holds. */
    private void drainProcess() {
        if (processRunner == null) {
            return;
        }
        processRunner.failPending("stopped");
        for (Object item : processRunner.drainInbox()) {
            if (!(item instanceof Terminated)) {
                deadLetterUnlessInternal(item, "the process has stopped", true);
            }
        }
    }

    /** Publishes the termination, once: senders, parent, watchers, waiters. Any thread. */
    private void complete(Terminated.Reason reason, Throwable cause) {
        if (!FINISHED.compareAndSet(this, false, true)) {
            return;
        }
        Terminated notice = new Terminated(self, reason, cause);
        terminated = true;
        if (parent != null) {
            FlightEvents.actorStopped(runtime.settings().name(), this, instance, reason, cause);
        }
        Set<DeathWatcher> toNotify;
        synchronized (this) {
            terminatedNotice = notice;
            toNotify = watchers;
            watchers = null;
        }
        if (parent != null) {
            runtime.actorStopped();
            Children siblings = parent.children;
            if (siblings != null) {
                siblings.byName.remove(name, this);
            }
            parent.sendSystem(new SystemMessage.ChildTerminated(this));
        }
        if (toNotify != null) {
            for (DeathWatcher watcher : toNotify) {
                watcher.deathNotice(this, notice);
            }
        }
        terminationFuture().complete(notice);
    }

    /** @return completes when the actor has terminated */
    public CompletableFuture<Terminated> terminationFuture() {
        CompletableFuture<Terminated> future = termination;
        if (future == null) {
            synchronized (this) {
                future = termination;
                if (future == null) {
                    future = new CompletableFuture<>();
                    termination = future;
                }
            }
        }
        return future;
    }

    /** Asks the actor to stop; any thread. */
    public void stopFromOutside(Throwable failure) {
        sendSystem(new SystemMessage.Stop(failure));
    }

    // ------------------------------------------------------------------ supervision (consumer only)

    @Override
    public SupervisorStrategy strategy() {
        if (parent == null) {
            return runtime.settings().guardianStrategy();
        }
        if (instance instanceof Actor actor) {
            SupervisorStrategy strategy = ActorHooks.get().supervisorStrategy(actor);
            return strategy == null ? SupervisorStrategy.DEFAULT : strategy;
        }
        return SupervisorStrategy.DEFAULT;
    }

    private void childFailed(SystemMessage.Failed failed) {
        ActorCell child = failed.child();
        Children mine = children;
        if (child.terminated || mine == null || mine.byName.get(child.name) != child
                || state == TERMINATING || state == TERMINATED || state == RESTARTING) {
            return;
        }
        if (supervisor == null) {
            supervisor = new Supervisor<>(runtime, this, this);
        }
        supervisor.childFailed(child, failed.cause(), failed.incarnation());
    }

    @Override
    public boolean isGuardian() {
        return parent == null;
    }

    @Override
    public Collection<ActorCell> liveChildren() {
        Children mine = children;
        return mine == null ? List.of() : mine.byName.values();
    }

    @Override
    public void escalate(Throwable cause, ActorCell child) {
        failLoggedAlready(cause, escalatedBy(child));
    }

    @Override
    public long startSequence() {
        return startSequence;
    }

    @Override
    public void resumeFromSupervisor() {
        sendSystem(new SystemMessage.Resume());
    }

    @Override
    public void stopFromSupervisor(Throwable failure) {
        sendSystem(new SystemMessage.Stop(failure));
    }

    @Override
    public void restartFromSupervisor(Throwable cause, long incarnation) {
        sendSystem(new SystemMessage.Restart(cause, incarnation));
    }

    // ------------------------------------------------------------------ death watch

    @Override
    public void deathNotice(Object watched, Terminated terminated) {
        tell(new DeathNoticeEnvelope(watched, terminated));
    }

    @Override
    public void addWatcher(DeathWatcher watcher) {
        Terminated notice;
        synchronized (this) {
            notice = terminatedNotice;
            if (notice == null) {
                if (watchers == null) {
                    watchers = new LinkedHashSet<>();
                }
                watchers.add(watcher);
                return;
            }
        }
        watcher.deathNotice(this, notice);
    }

    @Override
    public void removeWatcher(DeathWatcher watcher) {
        synchronized (this) {
            if (watchers != null) {
                watchers.remove(watcher);
            }
        }
    }

    private void handleDeathNotice(DeathNoticeEnvelope notice) {
        if (watching == null || !watching.noticeArrived(notice.watched())) {
            return;
        }
        if (instance instanceof Actor actor) {
            try {
                ActorHooks.get().onTerminated(actor, notice.terminated());
            } catch (Throwable failure) {
                rethrowIfFatal(failure);
                fail(failure);
            }
        }
    }

    private void unwatchAll() {
        if (watching != null) {
            watching.unwatchAll();
            watching = null;
        }
    }

    // ------------------------------------------------------------------ ActorContext (consumer only)

    @Override
    public <P> P self(Class<P> protocol) {
        ProtocolDefinition<P, ?> definition = ProtocolDefinition.of(protocol);
        if (processRunner == null && !protocol.isInstance(instance)) {
            throw new IllegalArgumentException(address() + " does not implement " + protocol.getName()
                    + "; ask for one of the protocols its class implements.");
        }
        return definition.proxy(self);
    }

    @Override
    public ActorRef<Object> parent() {
        return parent == null ? self : parent.self;
    }

    @Override
    public ActorSystem system() {
        return runtime.system();
    }

    @Override
    public <P> P spawn(Class<P> protocol, Supplier<? extends P> factory, String name) {
        Objects.requireNonNull(name, "name");
        return onTurn(() -> spawnChild(protocol, factory, name, SpawnOptions.DEFAULT));
    }

    @Override
    public <P> P spawn(Class<P> protocol, Supplier<? extends P> factory) {
        return onTurn(() -> spawnChild(protocol, factory, null, SpawnOptions.DEFAULT));
    }

    @Override
    public <P> P spawn(Class<P> protocol, Supplier<? extends P> factory, String name, SpawnOptions options) {
        return onTurn(() -> spawnChild(protocol, factory, name, options));
    }

    @Override
    public ActorRef<Object> spawnProcess(Supplier<? extends Process> factory, String name) {
        return onTurn(() -> spawnCell(null, factory, name, SpawnOptions.DEFAULT).self);
    }

    /**
     * Spawns a child of this cell. On this actor's turn, or from any thread for the guardian.
     *
     * @param protocol the protocol of the returned proxy
     * @param factory the instance factory
     * @param childName the name, or null for a generated one
     * @param options the options
     * @param <P> the protocol type
     * @return the proxy
     */
    public <P> P spawnChild(Class<P> protocol, Supplier<? extends P> factory, String childName, SpawnOptions options) {
        Objects.requireNonNull(protocol, "protocol");
        ProtocolDefinition<P, ?> definition = ProtocolDefinition.of(protocol);
        return definition.proxy(spawnCell(protocol, factory, childName, options).self);
    }

    /**
     * Spawns a child of this cell, of any class. On this actor's turn, or from any thread for the
     * guardian.
     *
     * @param protocol the protocol the instance must implement, or null for none (a process)
     * @param factory the instance factory
     * @param childName the name, or null for a generated one
     * @param options the options
     * @return the child's cell
     */
    public ActorCell spawnCell(Class<?> protocol, Supplier<?> factory, String childName, SpawnOptions options) {
        Objects.requireNonNull(factory, "factory");
        Objects.requireNonNull(options, "options");
        if (terminated || (parent == null ? runtime.isClosing() : state >= TERMINATING)) {
            throw new IllegalStateException("Cannot spawn a child of " + address() + ": it is stopping or stopped"
                    + (parent == null ? " (the actor system is closed)" : "") + ".");
        }
        String actualName = childName == null ? generatedName() : ActorNames.validate(childName);
        ActorCell child = new ActorCell(runtime, this, actualName, factory, options.mailboxCapacity());
        child.createInstance();
        if (protocol != null && !protocol.isInstance(child.instance)) {
            throw new IllegalArgumentException("The factory for '" + actualName + "' made a "
                    + child.instance.getClass().getName() + ", which does not implement " + protocol.getName()
                    + "; return an instance of a class that implements it.");
        }
        if (children().byName.putIfAbsent(actualName, child) != null) {
            throw new IllegalArgumentException("An actor named '" + actualName + "' already exists under " + path()
                    + "; choose another name, or wait until the existing one has stopped.");
        }
        runtime.actorStarted();
        child.sendSystem(new SystemMessage.Start());
        if (parent == null && runtime.isClosing()) {
            child.sendSystem(new SystemMessage.Stop(null));
        }
        return child;
    }

    private String generatedName() {
        if (parent == null) {
            return "$" + Long.toString(runtime.nextStartSequence(), 36);
        }
        return children().generatedName();
    }

    /** @return the children, made on first use (by CAS: the guardian spawns from any thread) */
    private Children children() {
        Children mine = children;
        if (mine == null) {
            Children fresh = new Children();
            mine = CHILDREN.compareAndSet(this, null, fresh) ? fresh : children;
        }
        return mine;
    }

    /**
     * @param descendantPath a path such as {@code /user/a/b}
     * @return the live cell at that path, or null
     */
    public ActorCell findDescendant(String descendantPath) {
        if (descendantPath.equals(path())) {
            return this;
        }
        if (!descendantPath.startsWith(path() + "/")) {
            return null;
        }
        ActorCell current = this;
        for (String segment : descendantPath.substring(path().length() + 1).split("/")) {
            Children map = current.children;
            current = map == null ? null : map.byName.get(segment);
            if (current == null || current.terminated) {
                return null;
            }
        }
        return current;
    }

    @Override
    public void stop(Object proxyOrRef) {
        onTurnDo(() -> stopNow(proxyOrRef));
    }

    private void stopNow(Object proxyOrRef) {
        ActorCell target = cellOf(proxyOrRef);
        if (target != this && (target == null || target.parent != this)) {
            throw new IllegalArgumentException(proxyOrRef + " is neither " + address() + " nor one of its children;"
                    + " an actor stops only itself and its children (use ActorSystem.stop otherwise).");
        }
        target.sendSystem(new SystemMessage.Stop(null));
    }

    /**
     * @param proxyOrRef a proxy or a reference
     * @return the local cell behind it, or null when it is not a local actor
     */
    public static ActorCell cellOf(Object proxyOrRef) {
        Object ref = proxyOrRef instanceof ActorRef<?> ? proxyOrRef : ProtocolProxy.actorRefOf(proxyOrRef);
        return ref instanceof LocalActorRef local ? local.cell() : null;
    }

    @Override
    public void watch(Object proxyOrRef) {
        onTurnDo(() -> watchNow(proxyOrRef));
    }

    private void watchNow(Object proxyOrRef) {
        Object ref = proxyOrRef instanceof ActorRef<?> ? proxyOrRef : ProtocolProxy.actorRefOf(proxyOrRef);
        if (ref == null) {
            throw new IllegalArgumentException(proxyOrRef + " is not an actor reference; watch a proxy or ActorRef.");
        }
        if (ref instanceof io.spinoff.runtime.internal.EntitySink entity) {
            throw io.spinoff.runtime.internal.EntitySink.notWatchable(entity);
        }
        if (ref instanceof LocalActorRef local && local.cell() == this) {
            throw new IllegalArgumentException(address() + " cannot watch itself.");
        }
        if (watching == null) {
            watching = new Watching(this);
        }
        watching.watch(ref instanceof LocalActorRef local ? local.cell() : ref);
    }

    @Override
    public void unwatch(Object proxyOrRef) {
        onTurnDo(() -> unwatchNow(proxyOrRef));
    }

    private void unwatchNow(Object proxyOrRef) {
        Object ref = proxyOrRef instanceof ActorRef<?> ? proxyOrRef : ProtocolProxy.actorRefOf(proxyOrRef);
        if (watching == null || ref == null) {
            return;
        }
        watching.unwatch(ref instanceof LocalActorRef local ? local.cell() : ref);
    }

    @Override
    public Timers timers() {
        if (processRunner != null && processRunner.isOwnThread()) {
            return processRunner.timersOnTurn(this::timers);
        }
        if (timers == null) {
            timers = new TimerScheduler(this);
        }
        return timers;
    }

    private void cancelTimers() {
        if (timers != null) {
            timers.cancelAll();
        }
    }

    /**
     * @param message a message
     * @return whether the actor takes that message: a process takes messages of any type (its
     *     class implements no protocol), an actor those of the protocols it implements; consumer
     *     only
     */
    public boolean accepts(Object message) {
        return processRunner != null || definitionFor(message) != null;
    }

    // ------------------------------------------------------------------ observation (any thread)

    /**
     * @return the children at this moment, for the JMX tree and the statistics; any thread (the
     *     map is concurrent, its values may already be stopping)
     */
    public java.util.Collection<ActorCell> childrenSnapshot() {
        Children mine = children;
        return mine == null ? List.of() : mine.snapshot();
    }

    /** @return the actor's path, such as {@code /user/a/b} */
    public String path() {
        String made = path;
        if (made == null) {
            made = parent == null ? "/" + name : parent.path() + "/" + name;
            path = made;
        }
        return made;
    }

    /**
     * @return the messages waiting in the mailbox: exact for a bounded mailbox, a relaxed count of
     *     at most {@code limit} for an unbounded one (it may miss messages the consumer takes
     *     meanwhile); any thread
     */
    public long mailboxDepth(int limit) {
        return queued != null ? queued.get() : messages.relaxedSize(limit);
    }

    /**
     * @return the class of the actor's instance, for display: a racy read of a reference, which
     *     may see the instance before the latest restart; "" before the first instance
     */
    public String actorClassName() {
        Object current = instance;
        return current == null ? "" : current.getClass().getName();
    }

    /** @return how many times the actor was restarted; a racy read, for display */
    public long restartCount() {
        return incarnation;
    }

    /** @return the lifecycle state's name (CREATED, RUNNING, SUSPENDED, RESTARTING, TERMINATING, TERMINATED); a racy read, for display */
    public String stateName() {
        if (terminated) {
            return "TERMINATED";
        }
        return switch (state) {
            case CREATED -> "CREATED";
            case RUNNING -> "RUNNING";
            case SUSPENDED -> "SUSPENDED";
            case RESTARTING -> "RESTARTING";
            case TERMINATING -> "TERMINATING";
            default -> "TERMINATED";
        };
    }

    @Override
    public String toString() {
        return "ActorCell[" + address() + "]";
    }
}
