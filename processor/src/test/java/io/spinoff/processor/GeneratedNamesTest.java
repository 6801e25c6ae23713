package io.spinoff.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.processor.testing.LoopbackRef;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * Protocols whose types share simple names with generated types (see {@code processor/NAMING.md}):
 * a member type named like a message record, a message record named like a type the protocol uses,
 * a member type that hides a type of the protocol's package inside the proxy (which implements the
 * protocol and so inherits its member types), a member type named like a generated type or like a
 * type the proxy imports. Each compiles without a warning under {@code -Xlint:all -Werror}, names
 * the right types, and runs: every call goes through the generated proxy, the message codec, the
 * dispatch table and the reply codec to an implementation, which must receive the very types sent.
 * In the unnamed package, where a hidden type cannot be written qualified, the hiding is an error.
 */
class GeneratedNamesTest {

    @Test
    void memberTypeNamedLikeAMessageRecord() throws Exception {
        JavaFileObject inventory = source("p.Inventory",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "import java.util.List;",
                "import java.util.concurrent.CompletionStage;",
                "@ActorProtocol",
                "public interface Inventory {",
                "    record Stock(String item, int count) {}",
                "    void stock(Stock stock);",
                "    CompletionStage<Stock> count(String item);",
                "    CompletionStage<List<Stock>> all(List<Stock> seed);",
                "}");

        Compilation compilation = compileCleanly(inventory);

        String messages = contents(compilation, "p.InventoryMessage");
        assertThat(messages).contains("record Stock(Inventory.Stock stock) implements InventoryMessage");
        assertThat(messages).contains("record All(List<Inventory.Stock> seed) implements InventoryMessage");
        String proxy = contents(compilation, "p.InventoryRef");
        assertThat(proxy).contains("public void stock(Inventory.Stock stock)");
        assertThat(proxy).contains("this.ref.tell(new InventoryMessage.Stock(stock));");
        assertThat(proxy).contains("public CompletionStage<Inventory.Stock> count(String item)");

        Run run = new Run(compilation, "p.Inventory", (method, arguments) -> switch (method) {
            case "count" -> newInstance(compilation, "p.Inventory$Stock", arguments[0], 7);
            case "all" -> arguments[0];
            default -> null;
        });
        Object apples = run.newInstance("p.Inventory$Stock", "apples", 3);
        run.call("stock", apples);
        assertThat(run.received()).containsExactly("stock", List.of(apples));
        assertThat(run.delivered().get(0).getClass().getName()).isEqualTo("p.InventoryMessage$Stock");
        assertThat(run.call("count", "pears")).isEqualTo(run.newInstance("p.Inventory$Stock", "pears", 7));
        assertThat(run.call("all", List.of(apples))).isEqualTo(List.of(apples));
    }

    @Test
    void messageRecordNamedLikeATypeOfTheProtocolsPackage() throws Exception {
        JavaFileObject stock = source("p.Stock",
                "package p;",
                "public record Stock(String item, int count) {}");
        JavaFileObject inventory = source("p.Inventory",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "@ActorProtocol",
                "public interface Inventory {",
                "    void stock(Stock stock);",
                "    void inventory(Inventory other);",
                "}");

        Compilation compilation = compileCleanly(stock, inventory);

        String messages = contents(compilation, "p.InventoryMessage");
        assertThat(messages).contains("record Stock(p.Stock stock) implements InventoryMessage");
        assertThat(messages).contains("record Inventory(p.Inventory other) implements InventoryMessage");

        Run run = new Run(compilation, "p.Inventory", (method, arguments) -> null);
        Object apples = run.newInstance("p.Stock", "apples", 3);
        run.call("stock", apples);
        run.call("inventory", run.proxy());
        assertThat(run.received()).containsExactly("stock", List.of(apples), "inventory", List.of(run.proxy()))
                .inOrder();
        assertThat(run.delivered().get(0).getClass().getName()).isEqualTo("p.InventoryMessage$Stock");
    }

