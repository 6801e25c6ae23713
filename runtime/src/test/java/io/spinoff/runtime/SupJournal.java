package io.spinoff.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the actors of one fault-tolerance test did, in one global order: lifecycle hooks, ticks,
 * death notices, and the failures their supervisors' deciders saw.
 *
 * <p><b>Threading:</b> actors write from their turns on any carrier thread; the test reads from
 * its own thread. Every structure is concurrent, and an event an actor records before replying
 * to an ask is visible to the thread that got the reply.
 */
public final class SupJournal {

    /**
     * One lifecycle event.
     *
     * @param kind preStart, postRestart, preRestart, postStop or unblocked
     * @param path the actor's path
     * @param instance the id of the instance
     */
    public record Event(String kind, String path, int instance) {
        /** @return the actor's name, the last segment of its path */
        public String name() {
            return path.substring(path.lastIndexOf('/') + 1);
        }
    }

    private final ConcurrentLinkedQueue<Event> events = new ConcurrentLinkedQueue<>();
    private final AtomicInteger instances = new AtomicInteger();
    private final ConcurrentHashMap<String, Integer> restarts = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, AtomicInteger> ticks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, BlockingQueue<Terminated>> notices = new ConcurrentHashMap<>();
    private final BlockingQueue<Throwable> decisions = new LinkedBlockingQueue<>();

    int nextInstance() {
        return instances.incrementAndGet();
    }

    void record(String kind, String path, int instance) {
        events.add(new Event(kind, path, instance));
    }

    void started(String path, int instance) {
        restarts.put(path, 0);
        record("preStart", path, instance);
    }

    void restarted(String path, int instance) {
        restarts.merge(path, 1, Integer::sum);
        record("postRestart", path, instance);
    }

    void tick(String path) {
        ticks.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
    }

    void notice(String watcherPath, Terminated terminated) {
        noticesOf(watcherPath).add(terminated);
    }

    /** @return every event so far, in order */
    public List<Event> events() {
        return new ArrayList<>(events);
    }

    /**
     * @param kind an event kind
     * @return the names of the actors that had it, in order
     */
    public List<String> names(String kind) {
        List<String> names = new ArrayList<>();
        for (Event event : events) {
            if (event.kind().equals(kind)) {
                names.add(event.name());
            }
        }
        return names;
    }

    /**
     * @param path an actor's path
     * @return its restarts since its cell started (0 before it starts)
     */
    public int restarts(String path) {
        return restarts.getOrDefault(path, 0);
    }

    /**
     * @param path an actor's path
     * @return the ticks its timers delivered
     */
    public int ticks(String path) {
        AtomicInteger count = ticks.get(path);
        return count == null ? 0 : count.get();
    }

    /**
     * @param watcherPath the path of a {@link SupWatcherActor}
     * @return the death notices it has handled and the test has not taken yet
     */
    public BlockingQueue<Terminated> noticesOf(String watcherPath) {
        return notices.computeIfAbsent(watcherPath, p -> new LinkedBlockingQueue<>());
    }

    /**
     * @param watcherPath the path of a {@link SupWatcherActor}
     * @return its next death notice, waiting up to 5 s
     * @throws InterruptedException if interrupted
     */
    public Terminated nextNotice(String watcherPath) throws InterruptedException {
        Terminated notice = noticesOf(watcherPath).poll(5, TimeUnit.SECONDS);
        if (notice == null) {
            throw new AssertionError(watcherPath + " got no death notice within 5 s");
        }
        return notice;
    }

    /**
     * @param directive what the decider answers
     * @return a one-for-one strategy whose decider records each failure it sees
     */
    public SupervisorStrategy recording(SupervisorStrategy.Directive directive) {
        return SupervisorStrategy.DEFAULT.withDecider(cause -> {
            decisions.add(cause);
            return directive;
        });
    }

    /** @return the failures recording deciders saw and the test has not taken yet */
    public BlockingQueue<Throwable> decisions() {
        return decisions;
    }

    /**
     * @return the next failure a recording decider saw, waiting up to 5 s
     * @throws InterruptedException if interrupted
     */
    public Throwable nextDecision() throws InterruptedException {
        Throwable cause = decisions.poll(5, TimeUnit.SECONDS);
        if (cause == null) {
            throw new AssertionError("No recording decider saw a failure within 5 s");
        }
        return cause;
    }
}
