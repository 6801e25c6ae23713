package io.spinoff.testkit;

import io.spinoff.runtime.ActorInfo;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.ActorSystemBuilder;
import io.spinoff.runtime.DeadLetter;
import io.spinoff.runtime.ManualTime;
import io.spinoff.runtime.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * An actor system for one test, with typed probes, that checks on {@link #close()} that the test
 * left nothing behind: no live actor (the probes excepted, which the kit stops), no thread of the
 * system, and no dead letter when the test said it expects none ({@link #expectNoDeadLetters()}).
 *
 * <p>Use it with {@code try (TestKit kit = TestKit.create()) { ... }}, or let
 * {@link SpinoffExtension} give each test method a fresh one and close it after the test.
 *
 * <p><b>Threads:</b> create, use and close a kit on the test's thread; its system and probes
 * follow their own contracts. {@link #close()} throws {@link AssertionError} naming what leaked,
 * after closing the system all the same.
 */
public final class TestKit implements AutoCloseable {

    /** How long a probe waits for an expected message unless told otherwise. */
    public static final Duration DEFAULT_EXPECT_TIMEOUT = Duration.ofSeconds(3);
    /** How long close waits for the system's threads to end before calling them leaked. */
    private static final Duration THREADS_END_WITHIN = Duration.ofSeconds(5);

    private static final AtomicInteger KITS = new AtomicInteger();
    private static final Duration NODE_HEARTBEAT = Duration.ofMillis(200);
    private static final Duration NODE_DOWN_AFTER = Duration.ofSeconds(3);

    private final ActorSystem system;
    /** The system's manual clock, or null when it runs on the machine's time. */
    private final ManualTime time;
    private final List<TestProbe<?>> probes = new ArrayList<>();
    /** The nodes made by {@link #nodes}, closed and checked with the kit. */
    private final List<ActorSystem> nodes = new ArrayList<>();
    private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
    private final Duration expectTimeout;
    /** The simulation that runs the system, or null when it runs on the dispatcher's threads. */
    private final Simulation simulation;
    private boolean noDeadLettersExpected;
    private boolean closed;

    private TestKit(ActorSystem system, Duration expectTimeout, ManualTime time) {
        this(system, expectTimeout, time, null);
    }

    private TestKit(ActorSystem system, Duration expectTimeout, ManualTime time, Simulation simulation) {
        this.system = system;
        this.expectTimeout = expectTimeout;
        this.time = time;
        this.simulation = simulation;
        system.addDeadLetterListener(deadLetters::add);
    }

    /**
     * A kit whose system runs deterministically ({@link Simulation}): every actor turn (one message
     * each), process step and timer runs on the test's thread, one at a time, in an order chosen
     * by a generator with the given seed, on a manual clock. The system runs while the test waits
     * on the kit: a probe's expectations, {@link #advance}, {@link #await}, {@link #runUntilIdle}
     * and {@link #close}; so the test must wait for a future of the system with {@link #await},
     * not with {@code get} or {@code join}. The same seed gives the same interleaving and so the
     * same result, every time; a probe's failure ends with the seed, and
     * {@link #schedule()} shows the steps that led to it.
     *
     * @param seed the seed of the interleaving
     * @return a kit with a fresh simulated system at time zero, without an MBean, recording the
     *     latest {@value #SCHEDULE_KEPT} steps of its schedule
     */
    public static TestKit deterministic(long seed) {
        long[] made = DETERMINISTIC_KITS_OF_THIS_TEST.get();
        made[0]++;
        made[1] = seed;
        Simulation simulation = Simulation.recording(seed, SCHEDULE_KEPT);
        ActorSystem system = ActorSystem.builder("testkit-" + KITS.incrementAndGet()).jmx(false)
                .simulation(simulation).build();
        return new TestKit(system, DEFAULT_EXPECT_TIMEOUT, simulation.time(), simulation);
    }

    /**
     * How many deterministic kits this thread made since {@link SpinoffExtension} last cleared the
     * count (before each test), and the seed of the latest, so that a failing test can name it.
     */
    static final ThreadLocal<long[]> DETERMINISTIC_KITS_OF_THIS_TEST = ThreadLocal.withInitial(() -> new long[2]);

    /** How many of the latest steps a deterministic kit keeps in its schedule. */
    public static final int SCHEDULE_KEPT = 100_000;

    /**
     * Runs a scenario in deterministic kits with the seeds 0, 1, ... {@code seeds - 1}, one kit per
     * seed (closed after the scenario, leak checks included), and stops at the first seed under
     * which the scenario throws. That failure is printed to standard error with {@code seed=N}
     * and the last steps of its schedule; rerun the scenario in {@code TestKit.deterministic(N)}
     * to replay it step by step.
     *
     * @param seeds how many seeds to try, at least 1
     * @param scenario the test: it gets the kit, and fails by throwing
     * @return the first seed under which the scenario failed, or empty when it passed under all
     */
    public static OptionalLong explore(int seeds, Consumer<TestKit> scenario) {
        if (seeds < 1) {
            throw new IllegalArgumentException("Explore at least one seed, not " + seeds + ".");
        }
        Objects.requireNonNull(scenario, "scenario");
        for (long seed = 0; seed < seeds; seed++) {
            TestKit kit = deterministic(seed);
            Throwable failure = null;
            try {
                scenario.accept(kit);
            } catch (Throwable thrown) {
                failure = thrown;
            }
            try {
                kit.close();
            } catch (Throwable leak) {
                if (failure == null) {
                    failure = leak;
                } else {
                    failure.addSuppressed(leak);
                }
            }
            if (failure != null) {
                List<String> steps = kit.schedule();
                List<String> last = steps.subList(Math.max(0, steps.size() - EXPLORE_STEPS_SHOWN), steps.size());
                java.io.StringWriter text = new java.io.StringWriter();
                java.io.PrintWriter out = new java.io.PrintWriter(text);
                out.println("TestKit.explore: the scenario failed with seed=" + seed + " (seed " + (seed + 1) + " of "
                        + seeds + ", after " + kit.simulation.steps() + " steps); replay it with TestKit.deterministic("
                        + seed + "L).");
                out.println("The last " + last.size() + " steps of its schedule:");
                last.forEach(step -> out.println("  " + step));
                failure.printStackTrace(out);
                out.flush();
                System.err.print(text);
                return OptionalLong.of(seed);
            }
        }
        return OptionalLong.empty();
    }

    /** How many of the last steps {@link #explore} prints with a failure. */
    private static final int EXPLORE_STEPS_SHOWN = 40;

    /**
     * @return the simulation that runs this kit's system
     * @throws IllegalStateException when the kit is not deterministic
     */
    public Simulation simulation() {
        if (simulation == null) {
            throw new IllegalStateException("This kit is not deterministic; make it with TestKit.deterministic(seed).");
        }
        return simulation;
    }

    /**
     * @return the seed of this deterministic kit
     * @throws IllegalStateException when the kit is not deterministic
     */
    public long seed() {
        return simulation().seed();
    }

    /**
     * @return the latest steps of this deterministic kit's schedule, oldest first, one line each:
     *     who ran and the message its turn took, as a call ({@code 12 /user/account <-
     *     Account.balance()}), and where the time moved
     * @throws IllegalStateException when the kit is not deterministic
     */
    public List<String> schedule() {
        return simulation().schedule();
    }

    /**
     * Runs the deterministic kit's ready steps until none is left, without moving the time.
     *
     * @return whether the system went idle (it does not when its actors message each other for ever)
     * @throws IllegalStateException when the kit is not deterministic
     */
    public boolean runUntilIdle() {
        return simulation().runUntilIdle();
    }

    /**
     * Waits for a future of the kit's system (an ask's reply, a stop) up to the kit's default
     * timeout. In a deterministic kit this is how a test waits: it runs the system, moving the
     * clock to each timer due, until the future is done; under manual time it lets the time move
     * the same way; otherwise it waits in real time.
     *
     * @param stage the future
     * @param <T> its value's type
     * @return its value
     * @throws AssertionError when it is not done in time, or failed (with the failure as the cause)
     */
    public <T> T await(CompletionStage<T> stage) {
        return await(stage, expectTimeout);
    }

    /**
     * As {@link #await(CompletionStage)}, within the given time (of the kit's clock).
     *
     * @param stage the future
     * @param timeout how long to wait
     * @param <T> its value's type
     * @return its value
     */
    public <T> T await(CompletionStage<T> stage, Duration timeout) {
        Objects.requireNonNull(stage, "stage");
        try {
            return VirtualWait.get(stage.toCompletableFuture(), timeout, time);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("The future was not done within " + timeout.toMillis() + " ms" + replay(), e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("The future failed: " + e.getCause() + replay(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted while waiting for a future" + replay(), e);
        }
    }

    /** @return what a failure says to replay it: the seed of a deterministic kit, or "" */
    private String replay() {
        return simulation == null ? "" : "\n  seed=" + simulation.seed() + " (replay it with TestKit.deterministic("
                + simulation.seed() + "L); kit.schedule() lists the steps)";
    }

    /**
     * @return a kit with a fresh system on the real dispatcher, named {@code testkit-N}, without
     *     an MBean
     */
    public static TestKit create() {
        return new TestKit(ActorSystem.builder("testkit-" + KITS.incrementAndGet()).jmx(false).build(),
                DEFAULT_EXPECT_TIMEOUT, null);
    }

    /**
     * A kit whose system runs on a manual clock ({@link ManualTime}): timers, ask timeouts, a
     * process's receive timeouts, sleeps and awaits, supervision backoff and stop timeouts wait
     * until the test moves the time, with {@link #advance} or by waiting on a probe. Every wait of
     * the kit's probes is measured on that clock: a probe that waits moves the time, step by step
     * to each timer due, letting the system settle after each, until its message comes or its time
     * is up; so {@code probe.expectNoMessage(Duration.ofHours(1))} takes no longer than the work it
     * lets happen. Message handling runs on the real dispatcher, as in {@link #create()}.
     *
     * @return a kit with a fresh system on a manual clock at time zero, without an MBean
     */
    public static TestKit manualTime() {
        ManualTime time = ManualTime.create();
        return new TestKit(ActorSystem.builder("testkit-" + KITS.incrementAndGet()).jmx(false).manualTime(time)
                .build(), DEFAULT_EXPECT_TIMEOUT, time);
    }

    /**
     * Moves the manual clock forward, firing in order everything due by the new time, and letting
     * the system settle after each; see {@link ManualTime#advance}.
     *
     * @param duration how far
     * @throws IllegalStateException when the kit is not on a manual clock
     */
    public void advance(Duration duration) {
        time().advance(duration);
    }

    /**
     * @return the kit's manual clock
     * @throws IllegalStateException when the kit runs on the machine's time
     */
    public ManualTime time() {
        if (time == null) {
            throw new IllegalStateException("This kit runs on the machine's time; make it with TestKit.manualTime()"
                    + " to drive the time from the test.");
        }
        return time;
    }

    /**
     * @param builder a system builder, for a test that needs other settings (a bound node, a
     *     smaller stop timeout, ...)
     * @return a kit with the system it builds
     */
    public static TestKit create(ActorSystemBuilder builder) {
        return new TestKit(Objects.requireNonNull(builder, "builder").build(), DEFAULT_EXPECT_TIMEOUT, null);
    }

    /** @return the kit's actor system */
    public ActorSystem system() {
        return system;
    }

    /**
     * Makes a probe for a protocol: a process of the kit's system whose reference is a {@code P}
     * proxy.
     *
     * @param protocol the protocol, an {@code @ActorProtocol} interface
     * @param <P> the protocol type
     * @return the probe
     */
    public <P> TestProbe<P> probe(Class<P> protocol) {
        return probe(protocol, system);
    }

    /**
     * Makes a probe on another system of the kit: one of its {@link #nodes}, whose reference other
     * nodes reach over the network.
     *
     * @param protocol the protocol, an {@code @ActorProtocol} interface
     * @param on the kit's system or one of its nodes
     * @param <P> the protocol type
     * @return the probe
     * @throws IllegalArgumentException when the system is not the kit's
     */
    public <P> TestProbe<P> probe(Class<P> protocol, ActorSystem on) {
        Objects.requireNonNull(protocol, "protocol");
        if (on != system && !nodes.contains(on)) {
            throw new IllegalArgumentException("System " + on.name() + " is not one of this kit's; make probes on"
                    + " kit.system() or on a system from kit.nodes(n).");
        }
        TestProbe<P> probe = new TestProbe<>(on, protocol, "probe-" + (probes.size() + 1), expectTimeout, time,
                replay());
        probes.add(probe);
        return probe;
    }

    /**
     * Starts more systems for the test, each a node bound to a free port on 127.0.0.1, with a
     * quick failure detector (a heartbeat every 200 ms, down after 3 s of silence), on the kit's
     * manual clock if it has one (remoting itself keeps the machine's time). Each reaches the
     * others' actors by address ({@code node.lookup(P.class, other.address() + "/user/name")}),
     * and {@link #probe(Class, ActorSystem)} puts probes on them. The kit closes them and checks
     * each for leaks as it does its own system.
     *
     * @param count how many, at least 1
     * @return the new nodes, in order
     */
    public List<ActorSystem> nodes(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("Ask for at least one node, not " + count + ".");
        }
        if (simulation != null) {
            throw new IllegalStateException("A deterministic kit runs one system on the test's thread; nodes talk over"
                    + " sockets on threads of their own. Test nodes with TestKit.manualTime() or TestKit.create().");
        }
        List<ActorSystem> made = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ActorSystem node = nodeBuilder(system.name() + "-node" + (nodes.size() + 1), "tcp://127.0.0.1:0").build();
            nodes.add(node);
            made.add(node);
        }
        return List.copyOf(made);
    }

    /**
     * Makes one of the kit's nodes unreachable: its remoting stops ({@link ActorSystem#stopRemoting}),
     * its actors keep running. The other nodes hear nothing more from it and declare it down
     * after 3 s (the kit's failure detector); their watchers of its actors get
     * {@code NODE_DOWN}. The kit still closes the node and checks it for leaks.
     *
     * @param node one of {@link #nodes}
     * @throws IllegalArgumentException when it is not one of the kit's nodes
     */
    public void unreachable(ActorSystem node) {
        requireNode(node).stopRemoting();
    }

    /**
     * Restarts one of the kit's nodes as a new incarnation: closes it (its actors stop, without a
     * leak check) and starts a node with the same name on the same port, which the kit uses in
     * its place. Watchers of the old node's actors get their notices (when the new incarnation's
     * first envelope reaches them, or when the old one has been silent for 3 s), and addresses of
     * the node reach the new one.
     *
     * @param node one of {@link #nodes}
     * @return the new node, empty of actors
     * @throws IllegalArgumentException when it is not one of the kit's nodes
     */
    public ActorSystem restart(ActorSystem node) {
        requireNode(node);
        String address = node.address();
        int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
        node.close();
        ActorSystem restarted = nodeBuilder(node.name(), "tcp://127.0.0.1:" + port).build();
        nodes.set(nodes.indexOf(node), restarted);
        return restarted;
    }

    private ActorSystem requireNode(ActorSystem node) {
        Objects.requireNonNull(node, "node");
        if (!nodes.contains(node)) {
            throw new IllegalArgumentException("System " + node.name() + " is not one of this kit's nodes (or was"
                    + " restarted since); pass a node from kit.nodes(n) or kit.restart(node).");
        }
        return node;
    }

    private ActorSystemBuilder nodeBuilder(String name, String bind) {
        ActorSystemBuilder builder = ActorSystem.builder(name).jmx(false).bind(bind)
                .heartbeatInterval(NODE_HEARTBEAT).downAfter(NODE_DOWN_AFTER);
        if (time != null) {
            builder.manualTime(time);
        }
        return builder;
    }

    /** Makes {@link #close()} fail when any message of the test went to dead letters. */
    public void expectNoDeadLetters() {
        noDeadLettersExpected = true;
    }

    /** @return the dead letters so far, in order */
    public List<DeadLetter> deadLetters() {
        return List.copyOf(deadLetters);
    }

    /**
     * Stops the probes, checks for leaks, and closes the system and its {@link #nodes} (whatever the checks find).
     * Idempotent.
     *
     * @throws AssertionError naming the live actors, the system's threads still running after the
     *     close, and the dead letters when none were expected
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<String> leaks = new ArrayList<>();
        for (TestProbe<?> probe : probes) {
            try {
                VirtualWait.get(probe.system().stop(probe.actorRef()).toCompletableFuture(), expectTimeout, time);
            } catch (Exception e) {
                leaks.add("probe " + probe.name() + " did not stop: " + e);
            }
        }
        if (noDeadLettersExpected && !deadLetters.isEmpty()) {
            leaks.add(deadLetters.size() + " dead letter" + (deadLetters.size() == 1 ? "" : "s") + ": "
                    + String.join(", ", deadLetters.stream()
                            .map(letter -> letter.message() + " to " + letter.recipient() + " (" + letter.reason() + ")")
                            .toList()));
        }
        List<ActorSystem> all = new ArrayList<>(nodes);
        all.add(0, system);
        for (ActorSystem each : all) {
            checkAndClose(each, leaks);
        }
        // Only once all are closed: the nodes' names, and so their threads' names, begin with the kit's.
        for (ActorSystem each : all) {
            List<String> threads = threadsLeft(each);
            if (!threads.isEmpty()) {
                leaks.add("threads of " + each.name() + " still running after its close: " + String.join(", ", threads));
            }
        }
        if (!leaks.isEmpty()) {
            throw new AssertionError("The test leaked from actor system " + system.name() + ":\n  - "
                    + String.join("\n  - ", leaks) + replay());
        }
    }

    /** Looks for live actors and closes the system. */
    private void checkAndClose(ActorSystem each, List<String> leaks) {
        String which = each == system ? "" : " on node " + each.name();
        try {
            long live = each.metrics().liveActors();
            if (live > 0) {
                List<String> paths = each.mxBean().dumpActorTree().stream()
                        .map(info -> info.getPath() + " (" + info.getActorClass() + ", " + info.getState() + ")")
                        .toList();
                leaks.add(live + " live actor" + (live == 1 ? "" : "s") + which + ": " + String.join(", ", paths)
                        + "; stop them before the test ends");
            }
        } finally {
            each.close();
        }
    }

    private static List<String> threadsLeft(ActorSystem each) {
        String prefix = "spinoff-" + each.name() + "-";
        long deadline = System.nanoTime() + THREADS_END_WITHIN.toNanos();
        while (true) {
            List<String> alive = Thread.getAllStackTraces().keySet().stream()
                    .filter(Thread::isAlive)
                    .map(Thread::getName)
                    .filter(name -> name.startsWith(prefix))
                    .sorted()
                    .toList();
            if (alive.isEmpty() || System.nanoTime() > deadline) {
                return alive;
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return alive;
            }
        }
    }

    /** @return the live actors' descriptions; for a test that wants to look before closing */
    public List<ActorInfo> liveActors() {
        return system.mxBean().dumpActorTree();
    }
}
