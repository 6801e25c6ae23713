package io.spinoff.examples.example4;

import io.spinoff.runtime.Actor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * An account that keeps its balance, and the operations it applied, in a file of its own under
 * {@code ${java.io.tmpdir}/spinoff-example4} (a stand-in for a database that every node of this
 * machine reaches). It reads the file when activated, on whichever node, and writes it before
 * answering; the cluster runs it on one node at a time, so two activations never write at once.
 * A new account starts with 100.
 */
public final class AccountEntity extends Actor implements Account {

    /** The operation ids kept to recognise a retry. */
    private static final int REMEMBERED = 1_000;

    private final Path file;
    private long balance;
    private final LinkedHashSet<String> applied = new LinkedHashSet<>();

    public AccountEntity(String id) {
        this.file = Path.of(System.getProperty("java.io.tmpdir"), "spinoff-example4", id);
        try {
            if (Files.exists(file)) {
                List<String> lines = Files.readAllLines(file);
                balance = Long.parseLong(lines.get(0));
                applied.addAll(lines.subList(1, lines.size()));
            } else {
                balance = 100;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read account " + id + " from " + file, e);
        }
    }

    @Override
    public CompletionStage<Long> apply(String operation, long amount) {
        if (applied.add(operation)) {
            balance += amount;
            if (applied.size() > REMEMBERED) {
                applied.remove(applied.iterator().next());
            }
            save();
        }
        return CompletableFuture.completedFuture(balance);
    }

    @Override
    public CompletionStage<Long> balance() {
        return CompletableFuture.completedFuture(balance);
    }

    private void save() {
        List<String> lines = new ArrayList<>();
        lines.add(Long.toString(balance));
        lines.addAll(applied);
        try {
            Files.createDirectories(file.getParent());
            Path written = Files.write(file.resolveSibling(file.getFileName() + ".new"), lines);
            Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write account to " + file, e);
        }
    }
}
