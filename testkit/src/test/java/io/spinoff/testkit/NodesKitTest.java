package io.spinoff.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.PeerInfo;
import io.spinoff.runtime.Terminated;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A kit with nodes: actors and probes on several systems that reach each other over loopback. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class NodesKitTest {

    @Test
    void anActorOnOneNodeTalksToProbesOnAnother() {
        try (TestKit kit = TestKit.create()) {
            List<ActorSystem> nodes = kit.nodes(2);
            ActorSystem alpha = nodes.get(0);
            ActorSystem beta = nodes.get(1);
            assertTrue(alpha.address().matches(".*-node1@127\\.0\\.0\\.1:\\d+"), alpha.address());
            TestProbe<Counter> source = kit.probe(Counter.class, alpha);
            TestProbe<Counter> sink = kit.probe(Counter.class, alpha);
            beta.spawn(Reporter.class, ReporterActor::new, "reporter");
            Reporter reporter = alpha.lookup(Reporter.class, beta.address() + "/user/reporter");
            reporter.report(source.ref(), sink.ref());
            source.expectAsk(CounterMessage.Get.class).reply(21);
            assertEquals(21, sink.expect(CounterMessage.Increment.class).by());

            beta.stop(beta.lookup(Reporter.class, "/user/reporter"));
            assertEquals(Terminated.Reason.STOPPED, sink.expectTerminated(reporter).reason(),
                    "a probe watches an actor of another node");
        }
    }

    @Test
    void anUnreachableNodeIsDeclaredDownWhileItsActorsGoOn() {
        try (TestKit kit = TestKit.create()) {
            List<ActorSystem> nodes = kit.nodes(2);
            ActorSystem alpha = nodes.get(0);
            ActorSystem beta = nodes.get(1);
            TestProbe<Counter> watcher = kit.probe(Counter.class, alpha);
            TestProbe<Counter> local = kit.probe(Counter.class, beta);
            beta.spawn(Reporter.class, ReporterActor::new, "reporter");
            Reporter remote = alpha.lookup(Reporter.class, beta.address() + "/user/reporter");
            TestProbe<Counter> source = kit.probe(Counter.class, alpha);
            remote.report(source.ref(), watcher.ref());
            source.expectAsk(CounterMessage.Get.class).reply(1);
            assertEquals(1, watcher.expect(CounterMessage.Increment.class).by(), "beta is reachable at first");

            kit.unreachable(beta);
            Terminated down = watcher.expectTerminated(remote, Duration.ofSeconds(15));
            assertEquals(Terminated.Reason.NODE_DOWN, down.reason());
            // On beta itself, its actors still work.
            Reporter reporter = beta.lookup(Reporter.class, "/user/reporter");
            TestProbe<Counter> beside = kit.probe(Counter.class, beta);
            reporter.report(beside.ref(), local.ref());
            beside.expectAsk(CounterMessage.Get.class).reply(2);
            assertEquals(2, local.expect(CounterMessage.Increment.class).by());
            beta.stop(reporter);
        }
    }

    @Test
    void aRestartedNodeIsANewIncarnationAtTheSameAddress() {
        try (TestKit kit = TestKit.create()) {
            List<ActorSystem> nodes = kit.nodes(2);
            ActorSystem alpha = nodes.get(0);
            ActorSystem beta = nodes.get(1);
            beta.spawn(Reporter.class, ReporterActor::new, "reporter");
            Reporter before = alpha.lookup(Reporter.class, beta.address() + "/user/reporter");
            TestProbe<Counter> watcher = kit.probe(Counter.class, alpha);
            TestProbe<Counter> source = kit.probe(Counter.class, alpha);
            before.report(source.ref(), watcher.ref());
            source.expectAsk(CounterMessage.Get.class).reply(1);
            watcher.expect(CounterMessage.Increment.class);
            long firstIncarnation = incarnationOf(alpha, beta.address());

            ActorSystem reborn = kit.restart(beta);
            assertEquals(beta.address(), reborn.address(), "the same name and port");
            assertTrue(watcher.expectTerminated(before, Duration.ofSeconds(15)).reason() != Terminated.Reason.STOPPED,
                    "the old incarnation's actor is gone with its node");

            reborn.spawn(Reporter.class, ReporterActor::new, "reporter");
            Reporter after = alpha.lookup(Reporter.class, reborn.address() + "/user/reporter");
            after.report(source.ref(), watcher.ref());
            source.expectAsk(CounterMessage.Get.class, Duration.ofSeconds(15)).reply(2);
            assertEquals(2, watcher.expect(CounterMessage.Increment.class).by(), "the address reaches the new node");
            assertTrue(incarnationOf(alpha, reborn.address()) != firstIncarnation, "alpha sees a new incarnation");
            reborn.stop(reborn.lookup(Reporter.class, "/user/reporter"));

            IllegalArgumentException stale = assertThrows(IllegalArgumentException.class, () -> kit.restart(beta));
            assertTrue(stale.getMessage().contains("kit.restart(node)"), stale.getMessage());
        }
    }

    private static long incarnationOf(ActorSystem from, String node) {
        return from.mxBean().getPeers().stream().filter(peer -> peer.getNode().equals(node))
                .mapToLong(PeerInfo::getIncarnation).findFirst()
                .orElseThrow(() -> new AssertionError(from.name() + " knows no peer " + node));
    }

    @Test
    void closeNamesWhatANodeLeftAliveAndProbesStayOnTheKitsSystems() {
        TestKit kit = TestKit.create();
        ActorSystem node = kit.nodes(1).get(0);
        node.spawn(Counter.class, () -> new Counter() {
            @Override
            public void increment(int by) {}

            @Override
            public java.util.concurrent.CompletionStage<Integer> get() {
                return java.util.concurrent.CompletableFuture.completedFuture(0);
            }
        }, "forgotten");
        try (ActorSystem stranger = ActorSystem.builder("stranger").jmx(false).build()) {
            IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                    () -> kit.probe(Counter.class, stranger));
            assertTrue(refused.getMessage().contains("kit.nodes(n)"), refused.getMessage());
        }
        AssertionError leak = assertThrows(AssertionError.class, kit::close);
        assertTrue(leak.getMessage().contains("1 live actor on node " + node.name() + ": /user/forgotten"),
                leak.getMessage());
    }
}