    @Test
    void memberTypeHidesATypeOfTheProtocolsPackageInTheProxy() throws Exception {
        JavaFileObject shelf = source("p.Shelf",
                "package p;",
                "public record Shelf(String aisle, int number) {}");
        JavaFileObject inventory = source("p.Inventory",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "import java.util.List;",
                "import java.util.concurrent.CompletionStage;",
                "@ActorProtocol",
                "public interface Inventory {",
                "    record Shelf(int level) {}",
                "    void shelve(String item, p.Shelf shelf, Shelf level);",
                "    CompletionStage<List<p.Shelf>> shelves(Shelf level);",
                "}");

        Compilation compilation = compileCleanly(shelf, inventory);

        String proxy = contents(compilation, "p.InventoryRef");
        assertThat(proxy).contains("public void shelve(String item, p.Shelf shelf, Inventory.Shelf level)");
        assertThat(proxy).contains("public CompletionStage<List<p.Shelf>> shelves(Inventory.Shelf level)");
        assertThat(proxy).contains("{@link Inventory#shelve(String, p.Shelf, Inventory.Shelf)}");

        Run run = new Run(compilation, "p.Inventory", (method, arguments) ->
                List.of(newInstance(compilation, "p.Shelf", "A", 1), newInstance(compilation, "p.Shelf", "B", 2)));
        Object topLevel = run.newInstance("p.Shelf", "C", 3);
        Object member = run.newInstance("p.Inventory$Shelf", 4);
        run.call("shelve", "apples", topLevel, member);
        assertThat(run.received()).containsExactly("shelve", List.of("apples", topLevel, member));
        assertThat(run.call("shelves", member))
                .isEqualTo(List.of(run.newInstance("p.Shelf", "A", 1), run.newInstance("p.Shelf", "B", 2)));
    }

    @Test
    void memberTypeOfASuperInterfaceHidesATypeOfTheProtocolsPackageInTheProxy() throws Exception {
        JavaFileObject item = source("p.Item",
                "package p;",
                "public record Item(String name) {}");
        JavaFileObject catalog = source("p.Catalog",
                "package p;",
                "public interface Catalog {",
                "    record Item(long id) {}",
                "    void list(Item item);",
                "}");
        JavaFileObject inventory = source("p.Inventory",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "@ActorProtocol",
                "public interface Inventory extends Catalog {",
                "    void add(p.Item item);",
                "}");

        Compilation compilation = compileCleanly(item, catalog, inventory);

        String proxy = contents(compilation, "p.InventoryRef");
        assertThat(proxy).contains("public void add(p.Item item)");
        assertThat(proxy).contains("public void list(Catalog.Item item)");

        Run run = new Run(compilation, "p.Inventory", (method, arguments) -> null);
        Object topLevel = run.newInstance("p.Item", "pen");
        Object member = run.newInstance("p.Catalog$Item", 9L);
        run.call("add", topLevel);
        run.call("list", member);
        assertThat(run.received()).containsExactly("add", List.of(topLevel), "list", List.of(member)).inOrder();
    }

    @Test
    void memberTypesNamedLikeTheGeneratedTypes() throws Exception {
        JavaFileObject inventory = source("p.Inventory",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "import java.util.concurrent.CompletionStage;",
                "@ActorProtocol",
                "public interface Inventory {",
                "    record InventoryMessage(String text) {}",
                "    record InventoryRef(String text) {}",
                "    record InventoryProtocol(String text) {}",
                "    void note(InventoryMessage message, InventoryRef ref);",
                "    CompletionStage<InventoryProtocol> protocol();",
                "}");

        Compilation compilation = compileCleanly(inventory);

        String proxy = contents(compilation, "p.InventoryRef");
        assertThat(proxy).contains("public InventoryRef(ActorRef<? super p.InventoryMessage> ref)");
        assertThat(proxy).contains("this.ref.tell(new p.InventoryMessage.Note(message, ref));");
        assertThat(proxy).contains("return this.ref.ask(p.InventoryMessage.Protocol.INSTANCE);");

        Run run = new Run(compilation, "p.Inventory", (method, arguments) ->
                newInstance(compilation, "p.Inventory$InventoryProtocol", "the protocol"));
        Object message = run.newInstance("p.Inventory$InventoryMessage", "a message");
        Object ref = run.newInstance("p.Inventory$InventoryRef", "a ref");
        run.call("note", message, ref);
        assertThat(run.received()).containsExactly("note", List.of(message, ref));
        assertThat(run.call("protocol")).isEqualTo(run.newInstance("p.Inventory$InventoryProtocol", "the protocol"));
    }

