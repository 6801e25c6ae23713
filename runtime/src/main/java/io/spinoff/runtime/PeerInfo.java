package io.spinoff.runtime;

import javax.management.ConstructorParameters;

/**
 * One remote node as the JMX view of a node shows it, a snapshot taken by its I/O thread.
 * Immutable; any thread.
 */
public final class PeerInfo {

    private final String node;
    private final long incarnation;
    private final long silentMillis;
    private final int queuedFrames;
    private final long oversizeEnvelopes;
    private final long inboundDropped;

    /**
     * @param node the peer's name, {@code name@host:port}
     * @param incarnation the incarnation last heard from, 0 if none yet
     * @param silentMillis how long since anything was heard from it
     * @param queuedFrames frames waiting to be sent to it (its socket refused them for now, or its
     *     host name is being resolved)
     * @param oversizeEnvelopes envelopes from it this node refused for exceeding its maximum frame
     *     size
     * @param inboundDropped messages and asks from it this node dropped because their actor was at
     *     its inbound limit
     */
    @ConstructorParameters({"node", "incarnation", "silentMillis", "queuedFrames", "oversizeEnvelopes",
            "inboundDropped"})
    public PeerInfo(String node, long incarnation, long silentMillis, int queuedFrames, long oversizeEnvelopes,
            long inboundDropped) {
        this.node = node;
        this.incarnation = incarnation;
        this.silentMillis = silentMillis;
        this.queuedFrames = queuedFrames;
        this.oversizeEnvelopes = oversizeEnvelopes;
        this.inboundDropped = inboundDropped;
    }

    /** @return the peer's name */
    public String getNode() {
        return node;
    }

    /** @return the incarnation last heard from, 0 if none yet */
    public long getIncarnation() {
        return incarnation;
    }

    /** @return milliseconds since anything was heard from it */
    public long getSilentMillis() {
        return silentMillis;
    }

    /** @return frames waiting to be sent to it */
    public int getQueuedFrames() {
        return queuedFrames;
    }

    /**
     * @return envelopes from this peer refused for exceeding this node's maximum frame size (the
     *     peer has a larger one); each is logged with the peer's name and its asks fail at once
     */
    public long getOversizeEnvelopes() {
        return oversizeEnvelopes;
    }

    /**
     * @return messages and asks from this peer that this node dropped, undecoded, because their
     *     target actor was at its inbound limit (see
     *     {@link ActorSystemBuilder#maxInboundBytes(int)}); each also counts in
     *     {@link ActorSystemMetrics#droppedFrames()}, and each ask among them failed at once
     */
    public long getInboundDropped() {
        return inboundDropped;
    }

    @Override
    public String toString() {
        return node + " incarnation=" + incarnation + " silent=" + silentMillis + "ms queued=" + queuedFrames
                + (oversizeEnvelopes == 0 ? "" : " oversize=" + oversizeEnvelopes)
                + (inboundDropped == 0 ? "" : " inboundDropped=" + inboundDropped);
    }
}
