package io.spinoff.processor.samples;

import io.spinoff.api.ActorRef;
import io.spinoff.api.Ask;
import io.spinoff.api.CodecException;
import io.spinoff.api.support.MethodDescriptor;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.ReferenceCodec;
import io.spinoff.api.support.WireReader;
import io.spinoff.api.support.WireWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Drives the code generated for the sample protocols, compiled together with them by the compiler
 * under test (see {@code EclipseCompilerTest}). Every call goes proxy → message record → encode →
 * bytes → decode → dispatch → implementation, and every reply goes back through the reply codec.
 * {@link #get()} returns a summary of what the implementations received and what the callers got.
 *
 * <p>Each message is also re-encoded after decoding, and must give the same bytes.
 */
public final class SampleDriver implements Supplier<String> {

    private final StringBuilder summary = new StringBuilder();
    private final Registry registry = new Registry();

    /** Called by the test through {@link Supplier}. */
    public SampleDriver() {}

    @Override
    public String get() {
        counter();
        allTypes();
        greeter();
        account();
        clock();
        inventory();
        localOnly();
        return summary.toString();
    }

    private void line(String text) {
        summary.append(text).append('\n');
    }

    private static <T> T join(CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    private void counter() {
        Counter counter = registry.host("/user/counter", CounterProtocol.INSTANCE, new CounterActor());
        counter.increment(5);
        counter.increment(-2);
        line("Counter.get -> " + join(counter.get()));
        line("Counter.reset -> " + join(counter.reset()));
        line("Counter.get -> " + join(counter.get()));
        line("proxy " + counter + " equals a second proxy: "
                + counter.equals(CounterProtocol.INSTANCE.proxy(registry.ref("/user/counter"))));
    }

    private void allTypes() {
        AllTypesActor actor = new AllTypesActor();
        AllTypes all = registry.host("/user/all", AllTypesProtocol.INSTANCE, actor);
        Counter counter = registry.proxy(Counter.class, "/user/counter");

        AllTypes.Shape square = new AllTypes.Shape("square", 4, 1.5, AllTypes.Color.GREEN);
        line("AllTypes.echoShape -> " + join(all.echoShape(square)));
        line("AllTypes.echoShape(null) -> " + join(all.echoShape(null)));
        Map<String, AllTypes.Tree> trees = new LinkedHashMap<>();
        trees.put("b", new AllTypes.Tree("root", List.of(new AllTypes.Tree("leaf", List.of()))));
        trees.put("a", new AllTypes.Tree("single", List.of()));
        line("AllTypes.echoTrees -> " + join(all.echoTrees(trees)));
        line("AllTypes.echoOptional -> " + join(all.echoOptional(Optional.of("hi"))) + ", "
                + join(all.echoOptional(Optional.empty())) + ", " + join(all.echoOptional(null)));
        line("AllTypes.echoBytes -> " + Arrays.toString(join(all.echoBytes(new byte[] {1, 2, -3}))));

        all.primitives(true, (byte) -1, (short) 300, 'x', Integer.MIN_VALUE, Long.MAX_VALUE, 1.25f, -0.5);
        all.boxes(false, (byte) 7, null, 'y', 42, null, Float.NaN, 2.0);
        all.arrays(new byte[] {1}, new boolean[] {true, false}, new short[] {-2}, new char[] {'a', 'b'},
                new int[] {3, 4}, new long[0], new float[] {0.5f}, null);
        all.scalars("héllo ✓ \uD83D\uDE00", new UUID(1, 2), Instant.ofEpochSecond(1_700_000_000L, 5),
                Duration.ofMillis(1500), new BigInteger("-123456789012345678901234567890"), new BigDecimal("3.14159"));
        Map<String, List<AllTypes.Shape>> byName = new TreeMap<>();
        byName.put("one", List.of(square));
        byName.put("none", List.of());
        Map<AllTypes.Color, byte[]> bytes = new LinkedHashMap<>();
        bytes.put(AllTypes.Color.RED, new byte[] {9});
        all.collections(List.of("a", "b"), new LinkedHashSet<>(List.of(3L, 1L, 2L)), byName,
                Optional.of(AllTypes.Color.BLUE), List.of(Optional.of(bytes), Optional.empty()));
        all.shapes(square, AllTypes.Color.RED, new AllTypes.Tree("t", List.of()),
                new AllTypes.Pair<>("pair", List.of(1, 2, 3)));
        all.references(counter, registry.ref("/user/counter"), List.of(counter, counter));
        for (String received : actor.received) {
            line("AllTypes received " + received);
        }
        line("Counter.get after AllTypes.references -> " + join(counter.get()));
    }

    private void greeter() {
        AckerActor acker = new AckerActor();
        registry.host("/user/acker", AckerProtocol.INSTANCE, acker);
        Greeter greeter = registry.host("/user/greeter", GreeterProtocol.INSTANCE, new GreeterActor());
        greeter.greet("hello", registry.proxy(Acker.class, "/user/acker"));
        line("Greeter.greetAndWait -> " + join(greeter.greetAndWait("hi")));
        line("Acker received " + acker.acks);
    }

    private void account() {
        Account account = registry.host("/user/account", AccountProtocol.INSTANCE, new AccountActor());
        account.deposit(250);
        account.deposit(1_000);
        account.rename("savings");
        line("Account.balance -> " + join(account.balance()) + " cents, " + Account.euros(join(account.balance()))
                + " euros");
        line("Account.name -> " + join(account.name()));
        line("Account.describe (default method, not a message) -> " + account.describe());
    }

    private void clock() {
        Services.Clock clock = registry.host("/user/clock", Services_ClockProtocol.INSTANCE, new ClockActor());
        clock.adjust(1_000);
        clock.adjust(-1);
        line("Clock.now -> " + join(clock.now()));
    }

    private void inventory() {
        InventoryActor actor = new InventoryActor();
        Inventory inventory = registry.host("/user/inventory", InventoryProtocol.INSTANCE, actor);
        inventory.stock(new Inventory.Stock("apples", 3));
        inventory.stock(new Inventory.Stock("apples", 4));
        line("Inventory.count -> " + join(inventory.count("apples")));
        inventory.shelve("apples", new Shelf("A", 1), new Inventory.Shelf(2));
        inventory.shelve("pears", new Shelf("B", 4), new Inventory.Shelf(0));
        line("Inventory received " + actor.received);
        line("Inventory.shelves -> " + join(inventory.shelves("apples")));
    }

    private void localOnly() {
        StringBuilder ran = new StringBuilder();
        LocalOnlyMessage run = new LocalOnlyMessage.Run(() -> ran.append("ran"));
        LocalOnlyProtocol.INSTANCE.dispatch(new LocalOnlyActor(), run);
        String refused;
        try {
            LocalOnlyProtocol.INSTANCE.encode(run, new WireWriter());
            refused = "encoded";
        } catch (CodecException e) {
            refused = "refused";
        }
        line("LocalOnly dispatch -> " + ran + ", encode -> " + refused + ", local -> "
                + LocalOnlyProtocol.INSTANCE.local());
        line("timeouts asked: " + registry.timeouts);
    }

    // ---- the implementations ----

    private static final class CounterActor implements Counter {
        private int count;

        @Override
        public void increment(int by) {
            count += by;
        }

        @Override
        public CompletionStage<Integer> get() {
            return CompletableFuture.completedFuture(count);
        }

        @Override
        public CompletableFuture<Void> reset() {
            count = 0;
            return CompletableFuture.completedFuture(null);
        }
    }

    private static final class AllTypesActor implements AllTypes {
        final List<String> received = new ArrayList<>();

        @Override
        public void primitives(boolean z, byte b, short s, char c, int i, long l, float f, double d) {
            received.add("primitives " + z + " " + b + " " + s + " " + c + " " + i + " " + l + " " + f + " " + d);
        }

        @Override
        public void boxes(Boolean z, Byte b, Short s, Character c, Integer i, Long l, Float f, Double d) {
            received.add("boxes " + z + " " + b + " " + s + " " + c + " " + i + " " + l + " " + f + " " + d);
        }

        @Override
        public void arrays(byte[] bytes, boolean[] z, short[] s, char[] c, int[] i, long[] l, float[] f, double[] d) {
            received.add("arrays " + Arrays.toString(bytes) + " " + Arrays.toString(z) + " " + Arrays.toString(s) + " "
                    + Arrays.toString(c) + " " + Arrays.toString(i) + " " + Arrays.toString(l) + " "
                    + Arrays.toString(f) + " " + Arrays.toString(d));
        }

        @Override
        public void scalars(String text, UUID id, Instant at, Duration length, BigInteger big, BigDecimal exact) {
            received.add("scalars " + text + " " + id + " " + at + " " + length + " " + big + " " + exact);
        }

        @Override
        public void shapes(Shape shape, Color color, Tree tree, Pair<String, List<Integer>> pair) {
            received.add("shapes " + shape + " " + color + " " + tree + " " + pair);
        }

        @Override
        public void collections(List<String> names, Set<Long> ids, Map<String, List<Shape>> byName,
                Optional<Color> maybe, List<Optional<Map<Color, byte[]>>> nested) {
            StringBuilder text = new StringBuilder();
            for (Optional<Map<Color, byte[]>> element : nested) {
                text.append(element.map(map -> {
                    StringBuilder entries = new StringBuilder();
                    map.forEach((key, value) -> entries.append(key).append('=').append(Arrays.toString(value)));
                    return entries.toString();
                }).orElse("empty")).append(';');
            }
            received.add("collections " + names + " " + ids + " " + byName + " " + maybe + " " + text);
        }

        @Override
        public void references(Counter counter, ActorRef<CounterMessage> ref, List<Counter> counters) {
            counter.increment(1);
            ref.tell(new CounterMessage.Increment(10));
            for (Counter each : counters) {
                each.increment(100);
            }
            received.add("references " + counter + " " + ref.address() + " " + counters);
        }

        @Override
        public CompletionStage<Shape> echoShape(Shape shape) {
            return CompletableFuture.completedFuture(shape);
        }

        @Override
        public CompletionStage<Map<String, Tree>> echoTrees(Map<String, Tree> trees) {
            return CompletableFuture.completedFuture(trees);
        }

        @Override
        public CompletionStage<Optional<String>> echoOptional(Optional<String> value) {
            return CompletableFuture.completedFuture(value);
        }

        @Override
        public CompletionStage<byte[]> echoBytes(byte[] bytes) {
            return CompletableFuture.completedFuture(bytes);
        }
    }

    private static final class AckerActor implements Acker {
        final List<String> acks = new ArrayList<>();

        @Override
        public void ack(String greeting) {
            acks.add(greeting);
        }
    }

    private static final class GreeterActor implements Greeter {
        @Override
        public void greet(String greeting, Acker replyTo) {
            replyTo.ack(greeting + ", acked");
        }

        @Override
        public CompletionStage<String> greetAndWait(String greeting) {
            return CompletableFuture.completedFuture(greeting + " yourself");
        }
    }

    private static final class AccountActor implements Account {
        private long cents;
        private String name = "unnamed";

        @Override
        public void deposit(long cents) {
            this.cents += cents;
        }

        @Override
        public CompletionStage<Long> balance() {
            return CompletableFuture.completedFuture(cents);
        }

        @Override
        public CompletionStage<String> name() {
            return CompletableFuture.completedFuture(name);
        }

        @Override
        public void rename(String newName) {
            name = newName;
        }
    }

    private static final class ClockActor implements Services.Clock {
        private long millis = 1_000_000;

        @Override
        public CompletableFuture<Long> now() {
            return CompletableFuture.completedFuture(millis);
        }

        @Override
        public void adjust(long millis) {
            this.millis += millis;
        }
    }

    // Inside a class that implements Inventory, Shelf means the member type Inventory.Shelf: the
    // top-level Shelf needs its qualified name here, as it does in the generated proxy.
    private static final class InventoryActor implements Inventory {
        final List<Object> received = new ArrayList<>();
        private final List<Inventory.Stock> stocked = new ArrayList<>();
        private final Map<String, List<io.spinoff.processor.samples.Shelf>> shelves = new LinkedHashMap<>();

        @Override
        public void stock(Inventory.Stock stock) {
            received.add(stock);
            stocked.add(stock);
        }

        @Override
        public CompletionStage<Inventory.Stock> count(String item) {
            int count = 0;
            for (Inventory.Stock stock : stocked) {
                count += stock.item().equals(item) ? stock.count() : 0;
            }
            return CompletableFuture.completedFuture(new Inventory.Stock(item, count));
        }

        @Override
        public void shelve(String item, io.spinoff.processor.samples.Shelf shelf, Inventory.Shelf level) {
            received.add(shelf);
            received.add(level);
            shelves.computeIfAbsent(item, key -> new ArrayList<>()).add(shelf);
        }

        @Override
        public CompletionStage<List<io.spinoff.processor.samples.Shelf>> shelves(String item) {
            return CompletableFuture.completedFuture(shelves.getOrDefault(item, List.of()));
        }
    }

    private static final class LocalOnlyActor implements LocalOnly {
        @Override
        public void run(Runnable task) {
            task.run();
        }

        @Override
        public CompletionStage<Thread> thread(Supplier<String> name) {
            return CompletableFuture.completedFuture(Thread.currentThread());
        }
    }

    // ---- the in-memory transport ----

    /** Hosts implementations at addresses, and resolves addresses read from the wire. */
    private static final class Registry implements ReferenceCodec {
        private final Map<String, Loopback<?, ?>> refs = new LinkedHashMap<>();
        final List<String> timeouts = new ArrayList<>();

        <P, M> P host(String address, ProtocolDefinition<P, M> protocol, P implementation) {
            Loopback<P, M> ref = new Loopback<>(this, address, protocol, implementation);
            refs.put(address, ref);
            return protocol.proxy(ref);
        }

        @SuppressWarnings("unchecked")
        <M> ActorRef<M> ref(String address) {
            Loopback<?, ?> ref = refs.get(address);
            if (ref == null) {
                throw new CodecException("No actor at " + address);
            }
            return (ActorRef<M>) ref;
        }

        <P> P proxy(Class<P> protocol, String address) {
            return proxy(ProtocolDefinition.of(protocol), address);
        }

        private <P, M> P proxy(ProtocolDefinition<P, M> protocol, String address) {
            return protocol.proxy(this.<M>ref(address));
        }

        @Override
        public String addressOf(Object reference) {
            throw new CodecException("Not a reference: " + reference);
        }

        @Override
        public <P> P resolve(Class<P> protocol, String address) {
            return proxy(protocol, address);
        }

        @Override
        public ActorRef<Object> resolveRef(String address) {
            return ref(address);
        }

        byte[] encode(ProtocolDefinition<?, ?> protocol, Object message) {
            WireWriter out = new WireWriter(64, this);
            encodeAs(protocol, message, out);
            return out.toByteArray();
        }

        @SuppressWarnings("unchecked")
        private static <M> void encodeAs(ProtocolDefinition<?, M> protocol, Object message, WireWriter out) {
            protocol.encode((M) message, out);
        }

        WireReader reader(byte[] bytes) {
            return new WireReader(bytes, 0, bytes.length, this, WireWriter.DEFAULT_MAX_DEPTH);
        }
    }

    /** An actor reference that delivers synchronously, through the codec, to one implementation. */
    private static final class Loopback<P, M> implements ActorRef<M> {
        private final Registry registry;
        private final String address;
        private final ProtocolDefinition<P, M> protocol;
        private final P implementation;

        Loopback(Registry registry, String address, ProtocolDefinition<P, M> protocol, P implementation) {
            this.registry = registry;
            this.address = address;
            this.protocol = protocol;
            this.implementation = implementation;
        }

        @Override
        public String address() {
            return address;
        }

        private M transfer(M message, boolean ask) {
            MethodDescriptor method = protocol.method(message);
            if (method.ask() != ask) {
                throw new AssertionError(message + " sent as " + (ask ? "an ask" : "a tell"));
            }
            byte[] bytes = registry.encode(protocol, message);
            M copy = protocol.decode(registry.reader(bytes));
            if (!Arrays.equals(bytes, registry.encode(protocol, copy))) {
                throw new AssertionError(message + " re-encodes differently after decoding");
            }
            if (protocol.method(copy) != method) {
                throw new AssertionError(copy + " decoded as another method than " + method);
            }
            return copy;
        }

        @Override
        public void tell(M message) {
            protocol.dispatch(implementation, transfer(message, false));
        }

        @Override
        public <R> CompletableFuture<R> ask(Ask<R> ask) {
            // What a runtime does: the method's @AskTimeout, from its descriptor, when none is given.
            ProtocolDefinition.askTimeoutOf(ask)
                    .ifPresent(timeout -> registry.timeouts.add(protocol.method(message(ask)).name() + "=" + timeout));
            return deliver(ask);
        }

        @SuppressWarnings("unchecked")
        private M message(Ask<?> ask) {
            return (M) ask;
        }

        private <R> CompletableFuture<R> deliver(Ask<R> ask) {
            M copy = transfer(message(ask), true);
            int index = protocol.method(copy).index();
            Object reply = protocol.dispatch(implementation, copy).toCompletableFuture().join();
            WireWriter out = new WireWriter(64, registry);
            protocol.encodeReply(index, reply, out);
            WireReader in = registry.reader(out.toByteArray());
            @SuppressWarnings("unchecked")
            R decoded = (R) protocol.decodeReply(index, in);
            return CompletableFuture.completedFuture(decoded);
        }

        @Override
        public <R> CompletableFuture<R> ask(Ask<R> ask, Duration timeout) {
            registry.timeouts.add(protocol.method(message(ask)).name() + "=" + timeout);
            return deliver(ask);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Loopback<?, ?> that && address.equals(that.address);
        }

        @Override
        public int hashCode() {
            return address.hashCode();
        }

        @Override
        public String toString() {
            return "Loopback[" + address + "]";
        }
    }
}
