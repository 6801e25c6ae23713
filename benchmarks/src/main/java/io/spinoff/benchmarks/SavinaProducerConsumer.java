package io.spinoff.benchmarks;

import io.spinoff.api.ActorProtocol;
import io.spinoff.benchmarks.SavinaSystems.BaselineState;
import io.spinoff.benchmarks.SavinaSystems.PekkoState;
import io.spinoff.benchmarks.SavinaSystems.SpinoffState;
import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
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
 * Savina's producer-consumer with a bounded buffer ({@code ProdConsBoundedBufferConfig}): one
 * invocation is one complete run, in milliseconds.
 *
 * <p>Parameters are Savina's, but for the items per producer: {@code bufferSize = 50},
 * {@code numProducers = 40}, {@code numConsumers = 40}, {@code numItemsPerProducer = 500} (Savina:
 * 1,000: making an item and consuming it cost about 40 µs each here, so Savina's 40,000 items would
 * take about 1.6 s per run on 2 threads), {@code prodCost = 25} and {@code consCost = 25}, the cost
 * being Savina's {@code processItem} work (cost * 100 logarithms of seeded random numbers). Each run spawns a manager holding the buffer and, as its children, the
 * producers and consumers (81 actors, stopped at the end of the run). A producer makes one item
 * per demand ("produce") from the manager; the manager hands an item to an idle consumer or keeps
 * it, and asks the producer for the next one only while it keeps fewer than
 * {@code bufferSize - numProducers} items (otherwise the producer waits in a queue for a consumer
 * to free space). A consumer processes an item and tells the manager it is available again. Once
 * every producer has made its items and every consumer is idle, the manager collects each
 * consumer's count and checksum and stops.
 *
 * <p>Checked: every item consumed exactly once: {@code numProducers * numItemsPerProducer}
 * items, and the wrapping sum of their values' bits equals the sum over what the producers make
 * (which does not depend on the order of consumption). The baseline does the same work on 2
 * platform threads: one makes the items of all producers in turn and puts them into an
 * {@link ArrayBlockingQueue} of {@code bufferSize}, the other takes them and processes them for
 * the consumers in turn.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SavinaProducerConsumer {

    private static final AtomicLong RUNS = new AtomicLong();
    private static final Map<Params, Outcome> EXPECTED = new ConcurrentHashMap<>();

    /**
     * One run's parameters.
     *
     * @param bufferSize the buffer's size; the manager keeps up to {@code bufferSize - producers}
     *     items before it stops asking producers for more
     * @param producers producer actors
     * @param consumers consumer actors
     * @param itemsPerProducer items each producer makes
     * @param prodCost the work of making an item
     * @param consCost the work of consuming an item
     */
    record Params(int bufferSize, int producers, int consumers, int itemsPerProducer, int prodCost, int consCost) {
        /** Savina's parameters, with {@code itemsPerProducer} scaled from 1,000 to 500. */
        static final Params BENCHMARK = new Params(50, 40, 40, 500, 25, 25);

        int keptItems() {
            return bufferSize - producers;
        }
    }

    /**
     * What the consumers consumed.
     *
     * @param items items consumed
     * @param checksum the wrapping sum of the bits of the consumed items' values
     */
    record Outcome(long items, long checksum) {
        Outcome plus(long moreItems, long moreChecksum) {
            return new Outcome(items + moreItems, checksum + moreChecksum);
        }
    }

    /** Savina's {@code processItem}: {@code cost * 100} logarithms of seeded random numbers. */
    static double processItem(double current, int cost) {
        double result = current;
        Random random = new Random(cost);
        if (cost > 0) {
            for (int i = 0; i < cost; i++) {
                for (int j = 0; j < 100; j++) {
                    result += Math.log(Math.abs(random.nextDouble()) + 0.01);
                }
            }
        } else {
            result += Math.log(Math.abs(random.nextDouble()) + 0.01);
        }
        return result;
    }

    /** @return what the consumers must consume: every producer's items, once each */
    static Outcome expected(Params p) {
        double item = 0;
        long checksum = 0;
        for (int i = 0; i < p.itemsPerProducer(); i++) {
            item = processItem(item, p.prodCost());
            checksum += Double.doubleToRawLongBits(item);
        }
        return new Outcome((long) p.producers() * p.itemsPerProducer(), checksum * p.producers());
    }

    /**
     * @return the consumed item count, when the run consumed every item exactly once
     * @throws IllegalStateException otherwise
     */
    static long check(Params p, Outcome got) {
        Outcome expected = EXPECTED.computeIfAbsent(p, SavinaProducerConsumer::expected);
        if (!expected.equals(got)) {
            throw new IllegalStateException("producer-consumer: expected " + expected + ", got " + got);
        }
        return got.items();
    }


    // ------------------------------------------------------------------ Spinoff

    /** Holds the buffer and the idle consumers and waiting producers. */
    @ActorProtocol
    public interface BufferManager {
        void dataItem(double data, Producer producer);

        void consumerAvailable(Consumer consumer);

        void producerExit();

        /** A consumer's totals, sent once it is told to finish. */
        void consumed(long items, long checksum);
    }

    /** Makes one item per demand. */
    @ActorProtocol
    public interface Producer {
        void produce();
    }

    /** Processes items. */
    @ActorProtocol
    public interface Consumer {
        void consume(double data);

        /** Reports the totals to the manager and stops. */
        void finish();
    }

    static final class SpinoffProducer extends Actor implements Producer {
        private final BufferManager manager;
        private final int items;
        private final int cost;
        private Producer self;
        private int produced;
        private double item;

        SpinoffProducer(BufferManager manager, int items, int cost) {
            this.manager = manager;
            this.items = items;
            this.cost = cost;
        }

        @Override
        protected void preStart() {
            self = context().self(Producer.class);
        }

        @Override
        public void produce() {
            if (produced == items) {
                manager.producerExit();
                context().stop(self);
            } else {
                item = processItem(item, cost);
                manager.dataItem(item, self);
                produced++;
            }
        }
    }

    static final class SpinoffConsumer extends Actor implements Consumer {
        private final BufferManager manager;
        private final int cost;
        private Consumer self;
        private double state;
        private long items;
        private long checksum;

        SpinoffConsumer(BufferManager manager, int cost) {
            this.manager = manager;
            this.cost = cost;
        }

        @Override
        protected void preStart() {
            self = context().self(Consumer.class);
        }

        @Override
        public void consume(double data) {
            state = processItem(state + data, cost);
            items++;
            checksum += Double.doubleToRawLongBits(data);
            manager.consumerAvailable(self);
        }

        @Override
        public void finish() {
            manager.consumed(items, checksum);
            context().stop(self);
        }
    }

    static final class SpinoffManager extends Actor implements BufferManager {
        private final Params p;
        private final CompletableFuture<Outcome> done;
        private final ArrayDeque<Double> buffer = new ArrayDeque<>();
        private final ArrayDeque<Producer> waitingProducers = new ArrayDeque<>();
        private final ArrayDeque<Consumer> idleConsumers = new ArrayDeque<>();
        private Consumer[] consumers;
        private int exitedProducers;
        private int reports;
        private Outcome outcome = new Outcome(0, 0);

        SpinoffManager(Params p, CompletableFuture<Outcome> done) {
            this.p = p;
            this.done = done;
        }

        @Override
        protected void preStart() {
            BufferManager self = context().self(BufferManager.class);
            consumers = new Consumer[p.consumers()];
            for (int i = 0; i < p.consumers(); i++) {
                consumers[i] = context().spawn(Consumer.class, () -> new SpinoffConsumer(self, p.consCost()));
                idleConsumers.add(consumers[i]);
            }
            for (int i = 0; i < p.producers(); i++) {
                context().spawn(Producer.class, () -> new SpinoffProducer(self, p.itemsPerProducer(), p.prodCost()))
                        .produce();
            }
        }

        @Override
        public void dataItem(double data, Producer producer) {
            Consumer consumer = idleConsumers.poll();
            if (consumer == null) {
                buffer.add(data);
            } else {
                consumer.consume(data);
            }
            if (buffer.size() >= p.keptItems()) {
                waitingProducers.add(producer);
            } else {
                producer.produce();
            }
        }

        @Override
        public void consumerAvailable(Consumer consumer) {
            Double data = buffer.poll();
            if (data == null) {
                idleConsumers.add(consumer);
                finishWhenDone();
            } else {
                consumer.consume(data);
                Producer producer = waitingProducers.poll();
                if (producer != null) {
                    producer.produce();
                }
            }
        }

        @Override
        public void producerExit() {
            exitedProducers++;
            finishWhenDone();
        }

        private void finishWhenDone() {
            if (exitedProducers == p.producers() && idleConsumers.size() == p.consumers()) {
                idleConsumers.clear();
                for (Consumer consumer : consumers) {
                    consumer.finish();
                }
            }
        }

        @Override
        public void consumed(long items, long checksum) {
            outcome = outcome.plus(items, checksum);
            if (++reports == p.consumers()) {
                context().stop(context().self());
            }
        }

        @Override
        protected void postStop() {
            done.complete(outcome);
        }
    }

    /** @return the consumed item count of one checked run on Spinoff */
    static long runSpinoff(ActorSystem system, Params p) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        system.spawn(BufferManager.class, () -> new SpinoffManager(p, done));
        return check(p, SavinaSystems.await("producer-consumer", done));
    }

    // ------------------------------------------------------------------ Pekko

    /** A message to the Pekko manager. */
    sealed interface ManagerMessage permits DataItem, ConsumerAvailable, ProducerExit, Consumed {}

    record DataItem(double data, ActorRef<Produce> producer) implements ManagerMessage {}

    record ConsumerAvailable(ActorRef<ConsumerMessage> consumer) implements ManagerMessage {}

    enum ProducerExit implements ManagerMessage { INSTANCE }

    record Consumed(long items, long checksum) implements ManagerMessage {}

    /** The demand for one item. */
    enum Produce { INSTANCE }

    /** A message to a Pekko consumer. */
    sealed interface ConsumerMessage permits Consume, Finish {}

    record Consume(double data) implements ConsumerMessage {}

    enum Finish implements ConsumerMessage { INSTANCE }

    static Behavior<Produce> pekkoProducer(ActorRef<ManagerMessage> manager, int items, int cost) {
        return Behaviors.setup(context -> {
            ActorRef<Produce> self = context.getSelf();
            int[] produced = {0};
            double[] item = {0};
            return Behaviors.receiveMessage(produce -> {
                if (produced[0] == items) {
                    manager.tell(ProducerExit.INSTANCE);
                    return Behaviors.stopped();
                }
                item[0] = processItem(item[0], cost);
                manager.tell(new DataItem(item[0], self));
                produced[0]++;
                return Behaviors.same();
            });
        });
    }

    static Behavior<ConsumerMessage> pekkoConsumer(ActorRef<ManagerMessage> manager, int cost) {
        return Behaviors.setup(context -> {
            ConsumerAvailable available = new ConsumerAvailable(context.getSelf());
            double[] state = {0};
            long[] items = {0};
            long[] checksum = {0};
            return Behaviors.receiveMessage(message -> switch (message) {
                case Consume consume -> {
                    state[0] = processItem(state[0] + consume.data(), cost);
                    items[0]++;
                    checksum[0] += Double.doubleToRawLongBits(consume.data());
                    manager.tell(available);
                    yield Behaviors.same();
                }
                case Finish finish -> {
                    manager.tell(new Consumed(items[0], checksum[0]));
                    yield Behaviors.stopped();
                }
            });
        });
    }

    static Behavior<ManagerMessage> pekkoManager(Params p, CompletableFuture<Outcome> done) {
        return Behaviors.setup(context -> {
            PekkoManager manager = new PekkoManager(context, p, done);
            return Behaviors.receiveMessage(manager::onMessage);
        });
    }

    private static final class PekkoManager {
        private final Params p;
        private final CompletableFuture<Outcome> done;
        private final ArrayDeque<Double> buffer = new ArrayDeque<>();
        private final ArrayDeque<ActorRef<Produce>> waitingProducers = new ArrayDeque<>();
        private final ArrayDeque<ActorRef<ConsumerMessage>> idleConsumers = new ArrayDeque<>();
        private final List<ActorRef<ConsumerMessage>> consumers;
        private int exitedProducers;
        private int reports;
        private Outcome outcome = new Outcome(0, 0);

        PekkoManager(ActorContext<ManagerMessage> context, Params p, CompletableFuture<Outcome> done) {
            this.p = p;
            this.done = done;
            consumers = new ArrayList<>(p.consumers());
            for (int i = 0; i < p.consumers(); i++) {
                consumers.add(context.spawnAnonymous(pekkoConsumer(context.getSelf(), p.consCost())));
            }
            idleConsumers.addAll(consumers);
            for (int i = 0; i < p.producers(); i++) {
                context.spawnAnonymous(pekkoProducer(context.getSelf(), p.itemsPerProducer(), p.prodCost()))
                        .tell(Produce.INSTANCE);
            }
        }

        Behavior<ManagerMessage> onMessage(ManagerMessage message) {
            switch (message) {
                case DataItem item -> {
                    ActorRef<ConsumerMessage> consumer = idleConsumers.poll();
                    if (consumer == null) {
                        buffer.add(item.data());
                    } else {
                        consumer.tell(new Consume(item.data()));
                    }
                    if (buffer.size() >= p.keptItems()) {
                        waitingProducers.add(item.producer());
                    } else {
                        item.producer().tell(Produce.INSTANCE);
                    }
                }
                case ConsumerAvailable available -> {
                    Double data = buffer.poll();
                    if (data == null) {
                        idleConsumers.add(available.consumer());
                        finishWhenDone();
                    } else {
                        available.consumer().tell(new Consume(data));
                        ActorRef<Produce> producer = waitingProducers.poll();
                        if (producer != null) {
                            producer.tell(Produce.INSTANCE);
                        }
                    }
                }
                case ProducerExit exit -> {
                    exitedProducers++;
                    finishWhenDone();
                }
                case Consumed consumed -> {
                    outcome = outcome.plus(consumed.items(), consumed.checksum());
                    if (++reports == p.consumers()) {
                        Outcome result = outcome;
                        return Behaviors.stopped(() -> done.complete(result));
                    }
                }
            }
            return Behaviors.same();
        }

        private void finishWhenDone() {
            if (exitedProducers == p.producers() && idleConsumers.size() == p.consumers()) {
                idleConsumers.clear();
                for (ActorRef<ConsumerMessage> consumer : consumers) {
                    consumer.tell(Finish.INSTANCE);
                }
            }
        }
    }

    /** @return the consumed item count of one checked run on Pekko */
    static long runPekko(org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system, Params p) {
        CompletableFuture<Outcome> done = new CompletableFuture<>();
        PekkoActors.spawn(system, pekkoManager(p, done), "prodcons-" + RUNS.incrementAndGet());
        return check(p, SavinaSystems.await("producer-consumer", done));
    }

    // ------------------------------------------------------------------ baseline

    /**
     * @return the consumed item count of one checked run on {@code pool}'s 2 threads: one
     *     producing for every producer in turn, one consuming for every consumer in turn, through
     *     a bounded queue of {@code bufferSize}
     */
    static long runBaseline(ExecutorService pool, Params p) {
        BlockingQueue<Double> buffer = new ArrayBlockingQueue<>(p.bufferSize());
        long total = (long) p.producers() * p.itemsPerProducer();
        Future<?> producing = pool.submit(() -> {
            double[] items = new double[p.producers()];
            for (int i = 0; i < p.itemsPerProducer(); i++) {
                for (int producer = 0; producer < p.producers(); producer++) {
                    items[producer] = processItem(items[producer], p.prodCost());
                    buffer.put(items[producer]);
                }
            }
            return null;
        });
        Future<Outcome> consuming = pool.submit(() -> {
            double[] states = new double[p.consumers()];
            long checksum = 0;
            for (long n = 0; n < total; n++) {
                double data = buffer.take();
                int consumer = (int) (n % p.consumers());
                states[consumer] = processItem(states[consumer] + data, p.consCost());
                checksum += Double.doubleToRawLongBits(data);
            }
            return new Outcome(total, checksum);
        });
        SavinaSystems.await("producer-consumer", producing);
        return check(p, SavinaSystems.await("producer-consumer", consuming));
    }

    // ------------------------------------------------------------------ JMH

    @Benchmark
    public long spinoff(SpinoffState state) {
        return runSpinoff(state.system, Params.BENCHMARK);
    }

    @Benchmark
    public long pekko(PekkoState state) {
        return runPekko(state.system, Params.BENCHMARK);
    }

    @Benchmark
    public long baseline(BaselineState state) {
        return runBaseline(state.pool, Params.BENCHMARK);
    }
}
