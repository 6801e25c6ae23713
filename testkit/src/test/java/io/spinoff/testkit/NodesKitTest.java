package io.spinoff.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.Terminated;
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
