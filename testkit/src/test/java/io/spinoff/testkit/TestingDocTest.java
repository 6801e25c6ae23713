package io.spinoff.testkit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * docs/TESTING.md stays true: every Java snippet on the page is a run of lines of one of this
 * module's tests, which the build runs, and every test the page names exists.
 */
class TestingDocTest {

    private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL);
    private static final Pattern NAMED_TEST = Pattern.compile("`(\\w+Test)\\.(\\w+)`");

    private static Path root() {
        Path here = Path.of("").toAbsolutePath();
        return Files.exists(here.resolve("docs/TESTING.md")) ? here : here.getParent();
    }

    private static List<String> stripped(String text) {
        return text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
    }

    @Test
    void everySnippetIsPartOfATestThatRunsAndEveryNamedTestExists() throws IOException {
        Path root = root();
        String page = Files.readString(root.resolve("docs/TESTING.md"));
        List<Path> sources = new ArrayList<>();
        for (String module : List.of("testkit", "examples")) {
            try (Stream<Path> files = Files.walk(root.resolve(module).resolve("src/test/java"))) {
                files.filter(file -> file.toString().endsWith(".java")).forEach(sources::add);
            }
        }
        List<List<String>> sourceLines = new ArrayList<>();
        for (Path source : sources) {
            sourceLines.add(stripped(Files.readString(source)));
        }
        Matcher block = JAVA_BLOCK.matcher(page);
        int blocks = 0;
        while (block.find()) {
            blocks++;
            List<String> snippet = stripped(block.group(1));
            assertTrue(sourceLines.stream().anyMatch(lines -> Collections.indexOfSubList(lines, snippet) >= 0),
                    "docs/TESTING.md shows lines that no test holds, in that order:\n" + block.group(1));
        }
        assertTrue(blocks >= 5, "the page's snippets were found: " + blocks);

        Matcher named = NAMED_TEST.matcher(page);
        boolean any = false;
        while (named.find()) {
            any = true;
            String type = named.group(1);
            String method = named.group(2);
            assertTrue(sources.stream().anyMatch(source -> {
                try {
                    return source.getFileName().toString().equals(type + ".java")
                            && Files.readString(source).contains("void " + method + "(");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }), "docs/TESTING.md names " + type + "." + method + ", which does not exist");
        }
        assertTrue(any);
        assertFalse(page.contains("TODO"));
    }
}
