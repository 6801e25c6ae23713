package io.spinoff.processor.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.api.ActorRef;
import io.spinoff.api.Ask;
import io.spinoff.api.CodecException;
import io.spinoff.api.support.MethodDescriptor;
import io.spinoff.api.support.GeneratedNames;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.WireReader;
import io.spinoff.api.support.WireWriter;
import io.spinoff.processor.testing.LoopbackRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Runs the code the processor generated for the sample protocols: every call goes proxy → record →
 * {@link LoopbackRef} → encode → bytes → decode → dispatch → implementation, and every reply back
 * through the reply codec.
 */
class GeneratedCodeTest {

    private static final List<ProtocolDefinition<?, ?>> ALL = List.of(
            CounterProtocol.INSTANCE,
            AllTypesProtocol.INSTANCE,
            GreeterProtocol.INSTANCE,
            AckerProtocol.INSTANCE,
            AccountProtocol.INSTANCE,
            Services_ClockProtocol.INSTANCE,
            LocalOnlyProtocol.INSTANCE,
            InventoryProtocol.INSTANCE);

    private final LoopbackRef.Registry registry = new LoopbackRef.Registry();

    private static <T> T await(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static Throwable failureOf(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get(5, TimeUnit.SECONDS));
        return e.getCause();
    }

    /** The implementation of the SPEC's example. */
    static class CounterImpl implements Counter {
        int count;

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

    @Nested
    class CounterThroughTheCodec {

        @Test
        void incrementsThenGetReturnsTheSum() throws Exception {
            CounterImpl impl = new CounterImpl();
            LoopbackRef<Counter, CounterMessage> ref = registry.host("/user/counter", CounterProtocol.INSTANCE, impl);
            Counter counter = new CounterRef(ref);

            counter.increment(5);
            counter.increment(-2);
            counter.increment(Integer.MAX_VALUE - 3);
            assertEquals(Integer.MAX_VALUE, impl.count);
            assertEquals(Integer.MAX_VALUE, await(counter.get()));

            assertEquals(List.of(new CounterMessage.Increment(5), new CounterMessage.Increment(-2),
                    new CounterMessage.Increment(Integer.MAX_VALUE - 3), new CounterMessage.Get()), ref.delivered());
        }

        @Test
        void resetCompletesAndItsAskTimeoutReachesTheRef() throws Exception {
            CounterImpl impl = new CounterImpl();
            LoopbackRef<Counter, CounterMessage> ref = registry.host("/user/counter", CounterProtocol.INSTANCE, impl);
            Counter counter = ref.proxy();
            assertInstanceOf(CounterRef.class, counter);

            counter.increment(7);
            CompletableFuture<Void> reset = counter.reset();
            assertNull(await(reset));
            assertTrue(reset.isDone() && !reset.isCompletedExceptionally());
            assertEquals(0, impl.count);
            assertEquals(0, await(counter.get()));

            // reset carries @AskTimeout(value = 2, unit = SECONDS); get has none: the default applies
            assertEquals(List.of(Optional.of(Duration.ofSeconds(2)), Optional.empty()), ref.askTimeouts());
            assertEquals(Optional.of(Duration.ofSeconds(2)), CounterProtocol.RESET.askTimeout());
            assertEquals(Optional.empty(), CounterProtocol.GET.askTimeout());
        }

        @Test
        void theBytesOnTheWireAreThoseOfTheWireFormatPage() {
            LoopbackRef<Counter, CounterMessage> ref = registry.host("/user/counter", CounterProtocol.INSTANCE, new CounterImpl());
            ref.proxy().increment(5);
            // get is index 0, increment index 1, reset index 2; 5 is zig-zag 0A
            assertEquals("01 0a", hex(ref.lastEncoding()));
            ref.proxy().get();
            assertEquals("00", hex(ref.lastEncoding()));
        }

