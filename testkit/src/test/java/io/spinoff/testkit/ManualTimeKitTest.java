package io.spinoff.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A kit on a manual clock: probes wait on the clock, so waiting an hour takes milliseconds. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ManualTimeKitTest {

    @Test
    void aProbeWaitingMovesTheClockToEachTimerInTurn() {
        try (TestKit kit = TestKit.manualTime()) {
            TestProbe<Counter> sink = kit.probe(Counter.class);
            Metronome metronome = kit.system().spawn(Metronome.class, MetronomeActor::new, "metronome");
            metronome.start(sink.ref(), 60_000);
            long realStart = System.nanoTime();

            assertEquals(1, sink.expect(CounterMessage.Increment.class, Duration.ofMinutes(5)).by());
            assertEquals(Duration.ofMinutes(1), kit.time().elapsed(), "the clock moved just to the first tick");
            List<Object> next = sink.receiveN(9, Duration.ofMinutes(9));
            assertEquals(10, ((CounterMessage.Increment) next.get(8)).by());
            assertEquals(Duration.ofMinutes(10), kit.time().elapsed());

            metronome.stop();
            sink.expectNoMessage(Duration.ofHours(1));
            assertEquals(Duration.ofMinutes(70), kit.time().elapsed());
            long realMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - realStart);
            assertTrue(realMillis < 10_000, "70 minutes of the clock took " + realMillis + " ms");
            kit.system().stop(metronome);
        }
    }

    @Test
    void anAskToAProbeThatNeverAnswersTimesOutOnTheClock() {
        try (TestKit kit = TestKit.manualTime()) {
            TestProbe<Counter> source = kit.probe(Counter.class);
            TestProbe<Counter> sink = kit.probe(Counter.class);
            Metronome metronome = kit.system().spawn(Metronome.class, MetronomeActor::new, "relay");
            metronome.relay(source.ref(), sink.ref());
            source.expectAsk(CounterMessage.Get.class);
            sink.expectNoMessage(Duration.ofMillis(4_999));
            assertEquals(-1, sink.expect(CounterMessage.Increment.class, Duration.ofSeconds(1)).by(),
                    "the ask failed at its timeout, 5 s after it was sent");
            assertEquals(Duration.ofSeconds(5), kit.time().elapsed());
            kit.system().stop(metronome);
        }
    }

    @Test
    void advanceFiresWhatIsDueAndAKitOnRealTimeRefusesIt() {
        try (TestKit kit = TestKit.manualTime()) {
            TestProbe<Counter> sink = kit.probe(Counter.class);
            Metronome metronome = kit.system().spawn(Metronome.class, MetronomeActor::new, "metronome");
            metronome.start(sink.ref(), 1_000);
            kit.time().awaitIdle(Duration.ofSeconds(5));
            kit.advance(Duration.ofSeconds(3));
            assertEquals(3, sink.receiveN(3, Duration.ZERO).size(), "three ticks, handled before advance returned");
            kit.system().stop(metronome);
        }
        try (TestKit kit = TestKit.create()) {
            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> kit.advance(Duration.ofSeconds(1)));
            assertTrue(refused.getMessage().contains("TestKit.manualTime()"), refused.getMessage());
        }
    }
}
