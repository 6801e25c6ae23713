package io.spinoff.runtime.internal.observe;

import io.spinoff.runtime.ActorInfo;
import io.spinoff.runtime.ActorSystemMXBean;
import io.spinoff.runtime.PeerInfo;
import io.spinoff.runtime.internal.SystemRuntime;
import io.spinoff.runtime.internal.cell.ActorCell;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What one system shows to observers: its {@link ActorSystemMXBean} and its statistics for the
 * periodic Flight Recorder event. Created with the system, closed with it. Not API.
 *
 * <p><b>Threading:</b> every method may be called from any thread.
 */
public final class SystemObservation implements ActorSystemMXBean, FlightEvents.StatisticsSource {

    static final System.Logger LOG = System.getLogger("io.spinoff.runtime");
    /**
     * How many systems of one name an MBean server tells apart ({@code NAME}, {@code NAME-2}, ...);
     * past that, the system runs without its MBean, and says so.
     */
    private static final int MAX_NAME_SUFFIX = 10_000;
    /** How many of the deepest mailboxes the statistics event names. */
    static final int DEEPEST_MAILBOXES = 10;

    private final SystemRuntime runtime;
    /** The MBean's name once registered; null when JMX is off or the system closed. */
    private volatile ObjectName objectName;

    /**
     * Starts reporting the system's statistics to Flight Recorder recordings.
     *
     * @param runtime the system
     */
    public SystemObservation(SystemRuntime runtime) {
        this.runtime = runtime;
        FlightEvents.addStatisticsSource(this);
    }

    /**
     * Registers the MBean with the platform MBean server as {@code io.spinoff:type=ActorSystem,name=NAME},
     * or {@code NAME-2}, {@code NAME-3}… when a system of that name is registered already. A
     * failure to register is logged, never thrown: the system works without JMX.
     */
    public synchronized void registerMBean() {
        if (objectName != null) {
            return;
        }
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String name = runtime.settings().name();
        for (int suffix = 1; suffix < MAX_NAME_SUFFIX; suffix++) {
            try {
                // System names are letters, digits, '-' and '_': nothing to quote.
                ObjectName candidate = new ObjectName("io.spinoff:type=ActorSystem,name="
                        + (suffix == 1 ? name : name + "-" + suffix));
                server.registerMBean(this, candidate);
                objectName = candidate;
                return;
            } catch (InstanceAlreadyExistsException taken) {
                // another system of that name: try the next suffix
            } catch (JMException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "Could not register the MBean of actor system " + name
                        + "; it runs without JMX", e);
                return;
            }
        }
        LOG.log(System.Logger.Level.WARNING, "Could not register the MBean of actor system " + name + ": "
                + MAX_NAME_SUFFIX + " systems of that name are registered already; it runs without JMX");
    }

    /** @return the MBean's name, or null when it is not registered */
    public ObjectName objectName() {
        return objectName;
    }

    /** Unregisters the MBean and stops the statistics. Idempotent. */
    public synchronized void close() {
        FlightEvents.removeStatisticsSource(this);
        ObjectName registered = objectName;
        objectName = null;
        if (registered != null) {
            try {
                ManagementFactory.getPlatformMBeanServer().unregisterMBean(registered);
            } catch (InstanceNotFoundException gone) {
                // unregistered by someone else already
            } catch (JMException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "Could not unregister " + registered, e);
            }
        }
    }

    /** The previous statistics sample, for the rate; the recorder's periodic thread only. */
    private long handledAtSample;
    private long sampledAt;

    @Override
    public void fill(Events.SystemStatistics event) {
        event.system = runtime.settings().name();
        event.liveActors = runtime.liveActors();
        event.deadLetters = runtime.deadLetters();
        event.restarts = runtime.restarts();
        event.mailboxOverflows = runtime.mailboxOverflows();
        event.droppedFrames = runtime.droppedFrames();
        event.pendingAsks = runtime.pendingAsks();
        ActorTree.Depths depths = ActorTree.depths(roots(), DEEPEST_MAILBOXES);
        event.mailboxDepth = depths.total();
        event.deepestMailboxes = depths.deepest();
        long handled = runtime.messagesHandled();
        long now = System.nanoTime();
        event.messagesHandled = handled;
        event.messagesPerSecond = sampledAt == 0 || now == sampledAt ? 0
                : (handled - handledAtSample) * 1e9 / (now - sampledAt);
        handledAtSample = handled;
        sampledAt = now;
        event.busyCarriers = runtime.busyCarriers();
        event.carriers = runtime.carriers();
        StringBuilder queues = new StringBuilder();
        for (PeerInfo peer : getPeers()) {
            queues.append(queues.isEmpty() ? "" : ",").append(peer.getNode()).append('=').append(peer.getQueuedFrames());
        }
        event.peerQueues = queues.toString();
    }

    // ------------------------------------------------------------------ ActorSystemMXBean

    @Override
    public String getName() {
        return runtime.settings().name();
    }

    @Override
    public String getAddress() {
        String prefix = runtime.addressPrefix();
        return prefix.isEmpty() ? getName() : prefix;
    }

    @Override
    public long getLiveActors() {
        return runtime.liveActors();
    }

    @Override
    public long getDeadLetters() {
        return runtime.deadLetters();
    }

    @Override
    public long getRestarts() {
        return runtime.restarts();
    }

    @Override
    public long getMailboxOverflows() {
        return runtime.mailboxOverflows();
    }

    @Override
    public long getDroppedFrames() {
        return runtime.droppedFrames();
    }

    @Override
    public long getPendingAsks() {
        return runtime.pendingAsks();
    }

    @Override
    public long getMessagesHandled() {
        return runtime.messagesHandled();
    }

    @Override
    public long getMailboxDepth() {
        return ActorTree.depths(roots(), 0).total();
    }

    @Override
    public List<PeerInfo> getPeers() {
        return runtime.transport() == null || runtime.isClosing() ? List.of() : runtime.transport().peerStates();
    }

    @Override
    public List<ActorInfo> dumpActorTree() {
        return ActorTree.dump(roots());
    }

    /** @return the user guardian, then the cluster's roots by path */
    private List<ActorCell> roots() {
        List<ActorCell> clusterRoots = runtime.clusterRoots();
        List<ActorCell> roots = new ArrayList<>(clusterRoots.size() + 1);
        roots.add(runtime.guardian());
        roots.addAll(clusterRoots);
        return roots;
    }

    @Override
    public ActorInfo lookupActor(String path) {
        ActorCell cell = runtime.findLocal(path);
        return cell == null ? null : ActorTree.info(cell);
    }

    @Override
    public boolean stopActor(String path) {
        if (SystemRuntime.isEntityPath(path)) {
            // The cluster's region alone stops its entities: it marks one as stopping, so that what
            // is sent to it meanwhile waits for its next activation; a stop from here would bypass that.
            throw new IllegalArgumentException(path + " is an entity of the cluster, which alone activates and"
                    + " stops its entities: a stop from JMX would not keep it stopped (its next message"
                    + " activates it again, here or on another member). The cluster passivates an entity once"
                    + " it has been idle for the passivation time, and stops a member's entities when it leaves.");
        }
        ActorCell cell = runtime.findLocal(path);
        if (cell == null) {
            return false;
        }
        cell.stopFromOutside(null);
        return true;
    }
}