        @Test
        void aDecodedMessageIsAFreshRecordEqualToTheOneSent() {
            LoopbackRef<Counter, CounterMessage> ref = registry.host("/user/counter", CounterProtocol.INSTANCE, new CounterImpl());
            CounterMessage.Increment sent = new CounterMessage.Increment(42);
            ref.tell(sent);
            CounterMessage received = ref.delivered().get(0);
            assertEquals(sent, received);
            assertNotSame(sent, received);
        }
    }

    /** A greeter that acknowledges every greeting through the acker it was given. */
    static class GreeterImpl implements Greeter {
        final List<Acker> replyTos = new ArrayList<>();

        @Override
        public void greet(String greeting, Acker replyTo) {
            replyTos.add(replyTo);
            replyTo.ack(greeting + " back");
        }

        @Override
        public CompletionStage<String> greetAndWait(String greeting) {
            return CompletableFuture.completedFuture(greeting == null ? null : greeting.toUpperCase());
        }
    }

    static final class AckerImpl implements Acker {
        final List<String> acks = new ArrayList<>();

        @Override
        public void ack(String greeting) {
            acks.add(greeting);
        }
    }

    @Nested
    class GreeterWithReferences {

        @Test
        void anAckerProxyArrivesAsAWorkingProxy() {
            AckerImpl acker = new AckerImpl();
            LoopbackRef<Acker, AckerMessage> ackerRef = registry.host("/user/acker", AckerProtocol.INSTANCE, acker);
            GreeterImpl greeter = new GreeterImpl();
            Greeter proxy = registry.host("/user/greeter", GreeterProtocol.INSTANCE, greeter).proxy();

            Acker sent = new AckerRef(ackerRef);
            proxy.greet("hi", sent);

            assertEquals(List.of("hi back"), acker.acks);
            Acker received = greeter.replyTos.get(0);
            assertInstanceOf(AckerRef.class, received);
            assertNotSame(sent, received);
            assertEquals(sent, received);
            assertEquals("/user/acker", addressBehind(received));
            assertEquals(List.of(new AckerMessage.Ack("hi back")), ackerRef.delivered());
        }

        @Test
        void anImplementationPassingItselfTravelsAsItsAddress() {
            AckerImpl acker = new AckerImpl();
            registry.host("/user/acker", AckerProtocol.INSTANCE, acker);
            GreeterImpl greeter = new GreeterImpl();
            Greeter proxy = registry.host("/user/greeter", GreeterProtocol.INSTANCE, greeter).proxy();

            proxy.greet("hello", acker); // not a proxy: the registry knows its address

            assertEquals(List.of("hello back"), acker.acks);
            assertInstanceOf(AckerRef.class, greeter.replyTos.get(0));
        }

        @Test
        void aNullReferenceArrivesAsNull() {
            GreeterImpl greeter = new GreeterImpl() {
                @Override
                public void greet(String greeting, Acker replyTo) {
                    replyTos.add(replyTo);
                }
            };
            registry.host("/user/greeter", GreeterProtocol.INSTANCE, greeter).proxy().greet(null, null);
            assertEquals(1, greeter.replyTos.size());
            assertNull(greeter.replyTos.get(0));
        }

        @Test
        void anAskReplyCrossesTheReplyCodec() throws Exception {
            Greeter proxy = registry.host("/user/greeter", GreeterProtocol.INSTANCE, new GreeterImpl()).proxy();
            assertEquals("HÉ \uD83D\uDE00", await(proxy.greetAndWait("hé \uD83D\uDE00")));
            assertNull(await(proxy.greetAndWait(null)));
        }

        @Test
        void anObjectThatIsNoActorCannotBeSent() {
            Greeter proxy = registry.host("/user/greeter", GreeterProtocol.INSTANCE, new GreeterImpl()).proxy();
            assertThrows(CodecException.class, () -> proxy.greet("hi", greeting -> { }));
        }
    }

    private static String addressBehind(Object proxy) {
        return io.spinoff.api.support.ProtocolProxy.actorRefOf(proxy).address();
    }

    /** An account; its name comes from the generic super-interface. */
    static final class AccountImpl implements Account {
        long cents;
        String name = "initial";

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

    @Nested
    class AccountWithInheritedMethods {

