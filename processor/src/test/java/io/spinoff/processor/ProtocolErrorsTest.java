package io.spinoff.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.testing.compile.CompilationSubject.assertThat;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the processor rejects, and how: every error ID of {@code ErrorId} has at least one failing
 * compilation here, checked for its message, the file and the line of the offending element. It
 * also checks that all errors of a compilation are reported together, that errors of inherited
 * methods land on the protocol, that protocols using types generated in the same compilation are
 * put off rather than rejected, that the forms SPEC §2 allows compile cleanly, and that the processor
 * claims its annotations, so that a build with {@code -Xlint:all -Werror} stays clean.
 *
 * <p>Most snippets are a protocol {@code p.Counter} built by {@link #counter}; the expected line of an
 * error is looked up with {@link #lineOf}, which insists that the fragment occurs exactly once.
 */
class ProtocolErrorsTest {

    // ---------------------------------------------------------------------------------------------
    // One test (or more) per error ID
    // ---------------------------------------------------------------------------------------------

    @Nested
    class NotAnInterface {

        @ParameterizedTest(name = "{1}")
        @CsvSource(delimiter = '|', value = {
            "public class Counter {}                | a class",
            "public enum Counter { ONE }            | an enum",
            "public record Counter(int value) {}    | a record",
            "public @interface Counter {}           | an annotation type",
        })
        void rejectsAnythingButAnInterface(String declaration, String kind) {
            JavaFileObject counter = source("p.Counter",
                    "package p;",
                    "import io.spinoff.api.ActorProtocol;",
                    "@ActorProtocol",
                    declaration);

            Compilation compilation = compile(counter);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[NotAnInterface] @ActorProtocol Counter is " + kind
                            + "; an actor protocol is an interface: declare Counter as an interface.")
                    .inFile(counter).onLine(4);
        }
    }

    @Test
    void genericProtocol() {
        JavaFileObject counter = source("p.Counter",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "@ActorProtocol",
                "public interface Counter<T> {",
                "    void increment(int by);",
                "}");

        Compilation compilation = compile(counter);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("[GenericProtocol] Counter declares type parameters <T>; an actor protocol"
                        + " cannot be generic: replace them with concrete types.")
                .inFile(counter).onLine(4);
    }

    @Nested
    class Inaccessible {

        @Test
        void privateNestedProtocol() {
            JavaFileObject outer = source("p.Outer",
                    "package p;",
                    "import io.spinoff.api.ActorProtocol;",
                    "public class Outer {",
                    "    @ActorProtocol",
                    "    private interface Counter {",
                    "        void increment(int by);",
                    "    }",
                    "}");

            Compilation compilation = compile(outer);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[Inaccessible] p.Outer.Counter is private, so generated code in package p"
                            + " cannot use it; make it package-private or public.")
                    .inFile(outer).onLine(lineOf(outer, "private interface Counter"));
        }

        @Test
        void privateNestedRecordOfTheEnclosingClass() {
            JavaFileObject outer = source("p.Outer",
                    "package p;",
                    "import io.spinoff.api.ActorProtocol;",
                    "public class Outer {",
                    "    private record Point(int x, int y) {}",
                    "    @ActorProtocol",
                    "    public interface Plotter {",
                    "        void plot(Point point);",
                    "    }",
                    "}");

            Compilation compilation = compile(outer);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[Inaccessible] Parameter 'point' of Plotter.plot(Point) has type Point,"
                            + " and p.Outer.Point is private, so generated code in package p cannot use it;"
                            + " make it package-private or public.")
                    .inFile(outer).onLine(lineOf(outer, "void plot"));
        }

        @Test
        void privateTypeInsideARecordComponent() {
            JavaFileObject outer = source("p.Outer",
                    "package p;",
                    "import io.spinoff.api.ActorProtocol;",
                    "public class Outer {",
                    "    private record Point(int x, int y) {}",
                    "    public record Segment(Point from, Point to) {}",
                    "    @ActorProtocol",
                    "    public interface Plotter {",
                    "        void draw(Segment segment);",
                    "    }",
                    "}");

            Compilation compilation = compile(outer);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[Inaccessible] Parameter 'segment' of Plotter.draw(Segment) has type Segment,"
                            + " and p.Outer.Point is private")
                    .inFile(outer).onLine(lineOf(outer, "void draw"));
        }

        @Test
        void privateMessageTypeOfAnActorRef() {
            JavaFileObject outer = source("p.Outer",
                    "package p;",
                    "import io.spinoff.api.ActorProtocol;",
                    "import io.spinoff.api.ActorRef;",
                    "public class Outer {",
                    "    private record Secret(int code) {}",
                    "    @ActorProtocol",
                    "    public interface Vault {",
                    "        void subscribe(ActorRef<Secret> listener);",
                    "    }",
                    "}");

            Compilation compilation = compile(outer);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[Inaccessible] Parameter 'listener' of Vault.subscribe(ActorRef<Secret>) has"
                            + " type ActorRef<Secret>, and p.Outer.Secret is private")
                    .inFile(outer).onLine(lineOf(outer, "void subscribe"));
        }

        @Test
        void privateTypeInALocalProtocol() {
            JavaFileObject outer = source("p.Outer",
                    "package p;",
                    "import io.spinoff.api.ActorProtocol;",
                    "public class Outer {",
                    "    private static final class Canvas {}",
                    "    @ActorProtocol(local = true)",
                    "    public interface Painter {",
                    "        void paint(Canvas canvas);",
                    "    }",
                    "}");

            Compilation compilation = compile(outer);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[Inaccessible] Painter.paint(Canvas) uses a type that generated code cannot"
                            + " name: p.Outer.Canvas is private")
                    .inFile(outer).onLine(lineOf(outer, "Canvas canvas"));
        }
    }

    @Nested
    class EmptyProtocol {

        @Test
        void noMethodAtAll() {
            JavaFileObject counter = counter();

            Compilation compilation = compile(counter);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[EmptyProtocol] Counter declares no abstract method; an actor protocol needs"
                            + " at least one: add a method.")
                    .inFile(counter).onLine(lineOf(counter, "interface Counter"));
        }

        @Test
        void onlyDefaultAndStaticMethods() {
            JavaFileObject counter = counter(
                    "default void increment() {}",
                    "static Counter none() { return null; }");

            Compilation compilation = compile(counter);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[EmptyProtocol] Counter declares no abstract method")
                    .inFile(counter).onLine(lineOf(counter, "interface Counter"));
        }
    }

    @Test
    void genericMethod() {
        JavaFileObject counter = counter(
                "void increment(int by);",
                "<T extends Number> void put(String value);");

        Compilation compilation = compile(counter);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("[GenericMethod] Counter.put(String) declares type parameters <T>; an actor method"
                        + " cannot be generic: use concrete types.")
                .inFile(counter).onLine(lineOf(counter, "void put"));
    }

    @Test
    void overloadedMethod() {
        JavaFileObject counter = counter(
                "void add(int amount);",
                "void add(String amount);");

        Compilation compilation = compile(counter);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("[OverloadedMethod] Counter.add(String) overloads Counter.add(int); each method"
                        + " name becomes a message record: give each method its own name.")
                .inFile(counter).onLine(lineOf(counter, "add(String"));
    }

    @Test
    void checkedExceptionIsAnErrorButARuntimeExceptionIsFine() {
        JavaFileObject counter = counter(
                "void load(String path) throws java.io.IOException;",
                "void check(int value) throws IllegalArgumentException;");

        Compilation compilation = compile(counter);

        assertThat(compilation).hadErrorCount(1);
        assertThat(compilation)
                .hadErrorContaining("[CheckedException] Counter.load(String) declares checked exception"
                        + " java.io.IOException; an actor method reports failure by failing its returned stage (an"
                        + " ask) or by throwing an unchecked exception: remove the throws clause.")
                .inFile(counter).onLine(lineOf(counter, "void load"));
    }

    @Nested
    class BadReturnType {

        @Test
        void stringReturnNamesEveryAllowedReturnType() {
            JavaFileObject counter = counter(
                    "void increment(int by);",
                    "String name();");

            Compilation compilation = compile(counter);

            String expected = "[BadReturnType] Counter.name() returns String; an actor method returns void (tell),"
                    + " CompletionStage<T> or CompletableFuture<T> (ask): change the return type to one of these.";
            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation).hadErrorContaining(expected)
                    .inFile(counter).onLine(lineOf(counter, "String name()"));
            assertThat(compilation.errors().get(0).getMessage(Locale.ROOT)).isEqualTo(expected);
        }

        @Test
        void rawCompletionStage() {
            JavaFileObject counter = counter("CompletionStage get();");

            Compilation compilation = compile(counter);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[BadReturnType] Counter.get() returns a raw CompletionStage; declare its reply"
                            + " type: CompletionStage<T>, with Void for no value.")
                    .inFile(counter).onLine(lineOf(counter, "get()"));
        }

        @Test
        void rawCompletableFuture() {
            JavaFileObject counter = counter("CompletableFuture reset();");

            Compilation compilation = compile(counter);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[BadReturnType] Counter.reset() returns a raw CompletableFuture; declare its"
                            + " reply type: CompletableFuture<T>, with Void for no value.")
                    .inFile(counter).onLine(lineOf(counter, "reset()"));
        }

        @Test
        void wildcardCompletionStage() {
            JavaFileObject counter = counter("CompletionStage<?> get();");

            Compilation compilation = compile(counter);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[BadReturnType] Counter.get() returns CompletionStage<?>; declare the reply"
                            + " type itself: CompletionStage<T>, with Void for no value.")
                    .inFile(counter).onLine(lineOf(counter, "get()"));
        }
    }

    @Nested
    class BadAskTimeout {

        @Test
        void onATell() {
            JavaFileObject counter = counter(
                    "@AskTimeout(5)",
                    "void increment(int by);");

            Compilation compilation = compile(counter);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[BadAskTimeout] Counter.increment(int) is a tell and gets no reply, so"
                            + " @AskTimeout does not apply: remove it, or make the method an ask by returning"
                            + " CompletionStage<T> or CompletableFuture<T>.")
                    .inFile(counter).onLine(lineOf(counter, "void increment"));
        }

        @Test
        void zeroValue() {
            JavaFileObject counter = counter(
                    "@AskTimeout(0)",
                    "CompletionStage<Integer> get();");

            Compilation compilation = compile(counter);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[BadAskTimeout] Counter.get() has @AskTimeout(0); a timeout must be positive:"
                            + " give a value above 0.")
                    .inFile(counter).onLine(lineOf(counter, "get()"));
        }
    }

    @Nested
    class NotTransportable {

        private static final String FIX = "use a transportable type (primitives, String, enums, records, List, Set,"
                + " Map, Optional, UUID, Instant, Duration, BigInteger, BigDecimal, byte[], actor protocols, ActorRef)"
                + " or declare @ActorProtocol(local = true).";

        /** One member per way of failing the rule; {@code Job} is declared after the protocol. */
        private static final String[] MEMBERS = {
            "void send(String label,",
            "          Object payload);",
            "void run(Job job);",
            "void tag(String[] tags);",
            "void addAll(List items);",
            "CompletionStage<Thread> worker();",
        };

        @Test
        void objectParameterIsNamedWithItsType() {
            JavaFileObject counter = counter(MEMBERS);

            Compilation compilation = compile(counter);

            assertThat(compilation)
                    .hadErrorContaining("[NotTransportable] Parameter 'payload' of Counter.send(String, Object) has"
                            + " type Object, which cannot cross the wire (java.lang.Object is not transportable); " + FIX)
                    .inFile(counter).onLine(lineOf(counter, "Object payload"));
        }

        @Test
        void recordWithAThreadComponent() {
            JavaFileObject counter = counter(MEMBERS);

            Compilation compilation = compile(counter);

            assertThat(compilation)
                    .hadErrorContaining("[NotTransportable] Parameter 'job' of Counter.run(Job) has type Job, which"
                            + " cannot cross the wire (component 'worker' of record p.Job: java.lang.Thread is not"
                            + " transportable)")
                    .inFile(counter).onLine(lineOf(counter, "void run"));
        }

        @Test
        void arrayOfString() {
            JavaFileObject counter = counter(MEMBERS);

            Compilation compilation = compile(counter);

            assertThat(compilation)
                    .hadErrorContaining("[NotTransportable] Parameter 'tags' of Counter.tag(String[]) has type"
                            + " String[], which cannot cross the wire (arrays of java.lang.String are not transportable;"
                            + " use a List)")
                    .inFile(counter).onLine(lineOf(counter, "void tag"));
        }

        @Test
        void rawList() {
            JavaFileObject counter = counter(MEMBERS);

            Compilation compilation = compile(counter);

            assertThat(compilation)
                    .hadErrorContaining("[NotTransportable] Parameter 'items' of Counter.addAll(List) has type List,"
                            + " which cannot cross the wire (raw List is not transportable; give its element type:"
                            + " List<T>)")
                    .inFile(counter).onLine(lineOf(counter, "void addAll"));
        }

        @Test
        void resultType() {
            JavaFileObject counter = counter(MEMBERS);

            Compilation compilation = compile(counter);

            assertThat(compilation)
                    .hadErrorContaining("[NotTransportable] Counter.worker() replies with Thread, which cannot cross"
                            + " the wire (java.lang.Thread is not transportable); " + FIX)
                    .inFile(counter).onLine(lineOf(counter, "worker()"));
        }

        @Test
        void eachFailureIsOneError() {
            assertThat(compile(counter(MEMBERS))).hadErrorCount(5);
        }

        @Test
        void localProtocolLiftsTheRule() {
            JavaFileObject counter = source("p.Counter", protocolLines("@ActorProtocol(local = true)", "public interface Counter {", MEMBERS));

            Compilation compilation = compile(counter);

            assertThat(compilation).succeededWithoutWarnings();
            assertThat(compilation).generatedSourceFile("p.CounterRef").isNotNull();
        }
    }

    @Nested
    class NameCollision {

        @Test
        void methodsDifferingOnlyInTheCaseOfTheirFirstLetter() {
            JavaFileObject counter = counter(
                    "void fooBar();",
                    "void FooBar();");

            Compilation compilation = compile(counter);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[NameCollision] Counter.FooBar() and Counter.fooBar() both become the message"
                            + " record FooBar; rename one of them.")
                    .inFile(counter).onLine(lineOf(counter, "void FooBar"));
        }

        @Test
        void methodNamedLikeTheMessageInterface() {
            JavaFileObject counter = counter("void counterMessage();");

            Compilation compilation = compile(counter);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[NameCollision] Counter.counterMessage() would become the record"
                            + " CounterMessage, the name of its enclosing generated interface; rename the method.")
                    .inFile(counter).onLine(lineOf(counter, "void counterMessage"));
        }

        @Test
        void parameterNamedLikeAnObjectMethod() {
            JavaFileObject counter = counter(
                    "void put(String key,",
                    "         int hashCode);");

            Compilation compilation = compile(counter);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[NameCollision] Parameter 'hashCode' of Counter.put(String, int) would become"
                            + " a record component named like Object.hashCode(); rename the parameter.")
                    .inFile(counter).onLine(lineOf(counter, "int hashCode"));
        }

        @Test
        void userClassNamedLikeTheGeneratedProxy() {
            JavaFileObject counter = counter("void increment(int by);");
            JavaFileObject userClass = source("p.CounterRef",
                    "package p;",
                    "public class CounterRef {}");

            Compilation compilation = compile(counter, userClass);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[NameCollision] The generated type p.CounterRef for Counter would replace an"
                            + " existing type of that name; rename or move one of them.")
                    .inFile(counter).onLine(lineOf(counter, "interface Counter"));
        }

        @Test
        void twoProtocolsWithTheSameGeneratedNames() {
            JavaFileObject outer = source("p.Outer",
                    "package p;",
                    "import io.spinoff.api.ActorProtocol;",
                    "public class Outer {",
                    "    @ActorProtocol",
                    "    public interface Counter { void increment(int by); }",
                    "}");
            JavaFileObject flat = source("p.Outer_Counter",
                    "package p;",
                    "import io.spinoff.api.ActorProtocol;",
                    "@ActorProtocol",
                    "public interface Outer_Counter { void decrement(int by); }");

            Compilation compilation = compile(outer, flat);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation)
                    .hadErrorContaining("[NameCollision] The generated types p.Outer_CounterMessage, p.Outer_CounterRef,"
                            + " p.Outer_CounterProtocol for Outer_Counter would also be generated for p.Outer.Counter;"
                            + " rename or move one of the protocols.")
                    .inFile(flat).onLine(lineOf(flat, "interface Outer_Counter"));
        }
    }

    @Nested
    class UnresolvedType {

        @Test
        void parameterOfATypeThatExistsNowhere() {
            JavaFileObject counter = counter("void send(Missing thing);");

            Compilation compilation = compile(counter);

            int line = lineOf(counter, "void send");
            assertThat(compilation).hadErrorCount(2);
            assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(counter).onLine(line);
            assertThat(compilation)
                    .hadErrorContaining("[UnresolvedType] Parameter 'thing' of Counter.send(Missing) has type Missing,"
                            + " and Missing cannot be resolved; fix the import, or make sure the code that generates it"
                            + " runs.")
                    .inFile(counter).onLine(line);
        }

        @Test
        void resultOfATypeThatExistsNowhere() {
            JavaFileObject counter = counter("CompletionStage<Missing> find();");

            Compilation compilation = compile(counter);

            int line = lineOf(counter, "find()");
            assertThat(compilation).hadErrorCount(2);
            assertThat(compilation).hadErrorContaining("cannot find symbol").inFile(counter).onLine(line);
            assertThat(compilation)
                    .hadErrorContaining("[UnresolvedType] Counter.find() replies with Missing, and Missing cannot be"
                            + " resolved")
                    .inFile(counter).onLine(line);
        }
    }

    @Test
    void processorFailureBecomesAnErrorOnTheProtocolAndProcessingGoesOn() {
        JavaFileObject counter = counter("void increment(int by);");
        JavaFileObject gauge = source("p.Gauge",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "@ActorProtocol",
                "public interface Gauge {",
                "    String name();",
                "}");

        // compile() returning at all shows that javac did not crash.
        Compilation compilation = newCompiler()
                .withOptions("-A" + ActorProtocolProcessor.FAIL_ON_OPTION + "=p.Counter")
                .compile(counter, gauge);

        assertThat(compilation).failed();
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation)
                .hadErrorContaining("[ProcessorError] The Spinoff processor failed on p.Counter:"
                        + " java.lang.IllegalStateException: failure requested by -Aspinoff.processor.failOn=p.Counter")
                .inFile(counter).onLine(lineOf(counter, "interface Counter"));
        assertThat(compilation)
                .hadErrorContaining("[BadReturnType] Gauge.name() returns String")
                .inFile(gauge).onLine(lineOf(gauge, "String name()"));
    }

    // ---------------------------------------------------------------------------------------------
    // All errors at once, and where errors of inherited methods go
    // ---------------------------------------------------------------------------------------------

    @Test
    void oneProtocolWithSeveralErrorsReportsThemAll() {
        JavaFileObject counter = counter(
                "<T> void put(String value);",
                "void add(int amount);",
                "void add(long amount);",
                "void load() throws Exception;",
                "String name();",
                "@AskTimeout(5) void reset();",
                "void send(Object payload);",
                "void mark(int hashCode);");

        Compilation compilation = compile(counter);

        assertThat(compilation).hadErrorCount(7);
        assertThat(compilation).hadErrorContaining("[GenericMethod] Counter.put(String)")
                .inFile(counter).onLine(lineOf(counter, "void put"));
        assertThat(compilation).hadErrorContaining("[OverloadedMethod] Counter.add(long) overloads Counter.add(int)")
                .inFile(counter).onLine(lineOf(counter, "add(long"));
        assertThat(compilation).hadErrorContaining("[CheckedException] Counter.load() declares checked exception")
                .inFile(counter).onLine(lineOf(counter, "void load"));
        assertThat(compilation).hadErrorContaining("[BadReturnType] Counter.name() returns String")
                .inFile(counter).onLine(lineOf(counter, "String name()"));
        assertThat(compilation).hadErrorContaining("[BadAskTimeout] Counter.reset() is a tell")
                .inFile(counter).onLine(lineOf(counter, "void reset"));
        assertThat(compilation).hadErrorContaining("[NotTransportable] Parameter 'payload' of Counter.send(Object)")
                .inFile(counter).onLine(lineOf(counter, "void send"));
        assertThat(compilation).hadErrorContaining("[NameCollision] Parameter 'hashCode' of Counter.mark(int)")
                .inFile(counter).onLine(lineOf(counter, "void mark"));
    }

    @Test
    void errorsInTwoProtocolsOfOneCompilationAreBothReported() {
        JavaFileObject counter = counter("String name();");
        JavaFileObject gauge = source("p.Gauge",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "@ActorProtocol",
                "public interface Gauge {",
                "    void record(Object sample);",
                "}");

        Compilation compilation = compile(counter, gauge);

        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation).hadErrorContaining("[BadReturnType] Counter.name() returns String")
                .inFile(counter).onLine(lineOf(counter, "String name()"));
        assertThat(compilation).hadErrorContaining("[NotTransportable] Parameter 'sample' of Gauge.record(Object)")
                .inFile(gauge).onLine(lineOf(gauge, "void record"));
    }

    @Test
    void errorOfAnInheritedMethodIsReportedOnTheProtocol() {
        JavaFileObject counter = source("p.Counter",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "interface Base {",
                "    String name();",
                "    void send(Object payload);",
                "}",
                "@ActorProtocol",
                "public interface Counter extends Base {",
                "    void increment(int by);",
                "}");

        Compilation compilation = compile(counter);

        int protocolLine = lineOf(counter, "interface Counter");
        assertThat(compilation).hadErrorCount(2);
        assertThat(compilation)
                .hadErrorContaining("[BadReturnType] Counter.name() (inherited from Base) returns String")
                .inFile(counter).onLine(protocolLine);
        assertThat(compilation)
                .hadErrorContaining("[NotTransportable] Parameter 'payload' of Counter.send(Object) (inherited from"
                        + " Base) has type Object")
                .inFile(counter).onLine(protocolLine);
    }

    // ---------------------------------------------------------------------------------------------
    // Deferral: types generated in the same compilation
    // ---------------------------------------------------------------------------------------------

    @Test
    void actorRefOfAMessageTypeGeneratedInTheSameCompilation() {
        JavaFileObject a = source("p.A",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "import io.spinoff.api.ActorRef;",
                "@ActorProtocol",
                "public interface A {",
                "    void subscribe(ActorRef<BMessage> subscriber);",
                "}");
        JavaFileObject b = source("p.B",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "@ActorProtocol",
                "public interface B {",
                "    void ping(int sequence);",
                "}");

        Compilation compilation = compile(a, b);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "p.A", "p.B");
        assertThat(compilation).generatedSourceFile("p.AMessage").contentsAsUtf8String()
                .contains("record Subscribe(ActorRef<BMessage> subscriber)");
    }

    @Test
    void protocolsReferringToEachOther() {
        JavaFileObject a = source("p.A",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "@ActorProtocol",
                "public interface A {",
                "    void follow(B leader);",
                "}");
        JavaFileObject b = source("p.B",
                "package p;",
                "import io.spinoff.api.ActorProtocol;",
                "@ActorProtocol",
                "public interface B {",
                "    void greet(A follower);",
                "}");

        Compilation compilation = compile(a, b);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "p.A", "p.B");
    }

    // ---------------------------------------------------------------------------------------------
    // What is allowed
    // ---------------------------------------------------------------------------------------------

    @Test
    void allowedFormsCompileCleanly() {
        JavaFileObject named = source("p.Named",
                "package p;",
                "import java.util.concurrent.CompletionStage;",
                "interface Named<T> {",
                "    void rename(T name);",
                "    CompletionStage<T> name();",
                "}");
        JavaFileObject counter = source("p.Counter", protocolLines(
                "@ActorProtocol",
                "public interface Counter extends Named<String> {",
                "void increment(int by);",
                "default void incrementTwice() { increment(1); increment(1); }",
                "static int zero() { return 0; }",
                "String toString();",
                "int hashCode();",
                "boolean equals(Object other);",
                "void check(int value) throws IllegalArgumentException;",
                "CompletableFuture<Void> reset();"));

        Compilation compilation = compile(named, counter);

        assertThat(compilation).succeededWithoutWarnings();
        assertGenerated(compilation, "p.Counter");
        String messages = contents(compilation, "p.CounterMessage");
        assertThat(messages).contains("record Rename(String name)");
        assertThat(messages).contains("record Name()");
        assertThat(messages).contains("record Increment(int by)");
        assertThat(messages).contains("record Check(int value)");
        assertThat(messages).contains("record Reset()");
        for (String notAMessage : List.of("IncrementTwice", "Zero", "ToString", "HashCode", "Equals")) {
            assertThat(messages).doesNotContain("record " + notAMessage + "(");
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Typed replies: ActorRef.ask(Ask<R>) takes the reply type from the message
    // ---------------------------------------------------------------------------------------------

    @Nested
    class TypedReplies {

        private final JavaFileObject counter = counter(
                "void increment(int by);",
                "CompletionStage<Integer> get();");

        private JavaFileObject caller(String statement) {
            return source("p.Caller",
                    "package p;",
                    "import io.spinoff.api.ActorRef;",
                    "import java.util.concurrent.CompletableFuture;",
                    "final class Caller {",
                    "    static void call(ActorRef<CounterMessage> ref) {",
                    "        " + statement,
                    "    }",
                    "}");
        }

        @Test
        void askingForTheReplyTypeOfTheMethodCompiles() {
            Compilation compilation = compile(counter,
                    caller("CompletableFuture<Integer> count = ref.ask(CounterMessage.Get.INSTANCE);"));

            assertThat(compilation).succeededWithoutWarnings();
        }

        @Test
        void askingForAnotherReplyTypeDoesNotCompile() {
            JavaFileObject caller = caller("CompletableFuture<String> count = ref.ask(CounterMessage.Get.INSTANCE);");

            Compilation compilation = compile(counter, caller);

            assertThat(compilation).failed();
            assertThat(compilation).hadErrorContaining("incompatible types").inFile(caller)
                    .onLine(lineOf(caller, "ref.ask("));
        }

        @Test
        void askingWithTheMessageOfATellDoesNotCompile() {
            JavaFileObject caller = caller("ref.ask(new CounterMessage.Increment(5));");

            Compilation compilation = compile(counter, caller);

            assertThat(compilation).failed();
            assertThat(compilation).hadErrorContaining("CounterMessage.Increment").inFile(caller)
                    .onLine(lineOf(caller, "ref.ask("));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The processor claims its annotations: a build with -Xlint:all -Werror stays clean
    // ---------------------------------------------------------------------------------------------

    @Nested
    class ClaimsItsAnnotations {

        @Test
        void protocolWithAnAskTimeoutCompilesWithoutWarningsUnderXlintAllAndWerror() {
            JavaFileObject counter = counter(
                    "void increment(int by);",
                    "@AskTimeout(value = 2, unit = TimeUnit.SECONDS)",
                    "CompletionStage<Integer> get();");

            Compilation compilation = newCompiler().withOptions("-Xlint:all", "-Werror").compile(counter);

            assertThat(compilation.warnings()).isEmpty();
            assertThat(compilation).succeededWithoutWarnings();
            assertGenerated(compilation, "p.Counter");
        }

        @Test
        void deferredProtocolCompilesWithoutWarningsUnderXlintAllAndWerror() {
            // A is put off to the next round, where BMessage exists: claiming must not stop that.
            JavaFileObject a = source("p.A",
                    "package p;",
                    "import io.spinoff.api.ActorProtocol;",
                    "import io.spinoff.api.ActorRef;",
                    "@ActorProtocol",
                    "public interface A {",
                    "    void subscribe(ActorRef<BMessage> subscriber);",
                    "}");
            JavaFileObject b = source("p.B",
                    "package p;",
                    "import io.spinoff.api.ActorProtocol;",
                    "import io.spinoff.api.AskTimeout;",
                    "import java.util.concurrent.CompletionStage;",
                    "@ActorProtocol",
                    "public interface B {",
                    "    @AskTimeout(100)",
                    "    CompletionStage<Integer> ping(int sequence);",
                    "}");

            Compilation compilation = newCompiler().withOptions("-Xlint:all", "-Werror").compile(a, b);

            assertThat(compilation.warnings()).isEmpty();
            assertThat(compilation).succeededWithoutWarnings();
            assertGenerated(compilation, "p.A", "p.B");
        }

        @Test
        void askTimeoutOnASuperInterfaceAloneIsClaimedToo() {
            // Compiled on its own, as a library of super-interfaces would be: no protocol in sight.
            JavaFileObject base = source("p.Base",
                    "package p;",
                    "import io.spinoff.api.AskTimeout;",
                    "import java.util.concurrent.CompletionStage;",
                    "public interface Base {",
                    "    @AskTimeout(100)",
                    "    CompletionStage<String> name();",
                    "}");

            Compilation compilation = newCompiler().withOptions("-Xlint:all", "-Werror").compile(base);

            assertThat(compilation.warnings()).isEmpty();
            assertThat(compilation).succeededWithoutWarnings();
            assertThat(compilation.generatedSourceFiles()).isEmpty();
        }

        @Test
        void ownOutputOfAnEarlierBuildIsClaimed() {
            // A generated file compiled again as a source, as a build that keeps generated sources does.
            JavaFileObject earlier = source("p.EarlierMessage",
                    "package p;",
                    "@javax.annotation.processing.Generated(\"io.spinoff.processor.ActorProtocolProcessor\")",
                    "public interface EarlierMessage {}");

            Compilation compilation = newCompiler().withOptions("-Xlint:all", "-Werror").compile(earlier);

            assertThat(compilation.warnings()).isEmpty();
            assertThat(compilation).succeededWithoutWarnings();
        }

        @Test
        void anotherGeneratorsGeneratedIsNotClaimed() {
            JavaFileObject foreign = source("p.Foreign",
                    "package p;",
                    "@javax.annotation.processing.Generated(\"some.other.Generator\")",
                    "public class Foreign {}");

            Compilation compilation = newCompiler().withOptions("-Xlint:all").compile(foreign);

            assertThat(compilation).succeeded();
            assertThat(compilation).hadWarningCount(1);
            assertThat(compilation).hadWarningContaining("No processor claimed any of these annotations:"
                    + " java.compiler/javax.annotation.processing.Generated");
        }

        @Test
        void errorsAreStillReportedWhenTheAnnotationsAreClaimed() {
            JavaFileObject counter = counter(
                    "@AskTimeout(5)",
                    "void increment(int by);");

            Compilation compilation = newCompiler().withOptions("-Xlint:all", "-Werror").compile(counter);

            assertThat(compilation).hadErrorCount(1);
            assertThat(compilation).hadErrorContaining("[BadAskTimeout] Counter.increment(int) is a tell")
                    .inFile(counter).onLine(lineOf(counter, "void increment"));
            assertThat(compilation.warnings()).isEmpty();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------

    private static Compiler newCompiler() {
        // A new processor per compilation: it keeps state across the rounds of one compilation.
        return Compiler.javac().withProcessors(new ActorProtocolProcessor());
    }

    private static Compilation compile(JavaFileObject... files) {
        return newCompiler().compile(files);
    }

    private static JavaFileObject source(String qualifiedName, String... lines) {
        return JavaFileObjects.forSourceLines(qualifiedName, lines);
    }

    /** A protocol {@code p.Counter} with the given members, one per line, and the usual imports. */
    private static JavaFileObject counter(String... members) {
        return source("p.Counter", protocolLines("@ActorProtocol", "public interface Counter {", members));
    }

    /**
     * The lines of {@code p.Counter}: package, imports, the annotation, the declaration with the
     * members, then a record {@code Job} that some members use.
     */
    private static String[] protocolLines(String annotation, String declaration, String... members) {
        List<String> lines = new ArrayList<>(List.of(
                "package p;",
                "import io.spinoff.api.*;",
                "import java.util.List;",
                "import java.util.concurrent.*;",
                annotation,
                declaration));
        for (String member : members) {
            lines.add("    " + member);
        }
        lines.add("}");
        lines.add("record Job(String name, Thread worker) {}");
        return lines.toArray(String[]::new);
    }

    /** The 1-based line of the only line of {@code file} that contains {@code fragment}. */
    private static int lineOf(JavaFileObject file, String fragment) {
        List<String> lines = text(file).lines().toList();
        int found = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(fragment)) {
                if (found != -1) {
                    throw new IllegalArgumentException("'" + fragment + "' occurs more than once in " + file.getName());
                }
                found = i + 1;
            }
        }
        if (found == -1) {
            throw new IllegalArgumentException("'" + fragment + "' does not occur in " + file.getName());
        }
        return found;
    }

    private static String text(JavaFileObject file) {
        try {
            return file.getCharContent(true).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts that the three generated types of each protocol exist. */
    private static void assertGenerated(Compilation compilation, String... protocols) {
        for (String protocol : protocols) {
            for (String suffix : List.of("Message", "Ref", "Protocol")) {
                assertThat(compilation).generatedSourceFile(protocol + suffix).isNotNull();
            }
        }
    }

    private static String contents(Compilation compilation, String qualifiedName) {
        return text(compilation.generatedSourceFile(qualifiedName).orElseThrow());
    }
}
