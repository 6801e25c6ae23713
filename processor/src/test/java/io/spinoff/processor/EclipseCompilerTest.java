package io.spinoff.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.spinoff.api.support.ProtocolDefinition;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import javax.tools.JavaFileObject;
import org.eclipse.jdt.internal.compiler.tool.EclipseCompiler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The processor under Eclipse's compiler (ECJ): it compiles the sample protocols with the
 * processor, generates exactly what javac generates, and the ECJ-compiled code runs.
 *
 * <p>To run the code, the samples are compiled together with a driver,
 * {@code src/test/resources/ecj/SampleDriver.java}, a {@link Supplier Supplier&lt;String&gt;} that
 * hosts an implementation of each sample protocol behind an in-memory {@code ActorRef} (every call
 * is encoded with the generated codec, decoded, dispatched, and every reply is encoded and decoded
 * back) and returns a summary of what happened. The compiled classes are loaded from the
 * compilation's output by a child-first class loader, so the samples, their generated classes and
 * the driver all come from ECJ's output, while the api comes from the test's class path. The same
 * driver compiled by javac must give the same summary.
 */
class EclipseCompilerTest {

    private static final String DRIVER = GoldenFilesTest.SAMPLES_PACKAGE + ".SampleDriver";

    /** What the driver reports; the same for ECJ- and javac-compiled code. */
    private static final String EXPECTED_SUMMARY = """
            Counter.get -> 3
            Counter.reset -> null
            Counter.get -> 0
            proxy CounterRef[/user/counter] equals a second proxy: true
            AllTypes.echoShape -> Shape[name=square, sides=4, size=1.5, color=GREEN]
            AllTypes.echoShape(null) -> null
            AllTypes.echoTrees -> {b=Tree[label=root, children=[Tree[label=leaf, children=[]]]], a=Tree[label=single, children=[]]}
            AllTypes.echoOptional -> Optional[hi], Optional.empty, null
            AllTypes.echoBytes -> [1, 2, -3]
            AllTypes received primitives true -1 300 x -2147483648 9223372036854775807 1.25 -0.5
            AllTypes received boxes false 7 null y 42 null NaN 2.0
            AllTypes received arrays [1] [true, false] [-2] [a, b] [3, 4] [] [0.5] null
            AllTypes received scalars héllo ✓ \uD83D\uDE00 00000000-0000-0001-0000-000000000002 2023-11-14T22:13:20.000000005Z PT1.5S -123456789012345678901234567890 3.14159
            AllTypes received collections [a, b] [3, 1, 2] {none=[], one=[Shape[name=square, sides=4, size=1.5, color=GREEN]]} Optional[BLUE] RED=[9];empty;
            AllTypes received shapes Shape[name=square, sides=4, size=1.5, color=GREEN] RED Tree[label=t, children=[]] Pair[first=pair, second=[1, 2, 3]]
            AllTypes received references CounterRef[/user/counter] /user/counter [CounterRef[/user/counter], CounterRef[/user/counter]]
            Counter.get after AllTypes.references -> 211
            Greeter.greetAndWait -> hi yourself
            Acker received [hello, acked]
            Account.balance -> 1250 cents, 12 euros
            Account.name -> savings
            Account.describe (default method, not a message) -> named
            Clock.now -> 1000999
            LocalOnly dispatch -> ran, encode -> refused, local -> true
            timeouts asked: [reset=PT2S, balance=PT0.75S, balance=PT0.75S]
            """;

    private static Compilation ecj;
    private static Compilation javac;

    @BeforeAll
    static void compile() {
        List<JavaFileObject> sources = new ArrayList<>(GoldenFilesTest.sampleSources());
        sources.add(driverSource());
        ecj = eclipseCompiler().compile(sources);
        javac = GoldenFilesTest.javac().compile(sources);
    }

    /**
     * ECJ through the compiler API: {@code -21} sets source, target and compliance levels to 21
     * ({@code --release 21} works too but needs the running JDK's {@code ct.sym}); {@code -proc:full}
     * is ECJ's default and spelled out; {@code -warn:+...} turns on the checks that would reveal
     * sloppy generated code.
     */
    static Compiler eclipseCompiler() {
        return Compiler.compiler(new EclipseCompiler())
                .withProcessors(new ActorProtocolProcessor())
                .withOptions("-21", "-encoding", "UTF-8", "-warn:+unchecked,+raw,+unusedImport,+deadCode,+missingSerialVersion")
                .withClasspath(GoldenFilesTest.apiClasspath());
    }

    @Test
    void ecjCompilesTheSamplesWithTheProcessor() {
        assertThat(ecj).succeeded();
        assertWithMessage("ECJ's warnings").that(warningsInGeneratedCode(ecj)).isEmpty();
        assertThat(javac).succeededWithoutWarnings();
    }