        @Test
        void inheritedMethodsAreMessages() throws Exception {
            AccountImpl impl = new AccountImpl();
            LoopbackRef<Account, AccountMessage> ref = registry.host("/user/account", AccountProtocol.INSTANCE, impl);
            Account account = ref.proxy();

            account.rename("savings");
            assertEquals("savings", impl.name);
            assertEquals("savings", await(account.name()));
            account.deposit(12_345L);
            assertEquals(12_345L, await(account.balance()));
            assertEquals(123L, Account.euros(await(account.balance())));

            assertEquals(List.of(new AccountMessage.Rename("savings"), new AccountMessage.Name(),
                    new AccountMessage.Deposit(12_345L), new AccountMessage.Balance(), new AccountMessage.Balance()),
                    ref.delivered());
            // balance carries @AskTimeout(750); name has none
            assertEquals(List.of(Optional.empty(), Optional.of(Duration.ofMillis(750)), Optional.of(Duration.ofMillis(750))),
                    ref.askTimeouts());
        }

        @Test
        void theDefaultMethodIsNotAMessage() {
            LoopbackRef<Account, AccountMessage> ref = registry.host("/user/account", AccountProtocol.INSTANCE, new AccountImpl());
            assertEquals("named", ref.proxy().describe());
            assertTrue(ref.delivered().isEmpty());
            assertEquals(List.of("balance", "deposit", "name", "rename"), names(AccountProtocol.INSTANCE));
            for (Class<?> type : AccountMessage.class.getPermittedSubclasses()) {
                assertFalse(type.getSimpleName().equalsIgnoreCase("describe"), type.getName());
                assertFalse(type.getSimpleName().equalsIgnoreCase("euros"), type.getName());
            }
            assertEquals(4, AccountMessage.class.getPermittedSubclasses().length);
        }
    }

    @Nested
    class NestedProtocol {

        @Test
        void aNestedProtocolGetsJoinedNamesAndWorks() throws Exception {
            AtomicInteger adjusted = new AtomicInteger();
            Services.Clock impl = new Services.Clock() {
                @Override
                public CompletableFuture<Long> now() {
                    return CompletableFuture.completedFuture(1_000L + adjusted.get());
                }

                @Override
                public void adjust(long millis) {
                    adjusted.addAndGet((int) millis);
                }
            };
            LoopbackRef<Services.Clock, Services_ClockMessage> ref =
                    registry.host("/user/clock", Services_ClockProtocol.INSTANCE, impl);
            Services.Clock clock = new Services_ClockRef(ref);
            clock.adjust(-250);
            assertEquals(750L, await(clock.now()));

            assertEquals(List.of(new Services_ClockMessage.Adjust(-250), new Services_ClockMessage.Now()), ref.delivered());
            assertEquals("io.spinoff.processor.samples.Services_ClockRef",
                    GeneratedNames.refType(Services.Clock.class.getName()));
            assertEquals(Services_ClockRef.class.getName(), GeneratedNames.refType(Services.Clock.class.getName()));
            assertEquals(Services_ClockMessage.class.getName(),
                    GeneratedNames.messageType(Services.Clock.class.getName()));
            assertEquals(Services_ClockProtocol.class.getName(),
                    GeneratedNames.definitionType(Services.Clock.class.getName()));
            assertEquals("io.spinoff.processor.samples.Services$Clock", Services_ClockProtocol.INSTANCE.name());
            assertTrue(new Services_ClockMessage.Now().toString().endsWith("Clock.now()"),
                    new Services_ClockMessage.Now().toString());
        }
    }

    /**
     * An inventory that keeps what it is told and answers from it. Inside a class that implements
     * Inventory, Shelf means the member type Inventory.Shelf: the top-level Shelf needs its qualified
     * name here, as it does in the generated proxy.
     */
    static final class InventoryImpl implements Inventory {
        final List<Inventory.Stock> stocked = new ArrayList<>();
        final List<Object> shelved = new ArrayList<>();

        @Override
        public void stock(Inventory.Stock stock) {
            stocked.add(stock);
        }

