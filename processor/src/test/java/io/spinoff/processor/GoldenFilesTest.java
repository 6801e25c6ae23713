package io.spinoff.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;
import static com.google.testing.compile.CompilationSubject.assertThat;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.google.common.collect.Lists;
import com.google.testing.compile.Compilation;
import com.google.testing.compile.Compiler;
import com.google.testing.compile.JavaFileObjects;
import io.spinoff.api.ActorProtocol;
import io.spinoff.api.support.GeneratedNames;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiles the sample protocols of {@code io.spinoff.processor.samples} with the processor and
 * compares every generated source file, byte for byte, with its golden file
 * {@code src/test/resources/golden/<qualified.Name>.java}. It also checks that the output is
 * deterministic (two compilations, and a compilation of the samples in reverse order, give the same
 * bytes) and that every generated file carries {@code @Generated} and Javadoc linking to its
 * protocol and to each protocol method it serves.
 *
 * <p><b>Updating the golden files.</b> After an intended change to the generated code, run this test
 * with the system property {@code spinoff.golden.update=true} (passed on the command line as
 * {@code -Dspinoff.golden.update=true}). The test then rewrites the golden files from the current
 * output, deletes golden files that are no longer generated, and passes; review the resulting diff
 * of {@code src/test/resources/golden/} before committing it, as it is exactly the change users
 * will see in their generated sources.
 *
 * <p>The sample sources are the {@code .java} files of {@code src/test/java/io/spinoff/processor/samples/}
 * (relative to the module directory, the tests' working directory) except tests
 * ({@code *Test.java}, {@code *Tests.java}). They are compiled with {@code --release 21} and
 * {@code -Xlint:all}, which must report nothing, against the {@code api} classes only, so that the
 * classes the build already generated for the samples cannot interfere.
 */
class GoldenFilesTest {

    /** The system property that switches the test from comparing to rewriting the golden files. */
    static final String UPDATE_PROPERTY = "spinoff.golden.update";

    static final Path SAMPLES_DIR = Paths.get("src/test/java/io/spinoff/processor/samples");
    static final Path GOLDEN_DIR = Paths.get("src/test/resources/golden");
    static final String SAMPLES_PACKAGE = "io.spinoff.processor.samples";

    /**
     * The sample protocols, by canonical name: the {@code @ActorProtocol} interfaces among the sample
     * classes the build compiled, found independently of the processor's output.
     */
    static final List<String> PROTOCOLS = sampleProtocols();

    private static final List<String> SUFFIXES = List.of("Message", "Ref", "Protocol");

    private static Map<String, byte[]> generated;

    @BeforeAll
    static void compileSamples() {
        Compilation compilation = javac().compile(sampleSources());
        assertThat(compilation).succeededWithoutWarnings();
        generated = generatedSources(compilation);
    }

    @Test
    void generatesExactlyThreeFilesPerProtocol() {
        TreeSet<String> expected = new TreeSet<>();
        for (String protocol : PROTOCOLS) {
            for (String suffix : SUFFIXES) {
                expected.add(generatedName(protocol, suffix));
            }
        }
        assertThat(generated.keySet()).containsExactlyElementsIn(expected);
    }

    @Test
    void generatedSourcesMatchGoldenFiles() throws IOException {
        if (Boolean.getBoolean(UPDATE_PROPERTY)) {
            updateGoldenFiles();
            return;
        }
        assertWithMessage("golden files in %s; run with -D%s=true to create them", GOLDEN_DIR.toAbsolutePath(),
                UPDATE_PROPERTY)
                .that(goldenFiles().keySet())
                .containsExactlyElementsIn(generated.keySet());
        List<String> different = new ArrayList<>();
        for (Map.Entry<String, byte[]> entry : generated.entrySet()) {
            byte[] golden = Files.readAllBytes(goldenPath(entry.getKey()));
            if (!Arrays.equals(golden, entry.getValue())) {
                different.add(entry.getKey());
            }
        }
        if (!different.isEmpty()) {
            // Show the first difference as a text diff; list the others.
            String name = different.get(0);
            assertWithMessage("generated %s differs from its golden file (%s differ in all: %s); if the change is"
                            + " intended, run with -D%s=true and review the diff", name, different.size(), different,
                    UPDATE_PROPERTY)
                    .that(new String(generated.get(name), UTF_8))
                    .isEqualTo(new String(Files.readAllBytes(goldenPath(name)), UTF_8));
        }
        assertThat(different).isEmpty();
    }

    @Test
    void compilingTwiceGivesIdenticalOutput() {
        Compilation second = javac().compile(sampleSources());
        assertThat(second).succeededWithoutWarnings();
        assertSameOutput(generatedSources(second), generated);
    }

    @Test
    void compilingInReverseOrderGivesIdenticalOutput() {
        Compilation reversed = javac().compile(Lists.reverse(sampleSources()));
        assertThat(reversed).succeededWithoutWarnings();
        assertSameOutput(generatedSources(reversed), generated);
    }

    @Test
    void everyGeneratedFileIsAnnotatedGeneratedAndLinksToItsProtocol() {
        for (String protocol : PROTOCOLS) {
            String link = protocol.substring(SAMPLES_PACKAGE.length() + 1);
            for (String suffix : SUFFIXES) {
                String name = generatedName(protocol, suffix);
                String source = new String(generated.get(name), UTF_8);
                String simpleName = name.substring(name.lastIndexOf('.') + 1);
                Matcher header = Pattern.compile("(?s)/\\*\\*((?:(?!\\*/).)*)\\*/\\n"
                                + "@Generated\\(\"io\\.spinoff\\.processor\\.ActorProtocolProcessor\"\\)\\n"
                                + "(?:@\\w+\\([^\\n]*\\)\\n)*"
                                + "(?:public )?(?:final |sealed )*(?:class|interface) " + Pattern.quote(simpleName) + "\\b")
                        .matcher(source);
                assertWithMessage("%s: its type declaration is preceded by Javadoc and @Generated", name)
                        .that(header.find()).isTrue();
                assertWithMessage("%s: @Generated is javax.annotation.processing.Generated", name)
                        .that(source).contains("\nimport javax.annotation.processing.Generated;\n");
                assertWithMessage("%s: the type's Javadoc links to the protocol", name)
                        .that(header.group(1)).contains("{@link " + link + "}");
            }
        }
    }

    @Test
    void everyGeneratedFileLinksToEachProtocolMethod() throws ClassNotFoundException {
        for (String protocol : PROTOCOLS) {
            Class<?> type = Class.forName(binaryName(protocol));
            for (Method method : type.getMethods()) {
                if (!Modifier.isAbstract(method.getModifiers())) {
                    continue;
                }
                Class<?> declaring = method.getDeclaringClass();
                String declaringName = declaring.getCanonicalName().substring(declaring.getPackageName().length() + 1);
                String link = "{@link " + declaringName + "#" + method.getName() + "(";
                for (String suffix : SUFFIXES) {
                    String name = generatedName(protocol, suffix);
                    assertWithMessage("%s links to %s", name, method)
                            .that(new String(generated.get(name), UTF_8)).contains(link);
                }
            }
        }
    }

    private static void assertSameOutput(Map<String, byte[]> actual, Map<String, byte[]> expected) {
        assertThat(actual.keySet()).containsExactlyElementsIn(expected.keySet()).inOrder();
        for (String name : expected.keySet()) {
            assertWithMessage("%s is byte-identical", name)
                    .that(new String(actual.get(name), UTF_8))
                    .isEqualTo(new String(expected.get(name), UTF_8));
            assertWithMessage("%s is byte-identical", name).that(actual.get(name)).isEqualTo(expected.get(name));
        }
    }

    private static void updateGoldenFiles() throws IOException {
        Files.createDirectories(GOLDEN_DIR);
        for (String stale : goldenFiles().keySet()) {
            if (!generated.containsKey(stale)) {
                Files.delete(goldenPath(stale));
            }
        }
        for (Map.Entry<String, byte[]> entry : generated.entrySet()) {
            Files.write(goldenPath(entry.getKey()), entry.getValue());
        }
        System.out.println("Rewrote " + generated.size() + " golden files in " + GOLDEN_DIR.toAbsolutePath());
    }

    private static Map<String, byte[]> goldenFiles() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        if (!Files.isDirectory(GOLDEN_DIR)) {
            return files;
        }
        try (Stream<Path> list = Files.list(GOLDEN_DIR)) {
            for (Path path : (Iterable<Path>) list::iterator) {
                String file = path.getFileName().toString();
                if (file.endsWith(".java")) {
                    files.put(file.substring(0, file.length() - ".java".length()), Files.readAllBytes(path));
                }
            }
        }
        return files;
    }

    private static Path goldenPath(String qualifiedName) {
        return GOLDEN_DIR.resolve(qualifiedName + ".java");
    }

    // ---- shared with EclipseCompilerTest ----

    /**
     * @return javac with the processor, the build's release, every lint warning (processing
     *     included: the processor claims its annotations), and the api classes as its only class path
     */
    static Compiler javac() {
        return Compiler.javac()
                .withProcessors(new ActorProtocolProcessor())
                .withOptions("--release", "21", "-Xlint:all")
                .withClasspath(apiClasspath());
    }

    /** @return where the api classes come from (a jar or a classes directory) */
    static List<File> apiClasspath() {
        try {
            return List.of(new File(ActorProtocol.class.getProtectionDomain().getCodeSource().getLocation().toURI()));
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * @return the top-level names of the sample sources, sorted: every {@code .java} file of the
     *     samples directory except tests ({@code *Test.java}, {@code *Tests.java}), which need more
     *     than the api on their class path
     */
    static List<String> sampleNames() {
        List<String> names = new ArrayList<>();
        try (Stream<Path> list = Files.list(SAMPLES_DIR)) {
            for (Path path : list.sorted().toList()) {
                String file = path.getFileName().toString();
                if (file.endsWith(".java") && !file.endsWith("Test.java") && !file.endsWith("Tests.java")) {
                    names.add(SAMPLES_PACKAGE + "." + file.substring(0, file.length() - ".java".length()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the samples in " + SAMPLES_DIR.toAbsolutePath()
                    + "; run the test from the processor module's directory.", e);
        }
        assertWithMessage("sample sources in %s", SAMPLES_DIR.toAbsolutePath()).that(names).isNotEmpty();
        return names;
    }

    /**
     * @return the sample sources, in the order of {@link #sampleNames()}, as files with absolute
     *     {@code file:} URIs (ECJ reads sources through their URIs)
     */
    static List<JavaFileObject> sampleSources() {
        List<JavaFileObject> sources = new ArrayList<>();
        for (String name : sampleNames()) {
            Path path = SAMPLES_DIR.resolve(name.substring(SAMPLES_PACKAGE.length() + 1) + ".java");
            try {
                sources.add(JavaFileObjects.forResource(path.toAbsolutePath().toUri().toURL()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    private static List<String> sampleProtocols() {
        TreeSet<String> protocols = new TreeSet<>();
        for (String name : sampleNames()) {
            try {
                collectProtocols(Class.forName(name), protocols);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("Sample " + name + " is not on the test class path", e);
            }
        }
        assertWithMessage("@ActorProtocol interfaces among %s", sampleNames()).that(protocols).isNotEmpty();
        return List.copyOf(protocols);
    }

    private static void collectProtocols(Class<?> type, Set<String> protocols) {
        if (type.isInterface() && type.isAnnotationPresent(ActorProtocol.class)) {
            protocols.add(type.getCanonicalName());
        }
        for (Class<?> nested : type.getDeclaredClasses()) {
            collectProtocols(nested, protocols);
        }
    }

    /**
     * @param compilation a successful compilation
     * @return its generated source files, by qualified name, sorted, with their exact bytes
     */
    static Map<String, byte[]> generatedSources(Compilation compilation) {
        Map<String, byte[]> sources = new TreeMap<>();
        for (JavaFileObject file : compilation.generatedSourceFiles()) {
            String path = file.toUri().getPath();
            int start = path.indexOf("/SOURCE_OUTPUT/");
            assertWithMessage("generated source URI %s", file.toUri()).that(start).isAtLeast(0);
            String name = path.substring(start + "/SOURCE_OUTPUT/".length(), path.length() - ".java".length())
                    .replace('/', '.');
            try (InputStream in = file.openInputStream()) {
                assertWithMessage("%s generated once", name).that(sources.put(name, in.readAllBytes())).isNull();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return sources;
    }

    /**
     * @param protocol a protocol's canonical name, {@code p.Outer.Counter}
     * @param suffix {@code Message}, {@code Ref} or {@code Protocol}
     * @return the qualified name of the generated type: {@code p.Outer_CounterMessage}
     */
    static String generatedName(String protocol, String suffix) {
        String binaryName = binaryName(protocol);
        return switch (suffix) {
            case GeneratedNames.MESSAGE_SUFFIX -> GeneratedNames.messageType(binaryName);
            case GeneratedNames.REF_SUFFIX -> GeneratedNames.refType(binaryName);
            case GeneratedNames.DEFINITION_SUFFIX -> GeneratedNames.definitionType(binaryName);
            default -> throw new IllegalArgumentException(suffix);
        };
    }

    /**
     * @param protocol a protocol's canonical name
     * @return its binary name, {@code p.Outer$Counter}
     */
    static String binaryName(String protocol) {
        return SAMPLES_PACKAGE + "." + protocol.substring(SAMPLES_PACKAGE.length() + 1).replace('.', '$');
    }
}
