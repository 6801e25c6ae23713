package io.spinoff.cluster.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZooKeeper;

/**
 * A member's ZooKeeper session, and what the member does while out of touch with the ensemble:
 * which session it holds (the owner its leases and registrations must have), when it stops its
 * entities (fencing), when it keeps them running on the other members' word (held), and how it
 * rejoins its own session once the ensemble is back. Not API.
 *
 * <h2>Out of touch</h2>
 * On Curator's {@code SUSPENDED}, the member asks every other member, over remoting, through its
 * {@link Witness}, whether it reaches ZooKeeper; each answers after a fresh round trip of its own
 * ({@link #reachesZooKeeper}). Any member that reaches it, silence until the allowance ends, or
 * no other member at all: this member is the one cut off, and it fences (its regions stop their
 * entities) before anyone else can take them over. Every member saying no: the ensemble is down
 * for all, no session can expire and no shard can move, so the entities keep running ("held"),
 * round after round. A real expiry shows as {@code LOST} and fences.
 *
 * <p><b>Threading:</b> {@link #connection}, the witness rounds and {@link #keep} run on the
 * cluster's event thread; {@link #newZooKeeper} on Curator's thread that makes a client (it reads
 * the kept session through volatile fields, written on the event thread before the decision to
 * rejoin); {@link #reachesZooKeeper} on the witness's turn; {@link #sessionId} on any thread.
 */
final class MemberSession {

    private static final System.Logger LOG = System.getLogger(MemberSession.class.getName());

    private final ClusterCore core;
    private final Duration sessionTimeout;
    /** The session this member holds now; written on the event thread (or the joining thread). */
    private volatile long sessionId;
    // Event thread only: out of touch with ZooKeeper (SUSPENDED or LOST, until connected again);
    // the entities stopped (fenced) or kept on the other members' word (held).
    private boolean outOfTouch;
    private boolean fenced;
    private boolean held;
    private ScheduledFuture<?> nextWitnessRound;
    /** Until when (System.nanoTime) the entities may run without another all-clear round. */
    private long holdUntilNanos;
    /** LOST reports since the last connection. */
    private int lostSinceConnected;
    // The session to rejoin while held: written on the event thread, read by Curator's thread
    // that makes a new client (volatile: the factory reads the latest).
    private volatile boolean keepSession;
    private volatile long keptSessionId;
    private volatile byte[] keptPassword;
    /** Whether the client made since the last connection already tried the kept session. */
    private volatile boolean rejoinTried;

    MemberSession(ClusterCore core, Duration sessionTimeout) {
        this.core = core;
        this.sessionTimeout = sessionTimeout;
    }

    /** @return the id of the session this member holds now; any thread */
    long sessionId() {
        return sessionId;
    }

    /**
     * Event thread (or the joining thread, before any event): takes the session of a connected
     * client as this member's, and as the one to rejoin if the member is held later.
     */
    void keep(ZooKeeper client) {
        sessionId = client.getSessionId();
        keptSessionId = client.getSessionId();
        keptPassword = client.getSessionPasswd();
        rejoinTried = false;
    }

