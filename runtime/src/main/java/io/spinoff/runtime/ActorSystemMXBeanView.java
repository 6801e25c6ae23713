package io.spinoff.runtime;

import java.util.List;

/** A system's JMX view for {@link ActorSystem#mxBean()}: the runtime's object itself stays out of reach of a cast. */
final class ActorSystemMXBeanView implements ActorSystemMXBean {

    private final ActorSystemMXBean bean;

    ActorSystemMXBeanView(ActorSystemMXBean bean) {
        this.bean = bean;
    }

    @Override
    public String getName() {
        return bean.getName();
    }

    @Override
    public String getAddress() {
        return bean.getAddress();
    }

    @Override
    public long getLiveActors() {
        return bean.getLiveActors();
    }

    @Override
    public long getDeadLetters() {
        return bean.getDeadLetters();
    }

    @Override
    public long getRestarts() {
        return bean.getRestarts();
    }

    @Override
    public long getMailboxOverflows() {
        return bean.getMailboxOverflows();
    }

    @Override
    public long getDroppedFrames() {
        return bean.getDroppedFrames();
    }

    @Override
    public long getPendingAsks() {
        return bean.getPendingAsks();
    }

    @Override
    public long getMessagesHandled() {
        return bean.getMessagesHandled();
    }

    @Override
    public long getMailboxDepth() {
        return bean.getMailboxDepth();
    }

    @Override
    public List<PeerInfo> getPeers() {
        return bean.getPeers();
    }

    @Override
    public List<ActorInfo> dumpActorTree() {
        return bean.dumpActorTree();
    }

    @Override
    public ActorInfo lookupActor(String path) {
        return bean.lookupActor(path);
    }

    @Override
    public boolean stopActor(String path) {
        return bean.stopActor(path);
    }

    @Override
    public String toString() {
        return "ActorSystemMXBean[" + getName() + "]";
    }
}
