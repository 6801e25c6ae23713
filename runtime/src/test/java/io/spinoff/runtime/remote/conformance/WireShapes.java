package io.spinoff.runtime.remote.conformance;

import io.spinoff.api.ActorProtocol;
import io.spinoff.api.ActorRef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

/**
 * A protocol with a type of every kind, whose fingerprint the conformance test computes from the
 * canonical text that docs/WIRE-FORMAT.md describes.
 */
@ActorProtocol
public interface WireShapes {
    /** An enum; its constants are in the fingerprint. */
    enum Mood { CALM, GLAD, WILD }

    /** A record of primitives. */
    record Point(int x, int y) {}

    /** A generic record, used with two sets of type arguments. */
    record Pair<A, B>(A first, B second) {}

    /** A record that contains itself. */
    record Tree(String label, List<Tree> children, Optional<Point> at, Mood mood) {}

    /**
     * Replies a tree labelled with the seed's label, the weights and the moods (sorted), whose one
     * child is the seed, at (number of weights, sum of weights), mood {@code WILD}.
     */
    CompletionStage<Tree> grow(Tree seed, Map<String, Integer> weights, Set<Mood> moods);

    /** Tells {@code sink.text("linked " + address of ref)}. */
    void link(WireSink sink, ActorRef<Object> ref);

    /** Replies the arguments as text, {@code String.valueOf} each (arrays through {@code Arrays.toString}), joined by {@code |}. */
    CompletionStage<String> scalars(boolean a, byte b, short c, char d, int e, long f, float g, double h, Integer boxed,
            byte[] raw, int[] ints, double[] doubles, UUID id, Instant when, Duration span, BigInteger big,
            BigDecimal decimal);

    /** Replies the pair swapped. */
    CompletionStage<Pair<String, Long>> swap(Pair<Long, String> pair);
}