        @Override
        public CompletionStage<Inventory.Stock> count(String item) {
            int count = stocked.stream().filter(s -> s.item().equals(item)).mapToInt(Inventory.Stock::count).sum();
            return CompletableFuture.completedFuture(new Inventory.Stock(item, count));
        }

        @Override
        public void shelve(String item, io.spinoff.processor.samples.Shelf shelf, Inventory.Shelf level) {
            shelved.addAll(List.of(item, shelf, level));
        }

        @Override
        public CompletionStage<List<io.spinoff.processor.samples.Shelf>> shelves(String item) {
            List<io.spinoff.processor.samples.Shelf> shelves = new ArrayList<>();
            for (int i = 0; i < shelved.size(); i += 3) {
                if (shelved.get(i).equals(item)) {
                    shelves.add((io.spinoff.processor.samples.Shelf) shelved.get(i + 1));
                }
            }
            return CompletableFuture.completedFuture(shelves);
        }
    }

    /** Member types that share simple names with generated and neighbouring types: see NAMING.md. */
    @Nested
    class MemberTypesNamedLikeOtherTypes {

        @Test
        void aMemberTypeNamedLikeItsMessageRecordCrossesTheWire() throws Exception {
            InventoryImpl impl = new InventoryImpl();
            LoopbackRef<Inventory, InventoryMessage> ref =
                    registry.host("/user/inventory", InventoryProtocol.INSTANCE, impl);
            Inventory inventory = new InventoryRef(ref);

            inventory.stock(new Inventory.Stock("apples", 3));
            inventory.stock(new Inventory.Stock("apples", 4));

            assertEquals(List.of(new Inventory.Stock("apples", 3), new Inventory.Stock("apples", 4)), impl.stocked);
            assertEquals(new Inventory.Stock("apples", 7), await(inventory.count("apples")));
            InventoryMessage.Stock message = new InventoryMessage.Stock(new Inventory.Stock("apples", 3));
            assertEquals(message, ref.delivered().get(0));
            assertEquals("Inventory.stock(Stock[item=apples, count=3])", message.toString());
        }

        @Test
        void theProxyPassesTheTopLevelTypeThatAMemberTypeHides() throws Exception {
            InventoryImpl impl = new InventoryImpl();
            Inventory inventory = registry.host("/user/inventory", InventoryProtocol.INSTANCE, impl).proxy();

            inventory.shelve("apples", new Shelf("A", 1), new Inventory.Shelf(2));
            inventory.shelve("pears", new Shelf("B", 4), new Inventory.Shelf(0));
            inventory.shelve("apples", new Shelf("C", 9), new Inventory.Shelf(1));

            assertEquals(List.of("apples", new Shelf("A", 1), new Inventory.Shelf(2),
                    "pears", new Shelf("B", 4), new Inventory.Shelf(0),
                    "apples", new Shelf("C", 9), new Inventory.Shelf(1)), impl.shelved);
            assertEquals(List.of(new Shelf("A", 1), new Shelf("C", 9)), await(inventory.shelves("apples")));
        }
    }

    @Nested
    class LocalProtocol {

        @Test
        void aLocalProtocolPassesARunnableAsItIs() throws Exception {
            List<Runnable> received = new ArrayList<>();
            LocalOnly impl = new LocalOnly() {
                @Override
                public void run(Runnable task) {
                    received.add(task);
                    task.run();
                }

                @Override
                public CompletionStage<Thread> thread(Supplier<String> name) {
                    return CompletableFuture.completedFuture(new Thread(() -> { }, name.get()));
                }
            };
            LoopbackRef<LocalOnly, LocalOnlyMessage> ref = registry.host("/user/local", LocalOnlyProtocol.INSTANCE, impl);
            LocalOnly local = ref.proxy();
            assertInstanceOf(LocalOnlyRef.class, local);

            AtomicInteger runs = new AtomicInteger();
            Runnable task = runs::incrementAndGet;
            local.run(task);
            assertEquals(1, runs.get());
            assertSame(task, received.get(0));
            assertSame(task, ((LocalOnlyMessage.Run) ref.delivered().get(0)).task());

            Thread thread = await(local.thread(() -> "worker-7"));
            assertEquals("worker-7", thread.getName());
            assertNull(ref.lastEncoding());
            assertEquals(List.of(Optional.empty()), ref.askTimeouts());
        }

