package io.spinoff.runtime.internal.observe;

import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicBoolean;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Recording;

/**
 * Emits Spinoff's Flight Recorder events ({@link Events}). Each method allocates and fills an
 * event only when a recording has enabled its type: the check is {@link jdk.jfr.Event#shouldCommit()}
 * on an event whose constructor does nothing, which the JIT removes when it is not enabled, and the
 * strings of the fields (class names, exception messages) are computed inside the guard. Callers
 * pass what they already hold, never a string built for the event. Not API.
 *
 * <p><b>Threading:</b> every method may be called from any thread.
 */
public final class FlightEvents {

    /** The systems whose statistics the periodic event reports; registered at start, removed on close. */
    private static final Set<StatisticsSource> SOURCES = new CopyOnWriteArraySet<>();
    private static final AtomicBoolean HOOKED = new AtomicBoolean();

    /**
     * Whether a recording enables {@link Events.LongTurn}: read before every actor turn, so that
     * without such a recording a turn makes no event object and reads no clock. Written by the
     * recorder's listener whenever a recording changes state (volatile: a turn sees the change
     * soon after). A recording that enables the event while others run is seen at its start.
     */
    private static volatile boolean longTurnsRecorded;

    static {
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recordingStateChanged(Recording recording) {
                longTurnsRecorded = EventType.getEventType(Events.LongTurn.class).isEnabled();
            }
        });
    }

    /** @return whether to time actor turns for {@link Events.LongTurn}; any thread */
    public static boolean longTurnsRecorded() {
        return longTurnsRecorded;
    }

    private FlightEvents() {}

    /** What a system reports in its {@link Events.SystemStatistics} event. */
    public interface StatisticsSource {
        /** @param event fills every field of the event; on the recorder's periodic thread */
        void fill(Events.SystemStatistics event);
    }

    /**
     * Adds a system to those that report statistics at each period of a recording.
     *
     * @param source the system's figures
     */
    public static void addStatisticsSource(StatisticsSource source) {
        if (HOOKED.compareAndSet(false, true)) {
            FlightRecorder.addPeriodicEvent(Events.SystemStatistics.class, FlightEvents::emitStatistics);
        }
        SOURCES.add(source);
    }

    /** @param source a system that closed: it reports no more */
    public static void removeStatisticsSource(StatisticsSource source) {
        SOURCES.remove(source);
    }

    private static void emitStatistics() {
        for (StatisticsSource source : SOURCES) {
            Events.SystemStatistics event = new Events.SystemStatistics();
            if (!event.shouldCommit()) {
                return;
            }
            source.fill(event);
            event.commit();
        }
    }

    private static String className(Object instance) {
        return instance == null ? "" : instance.getClass().getName();
    }

    private static String describe(Throwable cause) {
        return cause == null ? "" : cause.toString();
    }

    /**
     * What an actor event names: its path, asked for only when the event is recorded, so that an
     * actor nobody records does not make its path as a string.
     */
    public interface Located {
        /** @return the actor's path, such as {@code /user/a/b} */
        String path();
    }

    /**
     * A turn ended whose event passed its threshold: fills it and commits it.
     *
     * @param event the turn's event, ended
     * @param system the system's name
     * @param actor the actor
     * @param instance its instance
     * @param messages the user messages the turn handled
     */
    public static void longTurn(Events.LongTurn event, String system, Located actor, Object instance, int messages) {
        event.system = system;
        event.path = actor.path();
        event.actorClass = className(instance);
        event.messages = messages;
        event.commit();
    }

    /** An actor's first instance ran {@code preStart}. */
    public static void actorStarted(String system, Located actor, Object instance) {
        Events.ActorStarted event = new Events.ActorStarted();
        if (event.shouldCommit()) {
            event.system = system;
            event.path = actor.path();
            event.actorClass = className(instance);
            event.commit();
        }
    }

    /** An actor terminated, for the given reason (and cause, or null). */
    public static void actorStopped(String system, Located actor, Object instance, Enum<?> reason, Throwable cause) {
        Events.ActorStopped event = new Events.ActorStopped();
        if (event.shouldCommit()) {
            event.system = system;
            event.path = actor.path();
            event.actorClass = className(instance);
            event.reason = reason == null ? "" : reason.name();
            event.cause = describe(cause);
            event.commit();
        }
    }

    /** An actor's own code threw. */
    public static void actorFailed(String system, Located actor, Object instance, Throwable cause, long incarnation) {
        Events.ActorFailed event = new Events.ActorFailed();
        if (event.shouldCommit()) {
            event.system = system;
            event.path = actor.path();
            event.actorClass = className(instance);
            event.exceptionClass = cause == null ? "" : cause.getClass().getName();
            event.message = cause == null ? "" : String.valueOf(cause.getMessage());
            event.incarnation = incarnation;
            event.commit();
        }
    }

    /** An actor's new instance replaced the failed one. */
    public static void actorRestarted(String system, Located actor, Object instance, Throwable cause, long incarnation) {
        Events.ActorRestarted event = new Events.ActorRestarted();
        if (event.shouldCommit()) {
            event.system = system;
            event.path = actor.path();
            event.actorClass = className(instance);
            event.cause = describe(cause);
            event.incarnation = incarnation;
            event.commit();
        }
    }

    /** A supervisor decided. */
    public static void supervisionDecision(String system, String supervisor, String child, Enum<?> directive,
            Enum<?> strategy, int affected, Throwable cause) {
        Events.SupervisionDecision event = new Events.SupervisionDecision();
        if (event.shouldCommit()) {
            event.system = system;
            event.supervisor = supervisor;
            event.child = child;
            event.directive = directive.name();
            event.strategy = strategy.name();
            event.affected = affected;
            event.cause = describe(cause);
            event.commit();
        }
    }

    /** A message went to dead letters; its contents are never recorded, only its class. */
    public static void deadLetter(String system, String target, Object message, String reason) {
        Events.DeadLetter event = new Events.DeadLetter();
        if (event.shouldCommit()) {
            event.system = system;
            event.target = target;
            event.messageType = className(message);
            event.reason = reason;
            event.commit();
        }
    }

    /** A bounded mailbox refused a message. */
    public static void mailboxOverflow(String system, String target, Object message, int capacity) {
        Events.MailboxOverflow event = new Events.MailboxOverflow();
        if (event.shouldCommit()) {
            event.system = system;
            event.target = target;
            event.messageType = className(message);
            event.capacity = capacity;
            event.commit();
        }
    }

    /** An ask got no reply in time. */
    public static void askTimedOut(String target, Object message, long timeoutMillis) {
        Events.AskTimedOut event = new Events.AskTimedOut();
        if (event.shouldCommit()) {
            event.target = target;
            event.messageType = className(message);
            event.timeout = timeoutMillis;
            event.commit();
        }
    }

    /** A peer was heard from for the first time, or as a new incarnation. */
    public static void nodeUp(String localNode, String node, long incarnation) {
        Events.NodeUp event = new Events.NodeUp();
        if (event.shouldCommit()) {
            event.localNode = localNode;
            event.node = node;
            event.incarnation = incarnation;
            event.commit();
        }
    }

    /** A peer is down. */
    public static void nodeDown(String localNode, String node, long incarnation, String reason) {
        Events.NodeDown event = new Events.NodeDown();
        if (event.shouldCommit()) {
            event.localNode = localNode;
            event.node = node;
            event.incarnation = incarnation;
            event.reason = reason;
            event.commit();
        }
    }

    /** Frames were dropped. */
    public static void frameDropped(String localNode, String peer, int frames, java.util.function.Supplier<String> cause) {
        Events.FrameDropped event = new Events.FrameDropped();
        if (event.shouldCommit()) {
            event.localNode = localNode;
            event.peer = peer;
            event.frames = frames;
            event.cause = cause.get();
            event.commit();
        }
    }

    /** Frames were dropped. */
    public static void frameDropped(String localNode, String peer, int frames, String cause) {
        Events.FrameDropped event = new Events.FrameDropped();
        if (event.shouldCommit()) {
            event.localNode = localNode;
            event.peer = peer;
            event.frames = frames;
            event.cause = cause;
            event.commit();
        }
    }

    /**
     * @return an event whose clock runs from now, for {@link #receiveEnded}; when the type is not
     *     enabled, {@code begin()} only reads the clock and the event is never filled
     */
    public static Events.ReceiveBlocked receiveStarted() {
        Events.ReceiveBlocked event = new Events.ReceiveBlocked();
        event.begin();
        return event;
    }

    /** A process's receive ended: recorded when it lasted past the threshold. */
    public static void receiveEnded(Events.ReceiveBlocked event, String system, String path, long timeoutNanos,
            boolean received) {
        event.end();
        if (event.shouldCommit()) {
            event.system = system;
            event.path = path;
            event.timeout = timeoutNanos < 0 ? -1 : java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(timeoutNanos);
            event.received = received;
            event.commit();
        }
    }

    /** The kinds of {@link Events.HandshakeFailed}. */
    public enum HandshakeFailure { FINGERPRINT_MISMATCH, CURVE_REFUSED }

    /** A peer's handshake disagreed or was refused. */
    public static void handshakeFailed(String localNode, String peer, HandshakeFailure kind, String detail) {
        Events.HandshakeFailed event = new Events.HandshakeFailed();
        if (event.shouldCommit()) {
            event.localNode = localNode;
            event.peer = peer;
            event.kind = kind.name();
            event.detail = detail;
            event.commit();
        }
    }
}
