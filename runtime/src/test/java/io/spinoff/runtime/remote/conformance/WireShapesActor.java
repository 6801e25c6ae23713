package io.spinoff.runtime.remote.conformance;

import io.spinoff.api.ActorRef;
import io.spinoff.runtime.Actor;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Implements {@link WireShapes}. */
public final class WireShapesActor extends Actor implements WireShapes {

    @Override
    public CompletionStage<Tree> grow(Tree seed, Map<String, Integer> weights, Set<Mood> moods) {
        int sum = weights.values().stream().mapToInt(Integer::intValue).sum();
        return CompletableFuture.completedFuture(new Tree(seed.label() + new TreeMap<>(weights) + new TreeSet<>(moods),
                List.of(seed), Optional.of(new Point(weights.size(), sum)), Mood.WILD));
    }

    @Override
    public void link(WireSink sink, ActorRef<Object> ref) {
        sink.text("linked " + ref.address());
    }

    @Override
    public CompletionStage<String> scalars(boolean a, byte b, short c, char d, int e, long f, float g, double h,
            Integer boxed, byte[] raw, int[] ints, double[] doubles, UUID id, Instant when, Duration span,
            BigInteger big, BigDecimal decimal) {
        return CompletableFuture.completedFuture(String.join("|", String.valueOf(a), String.valueOf(b),
                String.valueOf(c), String.valueOf(d), String.valueOf(e), String.valueOf(f), String.valueOf(g),
                String.valueOf(h), String.valueOf(boxed), Arrays.toString(raw), Arrays.toString(ints),
                Arrays.toString(doubles), String.valueOf(id), String.valueOf(when), String.valueOf(span),
                String.valueOf(big), String.valueOf(decimal)));
    }

    @Override
    public CompletionStage<Pair<String, Long>> swap(Pair<Long, String> pair) {
        return CompletableFuture.completedFuture(new Pair<>(pair.second(), pair.first()));
    }
}
