package io.spinoff.runtime.internal.observe;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * The JDK Flight Recorder event types of Spinoff, category "Spinoff", each named
 * {@code spinoff.NAME}. They are emitted only through {@link FlightEvents}, which fills and commits
 * one only when a recording has enabled its type. Not API: the event names and field names are
 * the contract a recording's reader relies on, the classes are not.
 *
 * <p>No event carries the contents of a user's message, only its class: a recording may leave the
 * machine, a message may hold anything.
 */
public final class Events {

    private Events() {}

    /** An actor or process started: its first instance is about to run {@code preStart}. */
    @Name("spinoff.ActorStarted")
    @Label("Actor Started")
    @Category("Spinoff")
    @StackTrace(false)
    public static final class ActorStarted extends Event {
        @Label("System") public String system;
        @Label("Path") public String path;
        @Label("Actor Class") public String actorClass;
    }

    /** An actor or process terminated. */
    @Name("spinoff.ActorStopped")
    @Label("Actor Stopped")
    @Category("Spinoff")
    @StackTrace(false)
    public static final class ActorStopped extends Event {
        @Label("System") public String system;
        @Label("Path") public String path;
        @Label("Actor Class") public String actorClass;
        @Label("Reason") @Description("STOPPED, FAILED or NODE_DOWN") public String reason;
        @Label("Cause") @Description("The failure that stopped it, if any") public String cause;
    }

    /** An actor's own code threw: the actor is suspended and its supervisor decides. */
    @Name("spinoff.ActorFailed")
    @Label("Actor Failed")
    @Category("Spinoff")
    @StackTrace(false)
    public static final class ActorFailed extends Event {
        @Label("System") public String system;
        @Label("Path") public String path;
        @Label("Actor Class") public String actorClass;
        @Label("Exception Class") public String exceptionClass;
        @Label("Message") public String message;
        @Label("Incarnation") @Description("0 for the first instance, one more at each restart") public long incarnation;
    }

    /** An actor was restarted: a new instance from its factory replaces the failed one. */
    @Name("spinoff.ActorRestarted")
    @Label("Actor Restarted")
    @Category("Spinoff")
    @StackTrace(false)
    public static final class ActorRestarted extends Event {
        @Label("System") public String system;
        @Label("Path") public String path;
        @Label("Actor Class") public String actorClass;
        @Label("Cause") public String cause;
        @Label("Incarnation") @Description("The new instance's incarnation") public long incarnation;
    }

    /** A supervisor decided what to do with a failed child. */
    @Name("spinoff.SupervisionDecision")
    @Label("Supervision Decision")
    @Category("Spinoff")
    @StackTrace(false)
    public static final class SupervisionDecision extends Event {
        @Label("System") public String system;
        @Label("Supervisor") public String supervisor;
        @Label("Child") public String child;
        @Label("Directive") @Description("RESUME, RESTART, STOP or ESCALATE") public String directive;
        @Label("Strategy") @Description("ONE_FOR_ONE, ALL_FOR_ONE or REST_FOR_ONE") public String strategy;
        @Label("Affected") @Description("How many children the directive applies to") public int affected;
        @Label("Cause") public String cause;
    }

    /** A message could not be delivered. */
    @Name("spinoff.DeadLetter")
    @Label("Dead Letter")
    @Category("Spinoff")
    @StackTrace(false)
    public static final class DeadLetter extends Event {
        @Label("System") public String system;
        @Label("Target") public String target;
        @Label("Message Type") public String messageType;
        @Label("Reason") public String reason;
    }

    /** A bounded mailbox was full: the message went to dead letters. */
    @Name("spinoff.MailboxOverflow")
    @Label("Mailbox Overflow")
    @Category("Spinoff")
    @StackTrace(false)
    public static final class MailboxOverflow extends Event {
        @Label("System") public String system;
        @Label("Target") public String target;
        @Label("Message Type") public String messageType;
        @Label("Capacity") public int capacity;
    }

    /** An ask got no reply in time. */
    @Name("spinoff.AskTimedOut")
    @Label("Ask Timed Out")
    @Category("Spinoff")
    @StackTrace(false)
    public static final class AskTimedOut extends Event {
        @Label("Target") public String target;
        @Label("Message Type") @Description("The generated message record, named after the method") public String messageType;
        @Label("Timeout") @Timespan(Timespan.MILLISECONDS) public long timeout;
    }