        @Test
        void aLocalProtocolHasNoCodec() {
            LocalOnlyProtocol local = LocalOnlyProtocol.INSTANCE;
            assertTrue(local.local());
            CodecException encode = assertThrows(CodecException.class,
                    () -> local.encode(new LocalOnlyMessage.Run(() -> { }), new WireWriter()));
            assertTrue(encode.getMessage().contains("local = true"), encode.getMessage());
            assertTrue(encode.getMessage().contains(LocalOnly.class.getName()), encode.getMessage());
            CodecException decode = assertThrows(CodecException.class, () -> local.decode(new WireReader(new byte[] {0})));
            assertTrue(decode.getMessage().contains("local = true"), decode.getMessage());
            CodecException reply = assertThrows(CodecException.class,
                    () -> local.encodeReply(1, Thread.currentThread(), new WireWriter()));
            assertTrue(reply.getMessage().contains("local = true"), reply.getMessage());
            assertThrows(CodecException.class, () -> local.decodeReply(1, new WireReader(new byte[] {0})));
            for (ProtocolDefinition<?, ?> definition : ALL) {
                assertEquals(definition == local, definition.local(), definition.name());
            }
        }
    }

    @Nested
    class AskOutcomes {

        @Test
        void anImplementationThatThrowsFailsTheFutureWithThatException() {
            IllegalStateException boom = new IllegalStateException("boom");
            Counter counter = registry.host("/user/counter", CounterProtocol.INSTANCE, new CounterImpl() {
                @Override
                public CompletionStage<Integer> get() {
                    throw boom;
                }
            }).proxy();
            CompletionStage<Integer> reply = counter.get();
            assertNotNull(reply);
            assertSame(boom, failureOf(reply));
        }

        @Test
        void aReturnedStageThatFailsFailsTheFuture() {
            IllegalArgumentException bad = new IllegalArgumentException("bad");
            Counter counter = registry.host("/user/counter", CounterProtocol.INSTANCE, new CounterImpl() {
                @Override
                public CompletionStage<Integer> get() {
                    return CompletableFuture.failedFuture(bad);
                }

                @Override
                public CompletableFuture<Void> reset() {
                    return CompletableFuture.<Void>completedFuture(null).thenApply(v -> {
                        throw bad;
                    });
                }
            }).proxy();
            assertSame(bad, failureOf(counter.get()));
            assertSame(bad, failureOf(counter.reset()));
        }

        @Test
        void aStageThatFailsLaterFailsTheFutureThen() {
            CompletableFuture<Integer> pending = new CompletableFuture<>();
            Counter counter = registry.host("/user/counter", CounterProtocol.INSTANCE, new CounterImpl() {
                @Override
                public CompletionStage<Integer> get() {
                    return pending;
                }
            }).proxy();
            CompletableFuture<Integer> reply = counter.get().toCompletableFuture();
            assertFalse(reply.isDone());
            UnsupportedOperationException later = new UnsupportedOperationException("later");
            pending.completeExceptionally(later);
            assertSame(later, failureOf(reply));
        }

        @Test
        void aStageCompletedLaterCompletesTheFutureThen() throws Exception {
            CompletableFuture<Integer> pending = new CompletableFuture<>();
            Counter counter = registry.host("/user/counter", CounterProtocol.INSTANCE, new CounterImpl() {
                @Override
                public CompletionStage<Integer> get() {
                    return pending;
                }
            }).proxy();
            CompletionStage<Integer> reply = counter.get();
            assertFalse(reply.toCompletableFuture().isDone());
            pending.complete(99);
            assertEquals(99, await(reply));
        }