    @Test
    void memberTypesNamedLikeTypesTheProxyImports() throws Exception {
        JavaFileObject clock = source("p.Clock",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "import io.spinoff.api.AskTimeout;",
                "@ActorProtocol",
                "public interface Clock {",
                "    record Duration(long ticks) {}",
                "    enum ChronoUnit { TICKS }",
                "    enum Override { NOW }",
                "    record CompletionStage(int stage) {}",
                "    record ActorRef(String path) {}",
                "    record Generated(int by) {}",
                "    @AskTimeout(5000)",
                "    java.util.concurrent.CompletionStage<Duration> elapsed(ChronoUnit unit, Override when,",
                "            CompletionStage stage, ActorRef ref, Generated generated);",
                "}");

        Compilation compilation = compileCleanly(clock);

        String proxy = contents(compilation, "p.ClockRef");
        assertThat(proxy).contains("@java.lang.Override");
        assertThat(proxy).contains("java.util.concurrent.CompletionStage<Clock.Duration> elapsed(");

        Run run = new Run(compilation, "p.Clock", (method, arguments) -> newInstance(compilation, "p.Clock$Duration", 42L));
        Object[] arguments = {
            run.enumConstant("p.Clock$ChronoUnit", "TICKS"),
            run.enumConstant("p.Clock$Override", "NOW"),
            run.newInstance("p.Clock$CompletionStage", 1),
            run.newInstance("p.Clock$ActorRef", "/user/clock"),
            run.newInstance("p.Clock$Generated", 2),
        };
        assertThat(run.call("elapsed", arguments)).isEqualTo(run.newInstance("p.Clock$Duration", 42L));
        assertThat(run.received()).containsExactly("elapsed", List.of(arguments));
    }

    @Test
    void inTheUnnamedPackageAHiddenTypeIsAnError() {
        JavaFileObject shop = source("Shop",
                "import io.spinoff.api.ActorProtocol;",
                "@ActorProtocol",
                "public interface Shop {",
                "    record ShopMessage(String text) {}",
                "    void note(ShopMessage message);",
                "}");

        Compilation compilation = compiler().compile(shop);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("[NameCollision] Inside the generated ShopRef, which implements Shop, member types"
                        + " of Shop hide ShopMessage of the unnamed package, which the proxy must name and cannot"
                        + " qualify; move Shop into a package, or rename the member types.")
                .inFile(shop).onLine(3);
    }