    /** A remote node was heard from for the first time, or as a new incarnation. */
    @Name("spinoff.NodeUp")
    @Label("Node Up")
    @Category("Spinoff")
    @StackTrace(false)
    public static final class NodeUp extends Event {
        @Label("Local Node") public String localNode;
        @Label("Node") public String node;
        @Label("Incarnation") public long incarnation;
    }

    /** A remote node is considered down. */
    @Name("spinoff.NodeDown")
    @Label("Node Down")
    @Category("Spinoff")
    @StackTrace(false)
    public static final class NodeDown extends Event {
        @Label("Local Node") public String localNode;
        @Label("Node") public String node;
        @Label("Incarnation") @Description("The incarnation that went down, 0 if none was heard") public long incarnation;
        @Label("Reason") public String reason;
    }

    /** Network frames were dropped (and counted). */
    @Name("spinoff.FrameDropped")
    @Label("Frame Dropped")
    @Category("Spinoff")
    @StackTrace(false)
    public static final class FrameDropped extends Event {
        @Label("Local Node") public String localNode;
        @Label("Peer") @Description("The node the frames came from or were for; empty when a header could not be read or trusted")
        public String peer;
        @Label("Frames") public int frames;
        @Label("Cause") public String cause;
    }

    /** A peer's handshake was refused or disagreed: a fingerprint mismatch or a CURVE refusal. */
    @Name("spinoff.HandshakeFailed")
    @Label("Handshake Failed")
    @Category("Spinoff")
    @StackTrace(false)
    public static final class HandshakeFailed extends Event {
        @Label("Local Node") public String localNode;
        @Label("Peer") @Description("The peer's node name, or empty when a CURVE client was refused") public String peer;
        @Label("Kind") @Description("FINGERPRINT_MISMATCH or CURVE_REFUSED") public String kind;
        @Label("Detail") public String detail;
    }

    /**
     * An actor's turn (its system messages and up to a batch of its messages, on one carrier) took
     * longer than the threshold (10 ms by default): a slow handler, or one that blocks its carrier.
     * Only such turns are recorded, so that a recording of a busy node stays small.
     */
    @Name("spinoff.LongTurn")
    @Label("Long Actor Turn")
    @Category("Spinoff")
    @StackTrace(false)
    @Threshold("10 ms")
    public static final class LongTurn extends Event {
        @Label("System") public String system;
        @Label("Path") public String path;
        @Label("Actor Class") public String actorClass;
        @Label("Messages") @Description("User messages the turn handled") public int messages;
    }

    /**
     * A process waited in {@code receive} longer than the threshold (1 s by default): recorded
     * when the wait ends, with its duration.
     */
    @Name("spinoff.ReceiveBlocked")
    @Label("Process Blocked in Receive")
    @Category("Spinoff")
    @StackTrace(false)
    @Threshold("1 s")
    public static final class ReceiveBlocked extends Event {
        @Label("System") public String system;
        @Label("Path") public String path;
        @Label("Timeout") @Description("The receive's timeout, or -1 ms when it waits for ever")
        @Timespan(Timespan.MILLISECONDS) public long timeout;
        @Label("Received") @Description("Whether a message came, rather than the timeout") public boolean received;
    }

    /** The figures of one actor system, at each period of the recording (default: every 5 s). */
    @Name("spinoff.SystemStatistics")
    @Label("System Statistics")
    @Category("Spinoff")
    @StackTrace(false)
    @Period("5 s")
    public static final class SystemStatistics extends Event {
        @Label("System") public String system;
        @Label("Live Actors") public long liveActors;
        @Label("Dead Letters") @Description("Since the system started") public long deadLetters;
        @Label("Restarts") @Description("Since the system started") public long restarts;
        @Label("Mailbox Overflows") @Description("Since the system started") public long mailboxOverflows;
        @Label("Dropped Frames") @Description("Since the system started") public long droppedFrames;
        @Label("Pending Asks") public long pendingAsks;
        @Label("Mailbox Depth") @Description("Messages waiting in every mailbox") public long mailboxDepth;
        @Label("Deepest Mailboxes") @Description("Up to 10 actors with the most waiting messages, as path=depth") public String deepestMailboxes;
        @Label("Messages Handled") @Description("User messages handled by the carriers since the system started") public long messagesHandled;
        @Label("Messages per Second") @Description("User messages handled per second since the previous sample") public double messagesPerSecond;
        @Label("Busy Carriers") @Description("Carrier threads running a turn at the sample (an estimate)") public int busyCarriers;
        @Label("Carriers") @Description("Carrier threads of the system") public int carriers;
        @Label("Peer Queues") @Description("Frames queued for each peer, as node=frames; empty when not a node") public String peerQueues;
    }
}
