package io.spinoff.processor;

import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The processor's packages follow its pipeline and depend only downward: {@code internal.model}
 * (the immutable model and the model stage) on no other package of the processor,
 * {@code internal.validation} and {@code internal.writing} on {@code internal.model} only, and the
 * entry point on all three. The model's records hold no {@code javax.lang.model} types: only the
 * classes that read elements to build it ({@code ModelBuilder}, {@code TypeClassifier},
 * {@code ProtocolMembers}) import them, and writers never do. Checked on the imports and qualified
 * names of the main sources.
 */
class ProcessorPackagesTest {

    private static final Path SOURCES = Paths.get("src/main/java/io/spinoff/processor");
    private static final String PREFIX = "io.spinoff.processor.internal.";
    private static final Pattern REFERENCE = Pattern.compile("io\\.spinoff\\.processor\\.internal\\.(\\w+)");

    /** For each package, the processor packages it may use (besides itself). */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "model", Set.of(),
            "validation", Set.of("model"),
            "writing", Set.of("model"));

    /** The classes of the model package that read {@code javax.lang.model} to build the model. */
    private static final Set<String> MODEL_FRONT_END = Set.of("ModelBuilder.java", "TypeClassifier.java",
            "ProtocolMembers.java");

    @Test
    void packagesDependOnlyDownward() throws IOException {
        for (Map.Entry<String, Set<String>> entry : ALLOWED.entrySet()) {
            for (Path file : sources(entry.getKey())) {
                Matcher matcher = REFERENCE.matcher(Files.readString(file));
                while (matcher.find()) {
                    String used = matcher.group(1);
                    assertWithMessage("%s uses %s%s", file, PREFIX, used)
                            .that(used.equals(entry.getKey()) || entry.getValue().contains(used)).isTrue();
                }
                assertWithMessage("%s uses the processor's entry point", file)
                        .that(Files.readString(file)).doesNotContain("io.spinoff.processor.ActorProtocolProcessor;");
            }
        }
    }

    @Test
    void onlyTheModelStageReadsElementsAndWritersNever() throws IOException {
        for (String pkg : List.of("model", "writing")) {
            for (Path file : sources(pkg)) {
                if (pkg.equals("model") && MODEL_FRONT_END.contains(file.getFileName().toString())) {
                    continue;
                }
                String text = Files.readString(file);
                assertWithMessage("%s imports javax.lang.model.type or javax.lang.model.util", file)
                        .that(text.contains("import javax.lang.model.type.") || text.contains("import javax.lang.model.util.")
                                || text.contains("import javax.annotation.processing.")).isFalse();
            }
        }
    }

    @Test
    void theStagesExist() throws IOException {
        assertWithMessage("model sources").that(sources("model")).isNotEmpty();
        assertWithMessage("validation sources").that(sources("validation")).isNotEmpty();
        assertWithMessage("writing sources").that(sources("writing")).isNotEmpty();
    }

    private static List<Path> sources(String pkg) throws IOException {
        try (Stream<Path> files = Files.list(SOURCES.resolve("internal").resolve(pkg))) {
            return files.filter(file -> file.toString().endsWith(".java")).sorted().toList();
        }
    }
}
