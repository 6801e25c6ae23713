package io.spinoff.processor.samples;

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

/** A protocol with one method per transportable type, and asks replying with each kind. */
@ActorProtocol
public interface AllTypes {
    void primitives(boolean z, byte b, short s, char c, int i, long l, float f, double d);

    void boxes(Boolean z, Byte b, Short s, Character c, Integer i, Long l, Float f, Double d);

    void arrays(byte[] bytes, boolean[] z, short[] s, char[] c, int[] i, long[] l, float[] f, double[] d);

    void scalars(String text, UUID id, Instant at, Duration length, BigInteger big, BigDecimal exact);

    void shapes(Shape shape, Color color, Tree tree, Pair<String, List<Integer>> pair);

    void collections(List<String> names, Set<Long> ids, Map<String, List<Shape>> byName, Optional<Color> maybe,
            List<Optional<Map<Color, byte[]>>> nested);

    void references(Counter counter, ActorRef<CounterMessage> ref, List<Counter> counters);

    CompletionStage<Shape> echoShape(Shape shape);

    CompletionStage<Map<String, Tree>> echoTrees(Map<String, Tree> trees);

    CompletionStage<Optional<String>> echoOptional(Optional<String> value);

    CompletionStage<byte[]> echoBytes(byte[] bytes);

    /** An enum. */
    enum Color { RED, GREEN, BLUE }

    /** A record of primitives and a string. */
    record Shape(String name, int sides, double size, Color color) {}

    /** A recursive record. */
    record Tree(String label, List<Tree> children) {}

    /** A generic record, used with concrete type arguments. */
    record Pair<A, B>(A first, B second) {}
}
