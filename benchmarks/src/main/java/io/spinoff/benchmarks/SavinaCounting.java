package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.benchmarks.SavinaSystems.Outcome;
import io.spinoff.benchmarks.SavinaSystems.PekkoState;
import io.spinoff.benchmarks.SavinaSystems.SpinoffState;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Savina's Counting Actor: the time of one complete run, in which a producer actor sends a counter
 * actor {@code N = 1,000,000} increments (Savina's value) and then queries the count, on Spinoff
 * and on Pekko typed.
 *
 * <p>Savina's algorithm: the driver sends the producer a start; the producer sends the counter
 * {@code N} increments, then a retrieve carrying its own reference; the counter answers with its
 * count and stops; the producer takes the count and stops. The query is a tell with the
 * producer's reference, as in Savina, not an ask. Both actors are created inside each run, as
 * Savina does, and the run ends when both have stopped. Its result is the count the producer
 * received, which must be {@code N}.
 *
 * <p>Spinoff creates an actor from outside with a direct call; Pekko typed through an ask of its
 * guardian ({@link SpawnProtocol}), so a Pekko run includes those two round trips.
 *
 * <p>Pure messaging, with no work per message, so there is no plain-Java baseline: without actors
 * the run would be an increment loop.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SavinaCounting {

    /** @param increments the increments of one run (Savina's {@code N}) */
    record Params(int increments) {
        /** Savina's parameters. */
        static final Params SAVINA = new Params(1_000_000);
    }

    /**
     * @return {@code count} when it is the number of increments of {@code params}
     * @throws IllegalStateException otherwise
     */
    static long check(Params params, long count) {
        if (count != params.increments()) {
            throw new IllegalStateException("SavinaCounting: expected a count of " + params.increments()
                    + ", got " + count);
        }
        return count;
    }

    // ------------------------------------------------------------------ Spinoff

    /** The producer's protocol. */
    @ActorProtocol
    public interface Producer {
        /** Sends the increments and the query. */
        void start();

        /** The counter's answer to the query. */
        void result(int count);
    }

    /** The counter's protocol. */
    @ActorProtocol
    public interface Counter {
        /** Adds one to the count. */
        void increment();

        /** Answers the count to {@code replyTo} and stops. */
        void retrieve(Producer replyTo);
    }

    static final class SpinoffProducer extends Actor implements Producer {
        private final int increments;
        private final Counter counter;
        private final Outcome outcome;
        private int result;

        SpinoffProducer(int increments, Counter counter, Outcome outcome) {
            this.increments = increments;
            this.counter = counter;
            this.outcome = outcome;
        }

        @Override
        public void start() {
            Counter counter = this.counter;
            for (int i = 0; i < increments; i++) {
                counter.increment();
            }
            counter.retrieve(context().self(Producer.class));
        }

        @Override
        public void result(int count) {
            result = count;
            context().stop(context().self());
        }

        @Override
        protected void postStop() {
            outcome.stopped(result);
        }
    }

    static final class SpinoffCounter extends Actor implements Counter {
        private final Outcome outcome;
        private int count;

        SpinoffCounter(Outcome outcome) {
            this.outcome = outcome;
        }

        @Override
        public void increment() {
            count++;
        }

        @Override
        public void retrieve(Producer replyTo) {
            replyTo.result(count);
            context().stop(context().self());
        }

        @Override
        protected void postStop() {
            outcome.stopped(0);
        }
    }

    /** @return the count the producer received in one run on {@code system}, checked */
    static long runSpinoff(ActorSystem system, Params params) {
        Outcome outcome = new Outcome(2);
        Counter counter = system.spawn(Counter.class, () -> new SpinoffCounter(outcome));
        Producer producer =
                system.spawn(Producer.class, () -> new SpinoffProducer(params.increments(), counter, outcome));
        producer.start();
        return check(params, outcome.await());
    }

    // ------------------------------------------------------------------ Pekko

    /** A message to the Pekko producer. */
    sealed interface ProducerMessage permits Start, Result {}

    /** Sends the increments and the query. */
    enum Start implements ProducerMessage { INSTANCE }

    /** The counter's answer to the query. */
    record Result(int count) implements ProducerMessage {}

    /** A message to the Pekko counter. */
    sealed interface CounterMessage permits Increment, Retrieve {}

    /** Adds one to the count. */
    enum Increment implements CounterMessage { INSTANCE }

    /** Answers the count to {@code replyTo} and stops. */
    record Retrieve(ActorRef<ProducerMessage> replyTo) implements CounterMessage {}

    private static final class PekkoProducer {
        private final int increments;
        private final ActorRef<CounterMessage> counter;
        private final Outcome outcome;
        private int result;

        PekkoProducer(int increments, ActorRef<CounterMessage> counter, Outcome outcome) {
            this.increments = increments;
            this.counter = counter;
            this.outcome = outcome;
        }

        Behavior<ProducerMessage> onMessage(ActorContext<ProducerMessage> context, ProducerMessage message) {
            switch (message) {
                case Start start -> {
                    ActorRef<CounterMessage> counter = this.counter;
                    for (int i = 0; i < increments; i++) {
                        counter.tell(Increment.INSTANCE);
                    }
                    counter.tell(new Retrieve(context.getSelf()));
                    return Behaviors.same();
                }
                case Result answer -> {
                    result = answer.count();
                    return Behaviors.stopped();
                }
            }
        }

        Behavior<ProducerMessage> onSignal(ActorContext<ProducerMessage> context, Signal signal) {
            if (signal instanceof PostStop) {
                outcome.stopped(result);
            }
            return Behaviors.same();
        }
    }

    private static final class PekkoCounter {
        private final Outcome outcome;
        private int count;

        PekkoCounter(Outcome outcome) {
            this.outcome = outcome;
        }

        Behavior<CounterMessage> onMessage(ActorContext<CounterMessage> context, CounterMessage message) {
            switch (message) {
                case Increment increment -> {
                    count++;
                    return Behaviors.same();
                }
                case Retrieve retrieve -> {
                    retrieve.replyTo().tell(new Result(count));
                    return Behaviors.stopped();
                }
            }
        }

        Behavior<CounterMessage> onSignal(ActorContext<CounterMessage> context, Signal signal) {
            if (signal instanceof PostStop) {
                outcome.stopped(0);
            }
            return Behaviors.same();
        }
    }

    static Behavior<ProducerMessage> pekkoProducer(int increments, ActorRef<CounterMessage> counter, Outcome outcome) {
        return Behaviors.setup(context -> {
            PekkoProducer producer = new PekkoProducer(increments, counter, outcome);
            return Behaviors.receive(producer::onMessage, producer::onSignal);
        });
    }

    static Behavior<CounterMessage> pekkoCounter(Outcome outcome) {
        return Behaviors.setup(context -> {
            PekkoCounter counter = new PekkoCounter(outcome);
            return Behaviors.receive(counter::onMessage, counter::onSignal);
        });
    }

    private static final AtomicInteger RUNS = new AtomicInteger();

    /** @return the count the producer received in one run on {@code system}, checked */
    static long runPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system, Params params) {
        Outcome outcome = new Outcome(2);
        int run = RUNS.incrementAndGet();
        ActorRef<CounterMessage> counter = PekkoActors.spawn(system, pekkoCounter(outcome), "counter-" + run);
        ActorRef<ProducerMessage> producer = PekkoActors.spawn(system,
                pekkoProducer(params.increments(), counter, outcome), "producer-" + run);
        producer.tell(Start.INSTANCE);
        return check(params, outcome.await());
    }

    // ------------------------------------------------------------------ JMH

    @Benchmark
    public long spinoff(SpinoffState state) {
        return runSpinoff(state.system, Params.SAVINA);
    }

    @Benchmark
    public long pekko(PekkoState state) {
        return runPekko(state.system, Params.SAVINA);
    }
}