        @Test
        void aNullStageFailsTheFutureClearly() {
            Counter counter = registry.host("/user/counter", CounterProtocol.INSTANCE, new CounterImpl() {
                @Override
                public CompletionStage<Integer> get() {
                    return null;
                }
            }).proxy();
            Throwable failure = failureOf(counter.get());
            assertInstanceOf(IllegalStateException.class, failure);
            assertTrue(failure.getMessage().contains("Counter.get returned null"), failure.getMessage());
        }

        @Test
        void aNullReplyValueArrivesAsNull() throws Exception {
            Counter counter = registry.host("/user/counter", CounterProtocol.INSTANCE, new CounterImpl() {
                @Override
                public CompletionStage<Integer> get() {
                    return CompletableFuture.completedFuture(null);
                }
            }).proxy();
            assertNull(await(counter.get()));
        }
    }

    @Nested
    class RecordText {

        @Test
        void recordsReadLikeTheCall() {
            assertEquals("Counter.increment(5)", new CounterMessage.Increment(5).toString());
            assertEquals("Counter.increment(-1)", new CounterMessage.Increment(-1).toString());
            assertEquals("Counter.get()", new CounterMessage.Get().toString());
            assertEquals("Counter.reset()", new CounterMessage.Reset().toString());
            assertEquals("Account.deposit(250)", new AccountMessage.Deposit(250).toString());
            assertEquals("Account.rename(\"x\")", new AccountMessage.Rename("x").toString());
            assertEquals("Account.rename(null)", new AccountMessage.Rename(null).toString());
            assertEquals("Acker.ack(\"hi\")", new AckerMessage.Ack("hi").toString());
            assertEquals("Greeter.greetAndWait(\"hi\")", new GreeterMessage.GreetAndWait("hi").toString());

            LoopbackRef<Acker, AckerMessage> acker = registry.host("/user/acker", AckerProtocol.INSTANCE, new AckerImpl());
            String greet = new GreeterMessage.Greet("hi", acker.proxy()).toString();
            assertTrue(greet.startsWith("Greeter.greet(\"hi\", "), greet);
            assertTrue(greet.endsWith(")"), greet);
            assertTrue(greet.contains("/user/acker"), greet);

            assertEquals("AllTypes.arrays([1, 2], null, [], null, [3], null, null, [0.5])",
                    new AllTypesMessage.Arrays(new byte[] {1, 2}, null, new short[0], null, new int[] {3}, null, null,
                            new double[] {0.5}).toString());
            assertEquals("AllTypes.primitives(true, 1, 2, 'c', 4, 5, 1.5, 2.5)",
                    new AllTypesMessage.Primitives(true, (byte) 1, (short) 2, 'c', 4, 5L, 1.5f, 2.5).toString());
            assertEquals("AllTypes.boxes(null, null, null, 'x', null, null, null, null)",
                    new AllTypesMessage.Boxes(null, null, null, 'x', null, null, null, null).toString());
            assertEquals("AllTypes.collections([a, null], null, null, Optional.empty, null)",
                    new AllTypesMessage.Collections(listOf("a", null), null, null, Optional.empty(), null).toString());
        }
    }

    @SafeVarargs
    private static <T> List<T> listOf(T... elements) {
        return new ArrayList<>(java.util.Arrays.asList(elements));
    }

    @Nested
    class ProxyIdentity {

