package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Runs one invocation of each remote tell benchmark against two receiving JVMs with two senders,
 * and of Spinoff's with eight senders on a window of one batch (every message acknowledged, no
 * loss); checks that parameters which cannot split the tells or would stall the window are
 * refused, and that a loss one peer reports is not hidden by another peer's later acknowledgement.
 */
class RemoteBenchmarksTest {

    @Test
    void spinoffTellsReachTwoPeers() throws Exception {
        RemoteBenchmarks.SpinoffNodes nodes = twoSendersToTwoPeers(new RemoteBenchmarks.SpinoffNodes());
        nodes.setUp();
        try {
            assertEquals(2, nodes.nodes.size());
            new RemoteBenchmarks().remoteTellSpinoff(nodes);
            assertEquals(nodes.window, nodes.credits.availablePermits(), "every tell was acknowledged");
            assertEquals(42, new RemoteBenchmarks().remoteAskSpinoff(nodes));
        } finally {
            nodes.tearDown();
        }
        assertTrue(nodes.nodes.isEmpty(), "the receiving nodes were stopped");
    }

    @Test
    void pekkoTellsReachTwoPeers() throws Exception {
        RemoteBenchmarks.PekkoNodes nodes = twoSendersToTwoPeers(new RemoteBenchmarks.PekkoNodes());
        nodes.lanes = 1;
        nodes.setUp();
        try {
            new RemoteBenchmarks().remoteTellPekko(nodes);
            assertEquals(nodes.window, nodes.credits.availablePermits(), "every tell was acknowledged");
        } finally {
            nodes.tearDown();
        }
        assertTrue(nodes.nodes.isEmpty(), "the receiving nodes were stopped");
    }

    /** @return {@code nodes}, set for 100-byte payloads, a window of 2,000, 2 senders and 2 peers */
    private static <T extends RemoteBenchmarks.SendingSide> T twoSendersToTwoPeers(T nodes) {
        return RemoteBenchmarks.SendingSide.with(nodes, 100, 2_000, 2, 2);
    }

    @Test
    void peersThatCannotSplitTheTellsAreRefused() {
        RemoteBenchmarks.SpinoffNodes nodes = new RemoteBenchmarks.SpinoffNodes();
        RemoteBenchmarks.SendingSide.with(nodes, 100, 2_000, 1, 3);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, nodes::prepare);
        assertTrue(refused.getMessage().startsWith("Remote benchmark peers out of range: 3 peers;"),
                refused.getMessage());
        nodes.peers = 0;
        assertThrows(IllegalArgumentException.class, nodes::prepare);
        nodes.peers = RemoteBenchmarks.MAX_PEERS * 2;
        assertThrows(IllegalArgumentException.class, nodes::prepare);
    }

    @Test
    void aWindowTooSmallForItsPeersIsRefused() {
        RemoteBenchmarks.SpinoffNodes nodes = twoSendersToTwoPeers(new RemoteBenchmarks.SpinoffNodes());
        nodes.window = 400;
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, nodes::prepare);
        assertTrue(refused.getMessage().startsWith("A window of 400 is too small for 2 receiving nodes"),
                refused.getMessage());
        nodes.window = 600;
        nodes.prepare();
        nodes.sendingThreads.shutdownNow();
    }

    @Test
    void everySenderSendsWholeBatchesAddingUpToTheTells() {
        for (int senders : new int[] {1, 3, 8, 500}) {
            int sum = 0;
            for (int i = 0; i < senders; i++) {
                int count = RemoteBenchmarks.SendingSide.tellsOfSender(i, senders);
                assertEquals(0, count % RemoteBenchmarks.ACK_EVERY, senders + " senders, sender " + i);
                sum += count;
            }
            assertEquals(RemoteBenchmarks.REMOTE_TELLS, sum, senders + " senders");
        }
    }

    /** Eight senders on a window of one batch: each sender's last batch was short, and all waited for ever. */
    @Test
    void eightSendersShareAWindowOfOneBatch() throws Exception {
        RemoteBenchmarks.SpinoffNodes nodes = new RemoteBenchmarks.SpinoffNodes();
        RemoteBenchmarks.SendingSide.with(nodes, 100, RemoteBenchmarks.ACK_EVERY, 8, 1);
        nodes.setUp();
        try {
            new RemoteBenchmarks().remoteTellSpinoff(nodes);
            assertEquals(nodes.window, nodes.credits.availablePermits(), "every tell was acknowledged");
        } finally {
            nodes.tearDown();
        }
    }

    @Test
    void aPeersLossIsNotHiddenByAnotherPeersAcknowledgement() {
        Semaphore credits = new Semaphore(0);
        AtomicLong losses = new AtomicLong();
        SpinoffActors.AckCounter counter = new SpinoffActors.AckCounter(credits, losses);
        counter.acked(200, 2, 1);
        counter.acked(200, 0, 0);
        assertEquals(3, losses.get());
        assertEquals(2 * RemoteBenchmarks.ACK_EVERY, credits.availablePermits());
    }
}