    @Test
    void inTheUnnamedPackageAMemberTypeNamedLikeAMessageRecordIsFine() throws Exception {
        JavaFileObject shop = source("Shop",
                "import io.spinoff.api.ActorProtocol;",
                "@ActorProtocol",
                "public interface Shop {",
                "    record Stock(int count) {}",
                "    void stock(Stock stock);",
                "}");

        Compilation compilation = compileCleanly(shop);

        Run run = new Run(compilation, "Shop", (method, arguments) -> null);
        Object stock = run.newInstance("Shop$Stock", 5);
        run.call("stock", stock);
        assertThat(run.received()).containsExactly("stock", List.of(stock));
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------

    private static Compiler compiler() {
        // A new processor per compilation: it keeps state across the rounds of one compilation.
        return Compiler.javac().withProcessors(new ActorProtocolProcessor());
    }

    private static Compilation compileCleanly(JavaFileObject... files) {
        Compilation compilation = compiler().withOptions("-Xlint:all", "-Werror").compile(files);
        assertThat(compilation).succeededWithoutWarnings();
        return compilation;
    }

    private static JavaFileObject source(String qualifiedName, String... lines) {
        return JavaFileObjects.forSourceLines(qualifiedName, lines);
    }

    private static String contents(Compilation compilation, String qualifiedName) {
        try {
            return compilation.generatedSourceFile(qualifiedName).orElseThrow().getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes an instance of a record of the compilation, by binary name, from its components. */
    private static Object newInstance(Compilation compilation, String binaryName, Object... components) {
        return loaderOf(compilation).newInstance(binaryName, components);
    }

    private static final Map<Compilation, CompiledClassLoader> LOADERS = new HashMap<>();

    private static synchronized CompiledClassLoader loaderOf(Compilation compilation) {
        return LOADERS.computeIfAbsent(compilation, CompiledClassLoader::new);
    }

    /**
     * One protocol of a compilation, hosted behind a {@link LoopbackRef}: its implementation records
     * every call and answers each ask with what {@code replies} gives for the method and arguments.
     * A call on {@link #proxy()} runs proxy, record, encode, bytes, decode, dispatch, implementation,
     * and for an ask the reply codec back.
     */
    private static final class Run {
        private final CompiledClassLoader loader;
        private final Class<?> protocol;
        private final List<Object> received = new ArrayList<>();
        private final LoopbackRef<Object, Object> ref;

        Run(Compilation compilation, String protocolName, BiFunction<String, Object[], Object> replies)
                throws ClassNotFoundException {
            loader = loaderOf(compilation);
            protocol = Class.forName(protocolName, true, loader);
            assertWithMessage("%s comes from the compilation", protocolName)
                    .that(protocol.getClassLoader()).isSameInstanceAs(loader);
            Object implementation = Proxy.newProxyInstance(loader, new Class<?>[] {protocol}, (self, method, arguments) -> {
                Object[] values = arguments == null ? new Object[0] : arguments;
                switch (method.getName()) {
                    case "equals" -> {
                        return self == values[0];
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(self);
                    }
                    case "toString" -> {
                        return "implementation of " + protocolName;
                    }
                    default -> {
                        // a message
                    }
                }
                synchronized (received) {
                    received.add(method.getName());
                    received.add(Arrays.asList(values));
                }
                if (method.getReturnType() == void.class) {
                    return null;
                }
                return CompletableFuture.completedFuture(replies.apply(method.getName(), values));
            });
            @SuppressWarnings("unchecked")
            ProtocolDefinition<Object, Object> definition =
                    (ProtocolDefinition<Object, Object>) ProtocolDefinition.of(protocol);
            assertWithMessage("definition of %s comes from the compilation", protocolName)
                    .that(definition.getClass().getClassLoader()).isSameInstanceAs(loader);
            ref = new LoopbackRef.Registry().host("/user/" + protocol.getSimpleName(), definition, implementation);
        }

        /** @return the generated proxy over the ref */
        Object proxy() {
            return ref.proxy();
        }

        /**
         * Calls a method of the protocol on the generated proxy.
         *
         * @return {@code null} for a tell; the reply of an ask
         */
        Object call(String method, Object... arguments) throws Exception {
            Method target = null;
            for (Method candidate : protocol.getMethods()) {
                if (candidate.getName().equals(method)) {
                    target = candidate;
                }
            }
            assertWithMessage("method %s of %s", method, protocol.getName()).that(target).isNotNull();
            Object result;
            try {
                result = target.invoke(proxy(), arguments);
            } catch (InvocationTargetException e) {
                throw e.getCause() instanceof Exception cause ? cause : e;
            }
            if (result == null) {
                return null;
            }
            return ((CompletionStage<?>) result).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }

        /** @return the method names and argument lists the implementation received, alternately */
        List<Object> received() {
            synchronized (received) {
                return List.copyOf(received);
            }
        }

        /** @return the messages the ref delivered, as decoded from their bytes */
        List<Object> delivered() {
            return ref.delivered();
        }

        Object newInstance(String binaryName, Object... components) {
            return loader.newInstance(binaryName, components);
        }

        Object enumConstant(String binaryName, String name) throws ClassNotFoundException {
            for (Object constant : Class.forName(binaryName, true, loader).getEnumConstants()) {
                if (((Enum<?>) constant).name().equals(name)) {
                    return constant;
                }
            }
            throw new AssertionError("no constant " + name + " in " + binaryName);
        }
    }

    /**
     * Defines the classes of one compilation itself (child first); delegates the rest, the api and
     * the test's own classes such as {@link LoopbackRef}, to the test's class loader.
     */
    private static final class CompiledClassLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> classes = new HashMap<>();

        CompiledClassLoader(Compilation compilation) {
            super("compiled-protocols", GeneratedNamesTest.class.getClassLoader());
            assertThat(compilation).succeeded();
            for (JavaFileObject file : compilation.generatedFiles()) {
                if (file.getKind() != JavaFileObject.Kind.CLASS) {
                    continue;
                }
                String path = file.toUri().getPath();
                int start = path.indexOf("/CLASS_OUTPUT/");
                String name = path.substring(start + "/CLASS_OUTPUT/".length(), path.length() - ".class".length())
                        .replace('/', '.');
                try (InputStream in = file.openInputStream()) {
                    classes.put(name, in.readAllBytes());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            byte[] bytes = classes.get(name);
            if (bytes == null) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    loaded = defineClass(name, bytes, 0, bytes.length);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }

        /** Makes an instance of a record of the compilation through its canonical constructor. */
        Object newInstance(String binaryName, Object... components) {
            try {
                Class<?> record = Class.forName(binaryName, true, this);
                Class<?>[] types = Arrays.stream(record.getRecordComponents()).map(RecordComponent::getType)
                        .toArray(Class<?>[]::new);
                Constructor<?> constructor = record.getDeclaredConstructor(types);
                return constructor.newInstance(components);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError("cannot make a " + binaryName + " of " + Arrays.toString(components), e);
            }
        }
    }
}
