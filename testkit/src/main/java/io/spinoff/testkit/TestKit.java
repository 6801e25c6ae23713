package io.spinoff.testkit;

import io.spinoff.runtime.ActorInfo;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.DeadLetter;
import io.spinoff.runtime.ManualTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

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
    private boolean noDeadLettersExpected;
    private boolean closed;

    private TestKit(ActorSystem system, Duration expectTimeout, ManualTime time) {
        this.system = system;
        this.expectTimeout = expectTimeout;
        this.time = time;
        system.addDeadLetterListener(deadLetters::add);
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
    public static TestKit create(ActorSystem.Builder builder) {
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
        TestProbe<P> probe = new TestProbe<>(on, protocol, "probe-" + (probes.size() + 1), expectTimeout, time);
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
        List<ActorSystem> made = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ActorSystem.Builder builder = ActorSystem.builder(system.name() + "-node" + (nodes.size() + 1)).jmx(false)
                    .bind("tcp://127.0.0.1:0").heartbeatInterval(NODE_HEARTBEAT).downAfter(NODE_DOWN_AFTER);
            if (time != null) {
                builder.manualTime(time);
            }
            ActorSystem node = builder.build();
            nodes.add(node);
            made.add(node);
        }
        return List.copyOf(made);
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
                probe.system().stop(probe.actorRef()).toCompletableFuture()
                        .get(expectTimeout.toMillis(), TimeUnit.MILLISECONDS);
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
                    + String.join("\n  - ", leaks));
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