    @Test
    void ecjGeneratesTheSameSourcesAsJavac() {
        Map<String, byte[]> byEcj = GoldenFilesTest.generatedSources(ecj);
        Map<String, byte[]> byJavac = GoldenFilesTest.generatedSources(javac);
        assertThat(byEcj.keySet()).containsExactlyElementsIn(byJavac.keySet()).inOrder();
        for (String name : byJavac.keySet()) {
            assertWithMessage("%s generated under ECJ", name)
                    .that(new String(byEcj.get(name), UTF_8))
                    .isEqualTo(new String(byJavac.get(name), UTF_8));
        }
    }

    @Test
    void ecjCompiledCodeRuns() throws ReflectiveOperationException {
        ClassLoader loader = loaderOf(ecj);
        Class<?> driver = Class.forName(DRIVER, true, loader);
        assertThat(driver.getClassLoader()).isSameInstanceAs(loader);
        assertThat(Class.forName(GoldenFilesTest.SAMPLES_PACKAGE + ".CounterProtocol", false, loader).getClassLoader())
                .isSameInstanceAs(loader);
        assertThat(run(loader)).isEqualTo(EXPECTED_SUMMARY);
    }

    @Test
    void javacCompiledDriverGivesTheSameSummary() throws ReflectiveOperationException {
        assertThat(run(loaderOf(javac))).isEqualTo(EXPECTED_SUMMARY);
    }

    @Test
    void fingerprintsDoNotDependOnTheCompiler() throws ClassNotFoundException {
        ClassLoader byEcj = loaderOf(ecj);
        ClassLoader byJavac = loaderOf(javac);
        for (String protocol : GoldenFilesTest.PROTOCOLS) {
            String name = GoldenFilesTest.binaryName(protocol);
            ProtocolDefinition<?, ?> ecjDefinition = ProtocolDefinition.of(Class.forName(name, true, byEcj));
            ProtocolDefinition<?, ?> javacDefinition = ProtocolDefinition.of(Class.forName(name, true, byJavac));
            assertWithMessage("fingerprint of %s", protocol)
                    .that(Long.toHexString(ecjDefinition.fingerprint()))
                    .isEqualTo(Long.toHexString(javacDefinition.fingerprint()));
            assertWithMessage("methods of %s", protocol)
                    .that(ecjDefinition.methods()).isEqualTo(javacDefinition.methods());
        }
    }

    private static String run(ClassLoader loader) throws ReflectiveOperationException {
        @SuppressWarnings("unchecked")
        Supplier<String> driver = (Supplier<String>) Class.forName(DRIVER, true, loader)
                .getDeclaredConstructor().newInstance();
        return driver.get();
    }

    private static List<String> warningsInGeneratedCode(Compilation compilation) {
        List<String> warnings = new ArrayList<>();
        compilation.warnings().forEach(warning -> {
            if (warning.getSource() == null || !warning.getSource().toUri().getPath().contains("/SOURCE_OUTPUT/")) {
                return;
            }
            warnings.add(warning.getSource().getName() + ":" + warning.getLineNumber() + ": " + warning.getMessage(null));
        });
        return warnings;
    }

    private static JavaFileObject driverSource() {
        URL resource = EclipseCompilerTest.class.getResource("/ecj/SampleDriver.java");
        assertWithMessage("resource /ecj/SampleDriver.java").that(resource).isNotNull();
        return JavaFileObjects.forResource(resource);
    }

    /**
     * @param compilation a successful compilation
     * @return a class loader that defines every class the compilation wrote and delegates
     *     everything else (the api, the JDK) to the test's class loader
     */
    private static ClassLoader loaderOf(Compilation compilation) {
        assertThat(compilation).succeeded();
        Map<String, byte[]> classes = new TreeMap<>();
        for (JavaFileObject file : compilation.generatedFiles()) {
            if (file.getKind() != JavaFileObject.Kind.CLASS) {
                continue;
            }
            String path = file.toUri().getPath();
            int start = path.indexOf("/CLASS_OUTPUT/");
            assertWithMessage("class file URI %s", file.toUri()).that(start).isAtLeast(0);
            String name = path.substring(start + "/CLASS_OUTPUT/".length(), path.length() - ".class".length())
                    .replace('/', '.');
            try (InputStream in = file.openInputStream()) {
                classes.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertThat(classes).containsKey(DRIVER);
        return new CompiledClassLoader(classes, EclipseCompilerTest.class.getClassLoader());
    }

    /** Child-first for the classes of one compilation, parent-first for everything else. */
    private static final class CompiledClassLoader extends ClassLoader {
        static {
            registerAsParallelCapable();
        }

        private final Map<String, byte[]> classes;

        CompiledClassLoader(Map<String, byte[]> classes, ClassLoader parent) {
            super("compiled-samples", parent);
            this.classes = classes;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!classes.containsKey(name)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> loaded = findLoadedClass(name);
                if (loaded == null) {
                    byte[] bytes = classes.get(name);
                    loaded = defineClass(name, bytes, 0, bytes.length);
                }
                if (resolve) {
                    resolveClass(loaded);
                }
                return loaded;
            }
        }
    }
}