        @Test
        void proxiesFollowTheAddressOfTheirRef() {
            LoopbackRef<Counter, CounterMessage> a = registry.host("/user/a", CounterProtocol.INSTANCE, new CounterImpl());
            LoopbackRef<Counter, CounterMessage> b = registry.host("/user/b", CounterProtocol.INSTANCE, new CounterImpl());

            Counter a1 = new CounterRef(a);
            Counter a2 = CounterProtocol.INSTANCE.proxy(a);
            Counter b1 = new CounterRef(b);
            assertEquals(a1, a2);
            assertEquals(a1.hashCode(), a2.hashCode());
            assertEquals(a.hashCode(), a1.hashCode());
            assertNotEquals(a1, b1);
            assertNotEquals(a1, null);
            assertEquals("CounterRef[/user/a]", a1.toString());
            assertEquals("CounterRef[/user/b]", b1.toString());
            assertSame(a, io.spinoff.api.support.ProtocolProxy.actorRefOf(a1));
            assertNull(io.spinoff.api.support.ProtocolProxy.actorRefOf(new CounterImpl()));

            // a ref with the same address is the same actor, whatever object holds it
            ActorRef<Object> sameAddress = new AddressOnly("/user/a");
            assertEquals(new CounterRef(sameAddress), new CounterRef(new AddressOnly("/user/a")));
            assertEquals(new CounterRef(sameAddress).hashCode(), new CounterRef(new AddressOnly("/user/a")).hashCode());
            assertEquals("AccountRef[/user/x]", new AccountRef(new AddressOnly("/user/x")).toString());
            assertTrue(new Services_ClockRef(new AddressOnly("/user/c")).toString().contains("/user/c"));
            Set<Counter> set = new HashSet<>(List.of(a1, a2, b1));
            assertEquals(2, set.size());
            assertThrows(NullPointerException.class, () -> new CounterRef(null));
        }
    }

    /** A reference that is only an address. */
    record AddressOnly(String address) implements ActorRef<Object> {
        @Override
        public void tell(Object message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <R> CompletableFuture<R> ask(Ask<R> message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <R> CompletableFuture<R> ask(Ask<R> message, Duration timeout) {
            throw new UnsupportedOperationException();
        }
    }

    @Nested
    class Definitions {

        @Test
        void ofFindsTheGeneratedInstance() {
            assertSame(CounterProtocol.INSTANCE, ProtocolDefinition.of(Counter.class));
            assertSame(AllTypesProtocol.INSTANCE, ProtocolDefinition.of(AllTypes.class));
            assertSame(GreeterProtocol.INSTANCE, ProtocolDefinition.of(Greeter.class));
            assertSame(AckerProtocol.INSTANCE, ProtocolDefinition.of(Acker.class));
            assertSame(AccountProtocol.INSTANCE, ProtocolDefinition.of(Account.class));
            assertSame(Services_ClockProtocol.INSTANCE, ProtocolDefinition.of(Services.Clock.class));
            assertSame(Services_ClockProtocol.INSTANCE, ProtocolDefinition.ofMessage(Services_ClockMessage.Now.class));
            assertNull(ProtocolDefinition.ofMessage(String.class));
            assertSame(LocalOnlyProtocol.INSTANCE, ProtocolDefinition.of(LocalOnly.class));
            assertSame(InventoryProtocol.INSTANCE, ProtocolDefinition.of(Inventory.class));
            for (ProtocolDefinition<?, ?> definition : ALL) {
                assertSame(definition, ProtocolDefinition.of(definition.protocolType()));
                assertEquals(definition.protocolType().getName(), definition.name());
                assertTrue(definition.messageType().isSealed(), definition.name());
                assertEquals(GeneratedNames.messageType(definition.name()),
                        definition.messageType().getName());
                assertEquals(GeneratedNames.definitionType(definition.name()),
                        definition.getClass().getName());
                for (Class<?> record : definition.messageType().getPermittedSubclasses()) {
                    assertSame(definition, ProtocolDefinition.ofMessage(record), record.getName());
                }
            }
        }

        @Test
        void forNameFindsANestedProtocol() {
            ClassLoader loader = getClass().getClassLoader();
            assertSame(Services_ClockProtocol.INSTANCE,
                    ProtocolDefinition.forName("io.spinoff.processor.samples.Services$Clock", loader));
            assertSame(CounterProtocol.INSTANCE, ProtocolDefinition.forName("io.spinoff.processor.samples.Counter", loader));
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> ProtocolDefinition.forName("io.spinoff.processor.samples.Services.Clock", loader));
            assertTrue(missing.getMessage().contains("Services.Clock"), missing.getMessage());
        }

        @Test
        void ofANonProtocolInterfaceNamesTheFix() {
            for (Class<?> type : List.of(Named.class, Runnable.class, String.class)) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProtocolDefinition.of(type));
                assertTrue(e.getMessage().contains(type.getName()), e.getMessage());
                assertTrue(e.getMessage().contains("annotate the interface with @io.spinoff.api.ActorProtocol"), e.getMessage());
            }
        }