    /** Event thread: a change of the connection to the ensemble, as Curator reports it. */
    void connection(ConnectionState state) {
        switch (state) {
            case SUSPENDED -> {
                outOfTouch = true;
                if (held || fenced) {
                    return;
                }
                LOG.log(System.Logger.Level.WARNING, "Node " + core.self() + " lost touch with ZooKeeper; it asks the"
                        + " other members whether they reach it");
                // ZooKeeper's client reports the loss two thirds of a session after the last
                // answer, so the server may expire the session a third later: decide within a sixth.
                holdUntilNanos = System.nanoTime() + sessionTimeout.toNanos() / 6;
                witnessRound();
            }
            case LOST -> {
                outOfTouch = true;
                lostSinceConnected++;
                if (held && lostSinceConnected == 1) {
                    // Curator gives a session up after a whole timeout out of touch, not knowing
                    // that the ensemble is down for everyone; the next client rejoins this session
                    // (see newZooKeeper), which the ensemble keeps. The rounds go on.
                    LOG.log(System.Logger.Level.WARNING, "Node " + core.self() + " has been out of touch with"
                            + " ZooKeeper for its whole session timeout, as every member; it will rejoin its session"
                            + " when ZooKeeper is back");
                } else {
                    fence("its ZooKeeper session expired");
                }
            }
            case RECONNECTED, CONNECTED -> {
                outOfTouch = false;
                if (nextWitnessRound != null) {
                    nextWitnessRound.cancel(false);
                    nextWitnessRound = null;
                }
                long before = sessionId;
                lostSinceConnected = 0;
                try {
                    keep(core.zk().getZookeeperClient().getZooKeeper());
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, "Could not read the ZooKeeper session of " + core.self() + ": "
                            + e);
                }
                if (held && sessionId != before) {
                    // Cannot happen without LOST first (which fences); kept as a guard.
                    fence("its ZooKeeper session changed");
                }
                LOG.log(System.Logger.Level.INFO, "Node " + core.self() + " is connected to ZooKeeper again"
                        + (held ? "; its entities ran on throughout" : ""));
                held = false;
                keepSession = false;
                fenced = false;
                core.unfenceRegions();
            }
            default -> { }
        }
    }

    /**
     * Event thread, out of touch: asks every other member whether it reaches ZooKeeper.
     *
     * <p>If every one answers no, the ensemble is down for all: no session can expire while it
     * is (a new leader gives every session its whole timeout again), nothing can take this
     * member's shards, so its entities keep running ("held"). A round that starts at {@code t}
     * with every answer no lets them run until {@code t} plus two thirds of the session timeout;
     * the next round starts a quarter of a session later. If one member answers yes, this member
     * is the one cut off: it stops its entities at once. A member that does not answer (within a
     * tenth of the session timeout) is asked again until the current allowance ends, then this
     * member stops its entities too. A lone member has no one to ask and stops them.
     *
     * <p>Left open: if every member is cut off from an ensemble that is up while a new node joins
     * it, the newcomer could take the shards after the members' sessions expire while they still
     * run. docs/CLUSTER.md says so.
     */
    private void witnessRound() {
        if (!outOfTouch || fenced || core.hasLeft()) {
            return;
        }
        List<String> others = core.otherMembers();
        if (others.isEmpty()) {
            fence("no other member can tell whether ZooKeeper is down or this node is cut off from it");
            return;
        }
        long start = System.nanoTime();
        long wait = Math.max(1, sessionTimeout.toMillis() / 10);
        Map<String, CompletableFuture<Boolean>> answers = new TreeMap<>();
        for (String node : others) {
            CompletableFuture<Boolean> answer;
            try {
                answer = core.witnessOf(node).reachesZooKeeper().toCompletableFuture().exceptionally(e -> null);
            } catch (RuntimeException e) {
                answer = CompletableFuture.completedFuture(null);
            }
            answers.put(node, answer.completeOnTimeout(null, wait, TimeUnit.MILLISECONDS));
        }
        CompletableFuture.allOf(answers.values().toArray(CompletableFuture[]::new))
                .whenComplete((done, e) -> core.onEvents(() -> roundAnswered(others, answers, start)));
    }

    /** Event thread: what the members said in a round that started at {@code start}. */
    private void roundAnswered(List<String> others, Map<String, CompletableFuture<Boolean>> answers, long start) {
        if (!outOfTouch || fenced || core.hasLeft()) {
            return;
        }
        List<String> reaching = new ArrayList<>();
        List<String> silent = new ArrayList<>();
        answers.forEach((node, answer) -> {
            Boolean reaches = answer.getNow(null);
            if (reaches == null) {
                silent.add(node);
            } else if (reaches) {
                reaching.add(node);
            }
        });
        if (!reaching.isEmpty()) {
            fence("members " + reaching + " reach ZooKeeper, so this node is the one cut off");
        } else if (!silent.isEmpty()) {
            if (System.nanoTime() - holdUntilNanos >= 0) {
                fence("members " + silent + " did not say in time whether they reach ZooKeeper");
            } else {
                nextWitnessRound = core.schedule(this::witnessRound, 50);
            }
        } else {
            if (!held) {
                LOG.log(System.Logger.Level.WARNING, "ZooKeeper is out of reach of every member (" + others
                        + " say so too): node " + core.self() + " keeps its entities running; nothing can move"
                        + " until ZooKeeper is back");
            }
            held = true;
            keepSession = true;
            holdUntilNanos = start + sessionTimeout.toNanos() * 2 / 3;
            nextWitnessRound = core.schedule(this::witnessRound, Math.max(1, sessionTimeout.toMillis() / 4));
        }
    }

    /** Event thread: stops every entity of this member until it is connected again. */
    private void fence(String why) {
        if (fenced) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "Node " + core.self() + " stops its entities until it is in touch with"
                + " ZooKeeper again: " + why);
        fenced = true;
        held = false;
        keepSession = false;
        core.fenceRegions();
    }

    /**
     * Curator's thread: a new ZooKeeper client. Normally a new session; but once, while this
     * member is held (every member out of touch, so the ensemble is down and keeps every session),
     * a client that rejoins the session this member had: its leases, its entry and its registrations
     * are still that session's, so nothing moves when ZooKeeper is back. If the ensemble says that
     * session expired after all, Curator reports LOST again, the member stops its entities and the
     * next client starts a new session.
     */
    ZooKeeper newZooKeeper(String connect, int timeout, Watcher watcher, boolean readOnly) throws java.io.IOException {
        long id = keptSessionId;
        byte[] password = keptPassword;
        if (keepSession && !rejoinTried && id != 0 && password != null) {
            rejoinTried = true;
            LOG.log(System.Logger.Level.INFO, () -> "Node " + core.self() + " rejoins ZooKeeper session 0x"
                    + Long.toHexString(id));
            return new ZooKeeper(connect, timeout, watcher, id, password, readOnly);
        }
        return new ZooKeeper(connect, timeout, watcher, readOnly);
    }

    /**
     * Any thread (the witness's turn): whether a round trip to ZooKeeper comes back now, within a
     * twentieth of the session timeout.
     */
    CompletableFuture<Boolean> reachesZooKeeper() {
        CuratorFramework zk = core.zk();
        CompletableFuture<Boolean> answer = new CompletableFuture<>();
        try {
            if (core.hasLeft() || !zk.getZookeeperClient().isConnected()) {
                return CompletableFuture.completedFuture(false);
            }
            zk.getZookeeperClient().getZooKeeper().exists("/", false,
                    (rc, path, context, stat) -> answer.complete(rc == KeeperException.Code.OK.intValue()), null);
        } catch (Exception e) {
            return CompletableFuture.completedFuture(false);
        }
        return answer.completeOnTimeout(false, Math.max(1, sessionTimeout.toMillis() / 20), TimeUnit.MILLISECONDS);
    }
}
