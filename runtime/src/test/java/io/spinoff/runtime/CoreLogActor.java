package io.spinoff.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Implements {@link CoreLog} with plain, unsynchronised collections. */
public final class CoreLogActor extends Actor implements CoreLog {
    private final Map<Integer, List<Integer>> sequences = new HashMap<>();

    @Override
    public void append(int sender, int seq) {
        sequences.computeIfAbsent(sender, s -> new ArrayList<>()).add(seq);
    }

    @Override
    public CompletionStage<List<Integer>> sequenceOf(int sender) {
        return CompletableFuture.completedFuture(List.copyOf(sequences.getOrDefault(sender, List.of())));
    }
}
