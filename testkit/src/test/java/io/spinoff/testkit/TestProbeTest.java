package io.spinoff.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.Terminated;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(SpinoffExtension.class)
class TestProbeTest {

    @Test
    void aProbeTakesTypedMessagesInOrder(TestKit kit) {
        TestProbe<Counter> probe = kit.probe(Counter.class);
        probe.ref().increment(5);
        probe.ref().increment(7);
        CounterMessage.Increment first = probe.expect(CounterMessage.Increment.class);
        assertEquals(5, first.by());
        assertEquals(7, ((CounterMessage.Increment) probe.expect(m -> m instanceof CounterMessage.Increment i && i.by() == 7)).by());
        probe.expectNoMessage(Duration.ofMillis(50));
    }

    @Test
    void asksAreAnsweredFromTheTest(TestKit kit) throws Exception {
        TestProbe<Counter> probe = kit.probe(Counter.class);
        CompletableFuture<Integer> answer = probe.ref().get().toCompletableFuture();
        probe.expectAsk(CounterMessage.Get.class).reply(42);
        assertEquals(42, answer.get(3, TimeUnit.SECONDS));

        CompletableFuture<Integer> failed = probe.ref().get().toCompletableFuture();
        probe.expectAsk(CounterMessage.Get.class).fail(new IllegalStateException("no count today"));
        ExecutionException thrown = assertThrows(ExecutionException.class, () -> failed.get(3, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, thrown.getCause());
        assertEquals("no count today", thrown.getCause().getMessage());
    }

    @Test
    void anActorUnderTestTalksToProbes(TestKit kit) {
        TestProbe<Counter> source = kit.probe(Counter.class);
        TestProbe<Counter> sink = kit.probe(Counter.class);
        Reporter reporter = kit.system().spawn(Reporter.class, ReporterActor::new, "reporter");
        reporter.report(source.ref(), sink.ref());
        source.expectAsk(CounterMessage.Get.class).reply(9);
        assertEquals(9, sink.expect(CounterMessage.Increment.class).by());
        kit.system().stop(reporter);
        assertEquals(Terminated.Reason.STOPPED, sink.expectTerminated(reporter).reason());
    }

    @Test
    void receiveNFishForAndWithin(TestKit kit) {
        TestProbe<Counter> probe = kit.probe(Counter.class);
        for (int i = 1; i <= 5; i++) {
            probe.ref().increment(i);
        }
        List<Object> firstTwo = probe.receiveN(2);
        assertEquals(List.of(new CounterMessage.Increment(1), new CounterMessage.Increment(2)), firstTwo);
        Object four = probe.fishFor("increment(4)", m -> m.equals(new CounterMessage.Increment(4)), Duration.ofSeconds(3));
        assertEquals(new CounterMessage.Increment(4), four);
        probe.within(Duration.ofSeconds(3), () -> probe.expect(CounterMessage.Increment.class));
        AssertionError slow = assertThrows(AssertionError.class,
                () -> probe.within(Duration.ofMillis(10), () -> probe.expectNoMessage(Duration.ofMillis(50))));
        assertTrue(slow.getMessage().contains("more than 10 ms"), slow.getMessage());
    }

    @Test
    void aFailedExpectationShowsTheProbesMessagesAsCalls(TestKit kit) {
        TestProbe<Counter> probe = kit.probe(Counter.class);
        probe.ref().increment(5);
        probe.expect(CounterMessage.Increment.class);
        probe.ref().increment(6);
        AssertionError wrong = assertThrows(AssertionError.class, () -> probe.expect(CounterMessage.Get.class));
        assertTrue(wrong.getMessage().contains("expected a message of type " + CounterMessage.Get.class.getName()
                + ", got Counter.increment(6)"), wrong.getMessage());
        assertTrue(wrong.getMessage().contains("its latest messages, oldest first: Counter.increment(5), Counter.increment(6)"),
                wrong.getMessage());
        AssertionError none = assertThrows(AssertionError.class, () -> probe.expect(CounterMessage.Increment.class, Duration.ofMillis(20)));
        assertTrue(none.getMessage().contains("within 20 ms, got nothing"), none.getMessage());
        AssertionError tell = assertThrows(AssertionError.class, () -> {
            probe.ref().increment(1);
            probe.expectAsk(CounterMessage.Increment.class);
        });
        assertTrue(tell.getMessage().contains("got the tell Counter.increment(1)"), tell.getMessage());
    }

    @Test
    void closeNamesTheActorsATestLeftAlive() {
        TestKit kit = TestKit.create();
        kit.system().spawn(Reporter.class, ReporterActor::new, "forgotten");
        kit.probe(Counter.class);
        AssertionError leak = assertThrows(AssertionError.class, kit::close);
        assertTrue(leak.getMessage().contains("1 live actor: /user/forgotten (" + ReporterActor.class.getName()),
                leak.getMessage());
        assertTrue(kit.system().isClosed(), "the system is closed all the same");
        kit.close(); // idempotent
    }

    @Test
    void closeNamesDeadLettersWhenNoneWereExpected() {
        TestKit kit = TestKit.create();
        kit.expectNoDeadLetters();
        Counter gone = kit.system().spawn(Counter.class, () -> new Counter() {
            @Override
            public void increment(int by) {}

            @Override
            public java.util.concurrent.CompletionStage<Integer> get() {
                return CompletableFuture.completedFuture(0);
            }
        }, "gone");
        kit.system().stop(gone).toCompletableFuture().join();
        gone.increment(3);
        AssertionError leak = assertThrows(AssertionError.class, kit::close);
        assertTrue(leak.getMessage().contains("1 dead letter: Counter.increment(3) to /user/gone"), leak.getMessage());
    }

    @Test
    void aCleanTestClosesQuietly() {
        TestKit kit = TestKit.create();
        kit.expectNoDeadLetters();
        TestProbe<Counter> probe = kit.probe(Counter.class);
        probe.ref().increment(1);
        probe.expect(CounterMessage.Increment.class);
        kit.close();
    }

    @Test
    void aProbesReferenceTravelsToAnotherNode() throws Exception {
        try (TestKit kit = TestKit.create(ActorSystem.builder("probeNode").jmx(false).bind("tcp://127.0.0.1:0"));
                ActorSystem client = ActorSystem.builder("probeClient").jmx(false).bind("tcp://127.0.0.1:0").build()) {
            TestProbe<Counter> probe = kit.probe(Counter.class);
            Counter remote = client.lookup(Counter.class, probe.actorRef().address());
            remote.increment(11);
            assertEquals(11, probe.expect(CounterMessage.Increment.class).by());
            CompletableFuture<Integer> answer = remote.get().toCompletableFuture();
            probe.expectAsk(CounterMessage.Get.class).reply(12);
            assertEquals(12, answer.get(5, TimeUnit.SECONDS));
        }
    }
}