        @Test
        void fingerprintsAreStableAndDistinct() {
            Map<Long, String> seen = new java.util.HashMap<>();
            for (ProtocolDefinition<?, ?> definition : ALL) {
                long fingerprint = definition.fingerprint();
                assertEquals(fingerprint, definition.fingerprint());
                assertEquals(fingerprint, ProtocolDefinition.of(definition.protocolType()).fingerprint());
                assertNotEquals(0L, fingerprint, definition.name());
                String previous = seen.put(fingerprint, definition.name());
                assertNull(previous, () -> definition.name() + " has the fingerprint of " + previous);
                assertTrue(definition.toString().contains(Long.toHexString(fingerprint)), definition.toString());
            }
        }

        @Test
        void methodsAreInNameOrderWithIndexesFromZero() {
            assertEquals(List.of("get", "increment", "reset"), names(CounterProtocol.INSTANCE));
            assertEquals(List.of("arrays", "boxes", "collections", "echoBytes", "echoOptional", "echoShape", "echoTrees",
                    "primitives", "references", "scalars", "shapes"), names(AllTypesProtocol.INSTANCE));
            assertEquals(List.of("greet", "greetAndWait"), names(GreeterProtocol.INSTANCE));
            assertEquals(List.of("adjust", "now"), names(Services_ClockProtocol.INSTANCE));
            assertEquals(List.of("run", "thread"), names(LocalOnlyProtocol.INSTANCE));
            for (ProtocolDefinition<?, ?> definition : ALL) {
                List<MethodDescriptor> methods = definition.methods();
                List<String> names = names(definition);
                List<String> sorted = new ArrayList<>(names);
                sorted.sort(null);
                assertEquals(sorted, names, definition.name());
                assertEquals(definition.messageType().getPermittedSubclasses().length, methods.size(), definition.name());
                for (int i = 0; i < methods.size(); i++) {
                    assertEquals(i, methods.get(i).index(), definition.name());
                    if (!methods.get(i).ask()) {
                        assertEquals(Optional.empty(), methods.get(i).askTimeout(), methods.get(i).name());
                    }
                }
            }
            assertTrue(CounterProtocol.GET.ask());
            assertFalse(CounterProtocol.INCREMENT.ask());
            assertTrue(CounterProtocol.RESET.ask());
            assertSame(CounterProtocol.INCREMENT, CounterProtocol.INSTANCE.method(new CounterMessage.Increment(1)));
            assertSame(CounterProtocol.GET, CounterProtocol.INSTANCE.method(new CounterMessage.Get()));
            assertSame(AccountProtocol.NAME, AccountProtocol.INSTANCE.method(new AccountMessage.Name()));
            assertEquals(Optional.of(Duration.ofMillis(750)), AccountProtocol.BALANCE.askTimeout());
        }

        @Test
        void dispatchReturnsNullForATellAndTheStageForAnAsk() throws Exception {
            CounterImpl impl = new CounterImpl();
            assertNull(CounterProtocol.INSTANCE.dispatch(impl, new CounterMessage.Increment(3)));
            assertEquals(3, await(CounterProtocol.INSTANCE.dispatch(impl, new CounterMessage.Get())));
        }

        @Test
        void anUnknownMethodIndexIsACodecException() {
            for (ProtocolDefinition<?, ?> definition : ALL) {
                if (definition.local()) {
                    continue;
                }
                WireWriter out = new WireWriter();
                out.writeVarint(definition.methods().size());
                CodecException e = assertThrows(CodecException.class,
                        () -> definition.decode(new WireReader(out.toByteArray())), definition.name());
                assertTrue(e.getMessage().contains("Unknown method index"), e.getMessage());
            }
        }
    }

    private static List<String> names(ProtocolDefinition<?, ?> definition) {
        return definition.methods().stream().map(MethodDescriptor::name).toList();
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(String.format("%02x", b & 0xFF));
        }
        return text.toString();
    }
}
