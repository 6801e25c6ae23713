package io.spinoff.processor.samples;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spinoff.api.ActorRef;
import io.spinoff.api.Ask;
import io.spinoff.api.CodecException;
import io.spinoff.api.support.MessageText;
import io.spinoff.api.support.MethodDescriptor;
import io.spinoff.api.support.ProtocolDefinition;
import io.spinoff.api.support.ProtocolProxy;
import io.spinoff.api.support.ReferenceCodec;
import io.spinoff.api.support.WireReader;
import io.spinoff.api.support.WireWriter;
import io.spinoff.processor.samples.AllTypes.Color;
import io.spinoff.processor.samples.AllTypes.Pair;
import io.spinoff.processor.samples.AllTypes.Shape;
import io.spinoff.processor.samples.AllTypes.Tree;
import io.spinoff.processor.testing.LoopbackRef;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The codec generated for {@link AllTypes}, exercised with random values: every message and reply
 * survives the round trip, and no input, however malformed, makes decoding throw anything but
 * {@link CodecException}.
 *
 * <p>The seed is random per run and printed in every failure; run again with
 * {@code -Dspinoff.codec.seed=SEED} to replay a failing run.
 */
class GeneratedCodecTest {

    private static final long SEED = Long.getLong("spinoff.codec.seed", new Random().nextLong());
    private static final int MESSAGES_PER_METHOD = 2_000;
    private static final int FUZZ_CASES = 100_000;
    private static final long FUZZ_TIME_NANOS = TimeUnit.SECONDS.toNanos(25);

    private static final AllTypesProtocol PROTOCOL = AllTypesProtocol.INSTANCE;
    private static final ReferenceCodec ANY_ADDRESS = new AnyAddress();

    private static String seed() {
        return "[seed " + SEED + "L; replay with -Dspinoff.codec.seed=" + SEED + "] ";
    }

    // ---------------------------------------------------------------------------------------------
    // Round trips

    /** One test per method of {@code AllTypes}: random messages through encode and decode. */
    @TestFactory
    Stream<DynamicTest> everyMessageSurvivesTheRoundTrip() {
        return PROTOCOL.methods().stream().map(method -> DynamicTest.dynamicTest(method.name(), () -> {
            Values values = new Values(new Random(SEED ^ (0x9E3779B97F4A7C15L * (method.index() + 1))), false, null);
            int[] nulls = null;
            Class<?> recordType = null;
            for (int n = 0; n < MESSAGES_PER_METHOD; n++) {
                AllTypesMessage message = values.message(method.name());
                Object[] arguments = components(message);
                recordType = message.getClass();
                nulls = nulls == null ? new int[arguments.length] : nulls;
                for (int i = 0; i < arguments.length; i++) {
                    nulls[i] += arguments[i] == null ? 1 : 0;
                }
                try {
                    assertEquals(method, PROTOCOL.method(message));
                    byte[] bytes = encode(message);
                    AllTypesMessage decoded = decode(bytes);
                    assertDeepEquals(message, decoded, "decoded message");
                    assertArrayEquals(bytes, encode(decoded), "re-encoding the decoded message gives other bytes");
                    if (n % 4 == 0) { // a payload inside a larger frame, between other bytes
                        byte[] frame = new byte[bytes.length + 7 + n % 5];
                        Arrays.fill(frame, (byte) 0xFF);
                        System.arraycopy(bytes, 0, frame, 7, bytes.length);
                        assertDeepEquals(message, PROTOCOL.decode(new WireReader(frame, 7, bytes.length, ANY_ADDRESS,
                                WireWriter.DEFAULT_MAX_DEPTH)), "message decoded from inside a frame");
                    }
                } catch (Throwable e) {
                    throw new AssertionError(seed() + method.name() + " message #" + n + " " + brief(message)
                            + ": " + e.getMessage(), e);
                }
            }
            RecordComponent[] parameters = recordType.getRecordComponents();
            for (int i = 0; i < parameters.length; i++) {
                boolean nullable = !parameters[i].getType().isPrimitive();
                assertEquals(nullable, nulls[i] > 0, seed() + "nulls given for " + parameters[i].getName());
            }
            if (!method.name().equals("primitives") && !method.name().equals("boxes")) {
                assertTrue(values.largeValues > 0, seed() + "no large value given");
            }
        }));
    }

    /** Every ask's reply through encodeReply and decodeReply. */
    @TestFactory
    Stream<DynamicTest> everyReplySurvivesTheRoundTrip() {
        return PROTOCOL.methods().stream().filter(MethodDescriptor::ask).map(method -> DynamicTest.dynamicTest(method.name(), () -> {
            Values values = new Values(new Random(SEED ^ (0xC2B2AE3D27D4EB4FL * (method.index() + 1))), false, null);
            for (int n = 0; n < MESSAGES_PER_METHOD; n++) {
                Object reply = values.reply(method.name());
                try {
                    byte[] bytes = encodeReply(method.index(), reply);
                    Object decoded = decodeReply(method.index(), bytes);
                    assertDeepEquals(reply, decoded, "decoded reply");
                    assertArrayEquals(bytes, encodeReply(method.index(), decoded));
                } catch (Throwable e) {
                    throw new AssertionError(seed() + method.name() + " reply #" + n + " " + brief(reply)
                            + ": " + e.getMessage(), e);
                }
            }
        }));
    }

    /**
     * The whole path with random arguments: the generated proxy builds the record, the loopback ref
     * encodes and decodes it, the dispatch table calls the implementation with the arguments in
     * order, and an echo's reply comes back through the reply codec.
     */
    @TestFactory
    Stream<DynamicTest> everyCallReachesTheImplementationThroughTheProxy() {
        return PROTOCOL.methods().stream().map(method -> DynamicTest.dynamicTest(method.name(), () -> {
            LoopbackRef.Registry registry = new LoopbackRef.Registry();
            List<String> counterAddresses = List.of("/user/c0", "alpha@127.0.0.1:7100/user/c1", "/user/ç\uD83D\uDE00");
            for (String address : counterAddresses) {
                registry.host(address, CounterProtocol.INSTANCE, new GeneratedCodeTest.CounterImpl());
            }
            Recorder recorder = new Recorder();
            LoopbackRef<AllTypes, AllTypesMessage> ref = registry.host("/user/all", PROTOCOL, recorder.proxy());
            AllTypes proxy = ref.proxy();
            Method call = protocolMethod(method.name());
            Values values = new Values(new Random(SEED ^ (0x165667B19E3779F9L * (method.index() + 1))), false,
                    counterAddresses);
            for (int n = 0; n < MESSAGES_PER_METHOD / 4; n++) {
                AllTypesMessage message = values.message(method.name());
                Object[] arguments = components(message);
                try {
                    Object result = call.invoke(proxy, arguments);
                    assertEquals(method.name(), recorder.lastMethod, "method called");
                    assertDeepEquals(Arrays.asList(arguments), Arrays.asList(recorder.lastArguments), "arguments received");
                    if (method.ask()) {
                        Object reply = ((CompletionStage<?>) result).toCompletableFuture().get(5, TimeUnit.SECONDS);
                        assertDeepEquals(arguments[0], reply, "echoed reply");
                    } else {
                        assertNull(result);
                    }
                } catch (Throwable e) {
                    throw new AssertionError(seed() + method.name() + " call #" + n + " " + brief(message)
                            + ": " + e.getMessage(), e);
                }
            }
            assertEquals(method.ask() ? MESSAGES_PER_METHOD / 4 : 0, ref.askTimeouts().size());
        }));
    }

    /** The deep equality these tests rely on sees the differences that matter. */
    @Test
    void theDeepEqualitySeesDifferences() {
        Shape shape = new Shape("s", 3, 1.0, Color.RED);
        List<Object[]> different = List.of(
                new Object[] {new byte[] {1}, new byte[] {2}},
                new Object[] {new AllTypesMessage.EchoBytes(new byte[] {1}), new AllTypesMessage.EchoBytes(new byte[] {1, 0})},
                new Object[] {Map.of(Color.RED, new byte[] {1}), Map.of(Color.RED, new byte[] {2})},
                new Object[] {0.0, -0.0},
                new Object[] {Float.intBitsToFloat(0x7FC0_0001), Float.intBitsToFloat(0x7FC0_0002)},
                new Object[] {Double.longBitsToDouble(0x7FF8_0000_0000_0001L), Double.NaN},
                new Object[] {new BigDecimal("1.0"), new BigDecimal("1.00")},
                new Object[] {List.of(1, 2), List.of(2, 1)},
                new Object[] {new LinkedHashSet<>(List.of(1L, 2L)), new LinkedHashSet<>(List.of(2L, 1L))},
                new Object[] {Optional.empty(), Optional.of("")},
                new Object[] {shape, new Shape("s", 3, 1.0, Color.BLUE)},
                new Object[] {List.of(shape), new ArrayList<>(Arrays.asList((Shape) null))},
                new Object[] {new Tree("a", List.of(new Tree("b", null))), new Tree("a", List.of(new Tree("b", List.of())))},
                new Object[] {new CounterRef(new AddressRef("/a")), new CounterRef(new AddressRef("/b"))},
                new Object[] {new CounterRef(new AddressRef("/a")), new AccountRef(new AddressRef("/a"))},
                new Object[] {"\uD800", "\uDC00"});
        for (Object[] pair : different) {
            assertTrue(difference(pair[0], pair[1], "") != null, brief(pair[0]) + " and " + brief(pair[1]));
        }
        assertNull(difference(new AllTypesMessage.EchoBytes(new byte[] {1}), new AllTypesMessage.EchoBytes(new byte[] {1}), ""));
        assertNull(difference(Map.of("k", List.of(new double[] {Double.NaN})), Map.of("k", List.of(new double[] {Double.NaN})), ""));
        assertNull(difference(new CounterRef(new AddressRef("/a")), new CounterRef(new AddressRef("/a")), ""));
    }

    /** The generated codec writes the bytes the wire format page shows (one side alone can be wrong). */
    @Test
    void theBytesAreThoseOfTheWireFormatPage() {
        // echoOptional is index 4; an Optional has its own presence byte, then its content's
        assertEquals("04 01 01 01 61", hex(encode(new AllTypesMessage.EchoOptional(Optional.of("a")))));
        assertEquals("04 01 00", hex(encode(new AllTypesMessage.EchoOptional(Optional.empty()))));
        assertEquals("04 00", hex(encode(new AllTypesMessage.EchoOptional(null))));
        // collections is index 2: List.of("a") is 01 01 01 01 61; then four absent values
        assertEquals("02 01 01 01 01 61 00 00 00 00",
                hex(encode(new AllTypesMessage.Collections(List.of("a"), null, null, null, null))));
        // a set of one long, -1; a map of "k" to an empty list; Optional.of(BLUE)
        assertEquals("02 00 01 01 01 01 01 01 01 01 6b 01 00 01 01 02 00",
                hex(encode(new AllTypesMessage.Collections(null, Set.of(-1L), Map.of("k", List.of()),
                        Optional.of(Color.BLUE), null))));
        // echoShape is index 5: a record is its presence byte, then each component
        assertEquals("05 01 01 02 68 69 04 00 00 00 00 00 00 f0 3f 01 01",
                hex(encode(new AllTypesMessage.EchoShape(new Shape("hi", 2, 1.0, Color.GREEN)))));
        // references is index 8: an actor reference is its address
        assertEquals("08 01 07 2f 75 73 65 72 2f 61 00 00",
                hex(encode(new AllTypesMessage.References(new CounterRef(new AddressRef("/user/a")), null, null))));
        // scalars is index 9
        assertEquals("09 01 02 c3 a9 01 77 66 55 44 33 22 11 00 ff ee dd cc bb aa 99 88 01 02 05 01 03 80 ca b5 ee 01"
                        + " 01 02 00 ff 01 01 0f 02",
                hex(encode(new AllTypesMessage.Scalars("é", UUID.fromString("00112233-4455-6677-8899-aabbccddeeff"),
                        Instant.ofEpochSecond(1, 5), Duration.ofMillis(-1500), BigInteger.valueOf(255),
                        new BigDecimal("1.5")))));
        // arrays is index 0
        assertEquals("00 01 03 01 02 03 00 00 00 01 02 02 01 00 00 01 01 00 00 00 00 00 00 f0 3f",
                hex(encode(new AllTypesMessage.Arrays(new byte[] {1, 2, 3}, null, null, null, new int[] {1, -1}, null,
                        null, new double[] {1.0}))));
        // a reply is the value alone
        assertEquals("01 03 01 02 03", hex(encodeReply(AllTypesProtocol.ECHO_BYTES.index(), new byte[] {1, 2, 3})));
        assertEquals("00", hex(encodeReply(AllTypesProtocol.ECHO_SHAPE.index(), null)));
        assertEquals("01 01 01 01 61 01 00 00",
                hex(encodeReply(AllTypesProtocol.ECHO_TREES.index(), Map.of("a", new Tree(null, null)))));
    }

    @Test
    void theBoundaryValuesSurvive() {
        AllTypesMessage.Primitives min = new AllTypesMessage.Primitives(false, Byte.MIN_VALUE, Short.MIN_VALUE,
                Character.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE, -Float.MAX_VALUE, Double.NEGATIVE_INFINITY);
        AllTypesMessage.Primitives max = new AllTypesMessage.Primitives(true, Byte.MAX_VALUE, Short.MAX_VALUE,
                Character.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Float.intBitsToFloat(0x7FC0_1234), -0.0);
        AllTypesMessage.Scalars scalars = new AllTypesMessage.Scalars("\uD800x\uDFFF\uDBFF\uDC00", new UUID(-1L, Long.MIN_VALUE),
                Instant.MIN, Duration.ofSeconds(Long.MIN_VALUE), BigInteger.ONE.shiftLeft(4_000).negate(),
                new BigDecimal(BigInteger.valueOf(-1), Integer.MIN_VALUE));
        AllTypesMessage.Scalars scalarsMax = new AllTypesMessage.Scalars("", new UUID(0, 0), Instant.MAX,
                Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), BigInteger.ZERO,
                new BigDecimal(BigInteger.TEN, Integer.MAX_VALUE));
        for (AllTypesMessage message : List.of(min, max, scalars, scalarsMax)) {
            assertDeepEquals(message, decode(encode(message)), "decoded message");
        }
        // index 7, false, -128, Short.MIN_VALUE, '\0', Integer.MIN_VALUE, Long.MIN_VALUE, -Float.MAX_VALUE, -inf
        assertEquals("07 00 80 ff ff 03 00 ff ff ff ff 0f ff ff ff ff ff ff ff ff ff 01 ff ff 7f ff 00 00 00 00 00 00 f0 ff",
                hex(encode(min)));
    }

    // ---------------------------------------------------------------------------------------------
    // Hostile input

    /**
     * Random and mutated bytes through decode and decodeReply: the only failure allowed is
     * {@link CodecException}; what does decode must survive encoding and decoding again.
     */
    @Test
    void hostileBytesFailOnlyWithCodecException() {
        Random random = new Random(SEED ^ 0x5DEECE66DL);
        Values values = new Values(new Random(SEED ^ 0xBB67AE8584CAA73BL), true, null);
        List<byte[]> corpus = new ArrayList<>();
        List<Integer> corpusReplyIndex = new ArrayList<>();
        for (int n = 0; n < 60; n++) {
            for (MethodDescriptor method : PROTOCOL.methods()) {
                corpus.add(encode(values.message(method.name())));
                corpusReplyIndex.add(-1);
                for (int r = 0; method.ask() && r < 3; r++) {
                    corpus.add(encodeReply(method.index(), values.reply(method.name())));
                    corpusReplyIndex.add(method.index());
                }
            }
        }
        int methodCount = PROTOCOL.methods().size();
        long start = System.nanoTime();
        int cases = 0;
        int decodedMessages = 0;
        int decodedReplies = 0;
        boolean timedOut = false;
        while (cases < FUZZ_CASES) {
            if ((cases & 0xFF) == 0 && System.nanoTime() - start > FUZZ_TIME_NANOS) {
                timedOut = true;
                break;
            }
            byte[] input;
            int replyIndex;
            if (random.nextInt(10) == 0) {
                input = new byte[random.nextInt(48)];
                random.nextBytes(input);
                if (input.length > 0 && random.nextBoolean()) {
                    input[0] = (byte) random.nextInt(methodCount + 1);
                }
                replyIndex = random.nextInt(methodCount + 2) - 1;
            } else {
                int pick = random.nextInt(corpus.size());
                input = mutate(random, corpus.get(pick));
                replyIndex = corpusReplyIndex.get(pick) >= 0 && random.nextInt(4) != 0
                        ? corpusReplyIndex.get(pick)
                        : random.nextInt(methodCount + 2) - 1;
            }
            cases++;
            AllTypesMessage message = null;
            try {
                message = decode(input);
            } catch (CodecException expected) {
                checkNotWrapped(expected, cases, "decode(" + hex(input) + ")");
            } catch (Throwable e) {
                throw new AssertionError(seed() + "case " + cases + ": decode(" + hex(input) + ") threw " + e, e);
            }
            if (message != null) {
                decodedMessages++;
                try {
                    assertDeepEquals(message, decode(encode(message)), "the decoded message encoded and decoded again");
                } catch (Throwable e) {
                    throw new AssertionError(seed() + "case " + cases + ": " + hex(input) + ": " + e.getMessage(), e);
                }
            }
            Object reply = null;
            boolean replied = false;
            try {
                reply = decodeReply(replyIndex, input);
                replied = true;
            } catch (CodecException expected) {
                checkNotWrapped(expected, cases, "decodeReply(" + replyIndex + ", " + hex(input) + ")");
            } catch (Throwable e) {
                throw new AssertionError(seed() + "case " + cases + ": decodeReply(" + replyIndex + ", " + hex(input)
                        + ") threw " + e, e);
            }
            if (replied) {
                decodedReplies++;
                try {
                    assertDeepEquals(reply, decodeReply(replyIndex, encodeReply(replyIndex, reply)),
                            "the decoded reply encoded and decoded again");
                } catch (Throwable e) {
                    throw new AssertionError(seed() + "case " + cases + ": reply " + replyIndex + ", " + hex(input) + ": "
                            + e.getMessage(), e);
                }
            }
        }
        assertTrue(cases >= (timedOut ? 20_000 : FUZZ_CASES), seed() + "only " + cases + " cases ran");
        // the mutations must leave some inputs valid, or they test nothing but the first byte
        assertTrue(decodedMessages > cases / 100, seed() + "only " + decodedMessages + " of " + cases + " decoded");
        assertTrue(decodedReplies > cases / 200, seed() + "only " + decodedReplies + " replies of " + cases + " decoded");
    }

    /**
     * The generated decoders turn any stray runtime exception into a {@link CodecException}; the
     * reader is meant to report malformed input itself, so a wrapped exception is a bug too.
     */
    private static void checkNotWrapped(CodecException e, int cases, String call) {
        if (e.getCause() != null && e.getMessage().startsWith("Malformed " + AllTypes.class.getName())) {
            throw new AssertionError(seed() + "case " + cases + ": " + call + " failed with " + e.getCause()
                    + ", which only the generated catch-all turned into a CodecException", e);
        }
    }

    private static final byte[][] HUGE_VARINTS = {
        {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07},
        {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F},
        {(byte) 0xFE, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F},
        {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08},
        {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01},
        {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, 0x01},
        {(byte) 0x81, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00},
        {(byte) 0xC0, (byte) 0x84, 0x3D},
    };

    private static byte[] mutate(Random random, byte[] original) {
        byte[] bytes = original;
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            int length = bytes.length;
            int at = length == 0 ? 0 : random.nextInt(length);
            switch (random.nextInt(8)) {
                case 0 -> { // flip bits
                    if (length > 0) {
                        bytes = bytes.clone();
                        bytes[at] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> { // set a byte to a value readers treat specially
                    if (length > 0) {
                        bytes = bytes.clone();
                        int[] specials = {0x00, 0x01, 0x02, 0x7F, 0x80, 0xBF, 0xC0, 0xED, 0xF0, 0xF8, 0xFF};
                        bytes[at] = (byte) specials[random.nextInt(specials.length)];
                    }
                }
                case 2 -> bytes = Arrays.copyOf(bytes, length == 0 ? 0 : random.nextInt(length)); // truncate
                case 3 -> { // insert random bytes
                    byte[] inserted = new byte[1 + random.nextInt(6)];
                    random.nextBytes(inserted);
                    bytes = splice(bytes, random.nextInt(length + 1), 0, inserted);
                }
                case 4 -> { // delete a range
                    if (length > 0) {
                        bytes = splice(bytes, at, 1 + random.nextInt(Math.min(8, length - at)), new byte[0]);
                    }
                }
                case 5 -> { // insert a huge varint
                    bytes = splice(bytes, random.nextInt(length + 1), 0, HUGE_VARINTS[random.nextInt(HUGE_VARINTS.length)]);
                }
                case 6 -> { // overwrite with a huge varint
                    byte[] varint = HUGE_VARINTS[random.nextInt(HUGE_VARINTS.length)];
                    bytes = splice(bytes, at, Math.min(varint.length, length - at), varint);
                }
                default -> { // duplicate a slice
                    if (length > 0) {
                        int count = 1 + random.nextInt(Math.min(16, length - at));
                        bytes = splice(bytes, random.nextInt(length + 1), 0, Arrays.copyOfRange(bytes, at, at + count));
                    }
                }
            }
        }
        return bytes;
    }

    private static byte[] splice(byte[] bytes, int at, int removed, byte[] inserted) {
        byte[] result = new byte[bytes.length - removed + inserted.length];
        System.arraycopy(bytes, 0, result, 0, at);
        System.arraycopy(inserted, 0, result, at, inserted.length);
        System.arraycopy(bytes, at + removed, result, at + inserted.length, bytes.length - at - removed);
        return result;
    }

    @Test
    void aValueNestedDeeperThan64LevelsFailsToEncode() {
        AllTypesMessage deep = new AllTypesMessage.Shapes(null, null, chain(100, null), null);
        CodecException e = assertThrows(CodecException.class, () -> encode(deep));
        assertTrue(e.getMessage().contains("64"), e.getMessage());
        assertThrows(CodecException.class, () -> encodeReply(AllTypesProtocol.ECHO_TREES.index(),
                Map.of("deep", chain(100, null))));

        // a tree of n nodes nests 2n - 1 levels (records and children lists), or 2n with an empty leaf list
        assertDeepEquals(chain(32, List.of()), shapesTree(decode(encode(new AllTypesMessage.Shapes(null, null,
                chain(32, List.of()), null)))), "a tree nested exactly 64 levels");
        assertThrows(CodecException.class, () -> encode(new AllTypesMessage.Shapes(null, null, chain(33, null), null)));

        // a list that contains itself is stopped by the same limit
        List<Tree> children = new ArrayList<>();
        Tree loop = new Tree("loop", children);
        children.add(loop);
        assertThrows(CodecException.class, () -> encode(new AllTypesMessage.Shapes(null, null, loop, null)));
    }

    @Test
    void aValueNestedDeeperThan64LevelsFailsToDecode() {
        assertDeepEquals(unlabelled(chain(32, List.of())), shapesTree(decode(shapesWithTreeBytes(32, true))), "64 levels");
        assertThrows(CodecException.class, () -> decode(shapesWithTreeBytes(33, false)));
        CodecException e = assertThrows(CodecException.class, () -> decode(shapesWithTreeBytes(100, false)));
        assertTrue(e.getMessage().contains("64"), e.getMessage());
        assertThrows(CodecException.class, () -> decode(shapesWithTreeBytes(5_000, false)));
    }

    private static Tree chain(int nodes, List<Tree> leafChildren) {
        Tree tree = new Tree("leaf", leafChildren);
        for (int i = 1; i < nodes; i++) {
            tree = new Tree("n" + i, List.of(tree));
        }
        return tree;
    }

    private static Tree unlabelled(Tree tree) {
        return new Tree(null, tree.children() == null ? null : tree.children().stream().map(t -> unlabelled(t)).toList());
    }

    private static Tree shapesTree(AllTypesMessage message) {
        return ((AllTypesMessage.Shapes) message).tree();
    }

    /** The bytes of {@code shapes(null, null, tree, null)} for a chain of trees, written by hand. */
    private static byte[] shapesWithTreeBytes(int nodes, boolean emptyLeafList) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(AllTypesProtocol.SHAPES.index());
        out.write(0); // shape
        out.write(0); // color
        for (int i = 0; i < nodes - 1; i++) {
            out.writeBytes(new byte[] {1, 0, 1, 1}); // tree present, no label, children present, one child
        }
        out.writeBytes(emptyLeafList ? new byte[] {1, 0, 1, 0} : new byte[] {1, 0, 0});
        out.write(0); // pair
        return out.toByteArray();
    }

    @Test
    void anUnknownMethodIndexFails() {
        for (byte[] input : new byte[][] {
            {11}, {12}, {0x7F}, {(byte) 0x80, 0x01}, {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x07},
            {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x0F}, {},
        }) {
            CodecException e = assertThrows(CodecException.class, () -> decode(input), hex(input));
            if (input.length > 0 && input[0] != (byte) 0xFF) {
                assertTrue(e.getMessage().contains("Unknown method index"), e.getMessage());
            }
        }
        byte[] validReply = {0};
        for (int index : new int[] {-1, AllTypesProtocol.ARRAYS.index(), AllTypesProtocol.PRIMITIVES.index(), 11, 99}) {
            assertThrows(CodecException.class, () -> decodeReply(index, validReply), "reply of method " + index);
        }
        assertNull(decodeReply(AllTypesProtocol.ECHO_SHAPE.index(), validReply));
    }

    @Test
    void trailingBytesFail() {
        byte[] bytes = encode(new AllTypesMessage.EchoBytes(new byte[] {1, 2}));
        assertThrows(CodecException.class, () -> decode(Arrays.copyOf(bytes, bytes.length + 1)));
        assertThrows(CodecException.class, () -> decodeReply(AllTypesProtocol.ECHO_BYTES.index(), new byte[] {0, 0}));
    }

    // ---------------------------------------------------------------------------------------------
    // Codec plumbing

    private static byte[] encode(AllTypesMessage message) {
        WireWriter out = new WireWriter(64, ANY_ADDRESS);
        PROTOCOL.encode(message, out);
        return out.toByteArray();
    }

    private static AllTypesMessage decode(byte[] bytes) {
        return PROTOCOL.decode(new WireReader(bytes, 0, bytes.length, ANY_ADDRESS, WireWriter.DEFAULT_MAX_DEPTH));
    }

    private static byte[] encodeReply(int methodIndex, Object reply) {
        WireWriter out = new WireWriter(64, ANY_ADDRESS);
        PROTOCOL.encodeReply(methodIndex, reply, out);
        return out.toByteArray();
    }

    private static Object decodeReply(int methodIndex, byte[] bytes) {
        return PROTOCOL.decodeReply(methodIndex,
                new WireReader(bytes, 0, bytes.length, ANY_ADDRESS, WireWriter.DEFAULT_MAX_DEPTH));
    }

    /** A reference that is only an address. */
    record AddressRef(String address) implements ActorRef<Object> {
        @Override
        public void tell(Object message) {
            throw new UnsupportedOperationException("an address only");
        }

        @Override
        public <R> CompletableFuture<R> ask(Ask<R> message) {
            throw new UnsupportedOperationException("an address only");
        }

        @Override
        public <R> CompletableFuture<R> ask(Ask<R> message, Duration timeout) {
            throw new UnsupportedOperationException("an address only");
        }
    }

    /** Resolves any address to a proxy over an {@link AddressRef}. */
    static final class AnyAddress implements ReferenceCodec {
        @Override
        public String addressOf(Object reference) {
            throw new CodecException("not a reference: " + reference.getClass().getName());
        }

        @Override
        public <P> P resolve(Class<P> protocol, String address) {
            return proxyOver(ProtocolDefinition.of(protocol), new AddressRef(address));
        }

        private static <P, M> P proxyOver(ProtocolDefinition<P, M> definition, ActorRef<Object> ref) {
            return definition.proxy(ref);
        }

        @Override
        public ActorRef<Object> resolveRef(String address) {
            return new AddressRef(address);
        }
    }

    /** An {@code AllTypes} implementation that records each call and echoes each ask's argument. */
    static final class Recorder {
        String lastMethod;
        Object[] lastArguments;

        AllTypes proxy() {
            return (AllTypes) java.lang.reflect.Proxy.newProxyInstance(AllTypes.class.getClassLoader(),
                    new Class<?>[] {AllTypes.class}, (self, method, arguments) -> {
                        if (method.getDeclaringClass() == Object.class) {
                            return switch (method.getName()) {
                                case "equals" -> self == arguments[0];
                                case "hashCode" -> System.identityHashCode(self);
                                default -> "Recorder";
                            };
                        }
                        lastMethod = method.getName();
                        lastArguments = arguments;
                        return method.getReturnType() == void.class ? null : CompletableFuture.completedFuture(arguments[0]);
                    });
        }
    }

    private static Method protocolMethod(String name) {
        return Arrays.stream(AllTypes.class.getMethods()).filter(m -> m.getName().equals(name)).findFirst().orElseThrow();
    }

    private static Object[] components(Record record) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            values[i] = component(record, components[i]);
        }
        return values;
    }

    private static Object component(Record record, RecordComponent component) {
        try {
            Method accessor = component.getAccessor();
            accessor.setAccessible(true);
            return accessor.invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    private static Object[] components(AllTypesMessage message) {
        return components((Record) message);
    }

    // ---------------------------------------------------------------------------------------------
    // Deep equality: arrays by content, floating point by raw bits, records by component, ordered
    // collections in order, references by address

    private static void assertDeepEquals(Object expected, Object actual, String what) {
        String difference = difference(expected, actual, "");
        if (difference != null) {
            fail(what + " differs at " + (difference.isEmpty() ? "the root" : difference));
        }
    }

    private static String difference(Object a, Object b, String path) {
        if (a == b) {
            return null;
        }
        if (a == null || b == null) {
            return path + ": " + brief(a) + " vs " + brief(b);
        }
        if (a instanceof Float x && b instanceof Float y) {
            return Float.floatToRawIntBits(x) == Float.floatToRawIntBits(y) ? null
                    : path + ": float bits " + Integer.toHexString(Float.floatToRawIntBits(x)) + " vs "
                            + Integer.toHexString(Float.floatToRawIntBits(y));
        }
        if (a instanceof Double x && b instanceof Double y) {
            return Double.doubleToRawLongBits(x) == Double.doubleToRawLongBits(y) ? null
                    : path + ": double bits " + Long.toHexString(Double.doubleToRawLongBits(x)) + " vs "
                            + Long.toHexString(Double.doubleToRawLongBits(y));
        }
        if (a.getClass().isArray()) {
            if (b.getClass() != a.getClass()) {
                return path + ": " + a.getClass().getSimpleName() + " vs " + b.getClass().getSimpleName();
            }
            int length = Array.getLength(a);
            if (length != Array.getLength(b)) {
                return path + ": length " + length + " vs " + Array.getLength(b);
            }
            for (int i = 0; i < length; i++) {
                String d = difference(Array.get(a, i), Array.get(b, i), path + "[" + i + "]");
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (ProtocolProxy.actorRefOf(a) != null) {
            if (b.getClass() != a.getClass()) {
                return path + ": " + a.getClass().getSimpleName() + " vs " + b.getClass().getSimpleName();
            }
            return difference(ProtocolProxy.actorRefOf(a), ProtocolProxy.actorRefOf(b), path + ".ref");
        }
        if (a instanceof ActorRef<?> x) {
            return b instanceof ActorRef<?> y && x.address().equals(y.address()) ? null
                    : path + ": reference " + brief(a) + " vs " + brief(b);
        }
        if (a instanceof Record x) {
            if (b.getClass() != a.getClass()) {
                return path + ": " + a.getClass().getSimpleName() + " vs " + b.getClass().getSimpleName();
            }
            for (RecordComponent component : a.getClass().getRecordComponents()) {
                String d = difference(component(x, component), component((Record) b, component),
                        path + "." + component.getName());
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a instanceof List<?> || a instanceof Set<?>) {
            if (!(b instanceof List<?> || b instanceof Set<?>) || (a instanceof List<?>) != (b instanceof List<?>)) {
                return path + ": " + a.getClass().getSimpleName() + " vs " + b.getClass().getSimpleName();
            }
            return inOrder(((Iterable<?>) a).iterator(), ((Iterable<?>) b).iterator(), path);
        }
        if (a instanceof Map<?, ?> x) {
            if (!(b instanceof Map<?, ?> y)) {
                return path + ": map vs " + b.getClass().getSimpleName();
            }
            if (x.size() != y.size()) {
                return path + ": size " + x.size() + " vs " + y.size();
            }
            Iterator<? extends Map.Entry<?, ?>> i = x.entrySet().iterator();
            Iterator<? extends Map.Entry<?, ?>> j = y.entrySet().iterator();
            for (int n = 0; i.hasNext(); n++) {
                Map.Entry<?, ?> e = i.next();
                Map.Entry<?, ?> f = j.next();
                String d = difference(e.getKey(), f.getKey(), path + "{key " + n + "}");
                if (d == null) {
                    d = difference(e.getValue(), f.getValue(), path + "{" + brief(e.getKey()) + "}");
                }
                if (d != null) {
                    return d;
                }
            }
            return null;
        }
        if (a instanceof Optional<?> x) {
            return b instanceof Optional<?> y ? difference(x.orElse(null), y.orElse(null), path + ".get()")
                    : path + ": optional vs " + b.getClass().getSimpleName();
        }
        return a.equals(b) ? null : path + ": " + brief(a) + " vs " + brief(b);
    }

    private static String inOrder(Iterator<?> i, Iterator<?> j, String path) {
        int n = 0;
        while (i.hasNext() && j.hasNext()) {
            String d = difference(i.next(), j.next(), path + "[" + n++ + "]");
            if (d != null) {
                return d;
            }
        }
        return i.hasNext() || j.hasNext() ? path + ": sizes differ after " + n + " elements" : null;
    }

    private static String brief(Object value) {
        String text = MessageText.argument(value);
        return text.length() > 300 ? text.substring(0, 300) + "... (" + text.length() + " chars)" : text;
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            if (!text.isEmpty()) {
                text.append(' ');
            }
            text.append(String.format("%02x", b & 0xFF));
        }
        return text.toString();
    }

    // ---------------------------------------------------------------------------------------------
    // Random values

    /**
     * Random arguments for every {@code AllTypes} method: extreme numbers, every kind of UTF-16
     * string, nulls in every nullable position, empty and (now and then) large collections, and
     * trees a few levels deep.
     */
    static final class Values {
        private static final int[] INTS = {0, 1, -1, 63, 64, -64, -65, 127, 128, 8191, 8192, Short.MIN_VALUE,
            Short.MAX_VALUE, 0xFFFF, 1 << 20, 1 << 28, Integer.MIN_VALUE, Integer.MAX_VALUE, Integer.MIN_VALUE + 1,
            Integer.MAX_VALUE - 1};
        private static final long[] LONGS = {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE + 1,
            Integer.MIN_VALUE, Integer.MAX_VALUE, 1L << 35, 1L << 56, 1L << 62, -(1L << 62)};
        private static final float[] FLOATS = {0f, -0f, 1f, -1f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL,
            Float.MAX_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN,
            Float.intBitsToFloat(0x7FC0_0001), Float.intBitsToFloat(0xFFC1_2345)};
        private static final double[] DOUBLES = {0d, -0d, 1d, -1d, Double.MIN_VALUE, -Double.MIN_VALUE,
            Double.MIN_NORMAL, Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NaN, Double.longBitsToDouble(0x7FF8_0000_0000_0001L), Double.longBitsToDouble(0xFFF8_DEAD_BEEF_0000L)};

        private final Random random;
        private final boolean small;
        private final List<String> addresses;
        /** How many more large collections, arrays or strings the current value may hold. */
        private int largeBudget;
        /** How many large values were made. */
        int largeValues;

        /**
         * @param random the source of randomness
         * @param small whether to keep values short (no large collections or strings)
         * @param addresses the addresses references may have, or {@code null} for any string
         */
        Values(Random random, boolean small, List<String> addresses) {
            this.random = random;
            this.small = small;
            this.addresses = addresses;
        }

        AllTypesMessage message(String method) {
            largeBudget = 2;
            return switch (method) {
                case "primitives" -> new AllTypesMessage.Primitives(random.nextBoolean(), (byte) anInt(), (short) anInt(),
                        aChar(), anInt(), aLong(), aFloat(), aDouble());
                case "boxes" -> new AllTypesMessage.Boxes(orNull(random::nextBoolean), orNull(() -> (byte) anInt()),
                        orNull(() -> (short) anInt()), orNull(this::aChar), orNull(this::anInt), orNull(this::aLong),
                        orNull(this::aFloat), orNull(this::aDouble));
                case "arrays" -> new AllTypesMessage.Arrays(orNull(this::bytes), orNull(this::booleans), orNull(this::shorts),
                        orNull(this::chars), orNull(this::ints), orNull(this::longs), orNull(this::floats),
                        orNull(this::doubles));
                case "scalars" -> new AllTypesMessage.Scalars(orNull(this::string), orNull(this::uuid), orNull(this::instant),
                        orNull(this::duration), orNull(this::bigInteger), orNull(this::bigDecimal));
                case "shapes" -> new AllTypesMessage.Shapes(orNull(this::shape), orNull(this::color),
                        orNull(() -> tree(random.nextInt(5))), orNull(this::pair));
                case "collections" -> new AllTypesMessage.Collections(orNull(() -> list(() -> orNull(this::string))),
                        orNull(() -> set(() -> orNull(this::aLong))),
                        orNull(() -> map(() -> orNull(this::string), () -> orNull(() -> list(() -> orNull(this::shape))))),
                        orNull(() -> optional(this::color)),
                        orNull(() -> list(() -> orNull(() -> optional(() -> colorBytes())))));
                case "references" -> new AllTypesMessage.References(orNull(this::counter), orNull(this::counterRef),
                        orNull(() -> list(() -> orNull(this::counter))));
                case "echoShape" -> new AllTypesMessage.EchoShape(orNull(this::shape));
                case "echoTrees" -> new AllTypesMessage.EchoTrees(orNull(this::trees));
                case "echoOptional" -> new AllTypesMessage.EchoOptional(orNull(() -> optional(this::string)));
                case "echoBytes" -> new AllTypesMessage.EchoBytes(orNull(this::bytes));
                default -> throw new AssertionError("no random message for AllTypes." + method + "; add one");
            };
        }

        Object reply(String method) {
            largeBudget = 2;
            return switch (method) {
                case "echoShape" -> orNull(this::shape);
                case "echoTrees" -> orNull(this::trees);
                case "echoOptional" -> orNull(() -> optional(this::string));
                case "echoBytes" -> orNull(this::bytes);
                default -> throw new AssertionError("no random reply for AllTypes." + method + "; add one");
            };
        }

        /** @return whether the next value may be large: now and then, at most twice per message */
        private boolean large(int oneIn) {
            if (small || largeBudget == 0 || random.nextInt(oneIn) != 0) {
                return false;
            }
            largeBudget--;
            largeValues++;
            return true;
        }

        private <T> T orNull(Supplier<T> value) {
            return random.nextInt(8) == 0 ? null : value.get();
        }

        /** A collection size: usually small, often zero, now and then large. */
        private int size() {
            if (large(100)) {
                return 300 + random.nextInt(2_000);
            }
            return random.nextInt(4) == 0 ? 0 : random.nextInt(small ? 4 : 8);
        }

        int anInt() {
            return switch (random.nextInt(4)) {
                case 0 -> INTS[random.nextInt(INTS.length)];
                case 1 -> random.nextInt() >> random.nextInt(32);
                default -> random.nextInt();
            };
        }

        long aLong() {
            return switch (random.nextInt(4)) {
                case 0 -> LONGS[random.nextInt(LONGS.length)];
                case 1 -> random.nextLong() >> random.nextInt(64);
                default -> random.nextLong();
            };
        }

        char aChar() {
            return random.nextBoolean() ? (char) random.nextInt(0x10000) : (char) INTS[random.nextInt(INTS.length)];
        }

        float aFloat() {
            return random.nextBoolean() ? FLOATS[random.nextInt(FLOATS.length)] : Float.intBitsToFloat(random.nextInt());
        }

        double aDouble() {
            return random.nextBoolean() ? DOUBLES[random.nextInt(DOUBLES.length)] : Double.longBitsToDouble(random.nextLong());
        }

        /** A string of any UTF-16 content: ASCII, two- and three-byte forms, pairs, lone surrogates. */
        String string() {
            int length = large(100) ? 1_000 + random.nextInt(10_000) : random.nextInt(small ? 6 : 24);
            StringBuilder text = new StringBuilder(length + 1);
            while (text.length() < length) {
                switch (random.nextInt(9)) {
                    case 0, 1, 2 -> text.append((char) random.nextInt(0x80));
                    case 3 -> text.append((char) (0x80 + random.nextInt(0x780)));
                    case 4 -> text.append((char) (0x800 + random.nextInt(0xF800)));
                    case 5 -> text.appendCodePoint(0x10000 + random.nextInt(0x100000));
                    case 6 -> text.append((char) (0xD800 + random.nextInt(0x400)));
                    case 7 -> text.append((char) (0xDC00 + random.nextInt(0x400)));
                    default -> text.append((char) random.nextInt(0x10000));
                }
            }
            return text.toString();
        }

        private int arrayLength() {
            return large(50) ? 1_000 + random.nextInt(5_000) : size();
        }

        byte[] bytes() {
            byte[] value = new byte[arrayLength()];
            random.nextBytes(value);
            return value;
        }

        boolean[] booleans() {
            boolean[] value = new boolean[arrayLength()];
            for (int i = 0; i < value.length; i++) {
                value[i] = random.nextBoolean();
            }
            return value;
        }

        short[] shorts() {
            short[] value = new short[arrayLength()];
            for (int i = 0; i < value.length; i++) {
                value[i] = (short) anInt();
            }
            return value;
        }

        char[] chars() {
            char[] value = new char[arrayLength()];
            for (int i = 0; i < value.length; i++) {
                value[i] = aChar();
            }
            return value;
        }

        int[] ints() {
            int[] value = new int[arrayLength()];
            for (int i = 0; i < value.length; i++) {
                value[i] = anInt();
            }
            return value;
        }

        long[] longs() {
            long[] value = new long[arrayLength()];
            for (int i = 0; i < value.length; i++) {
                value[i] = aLong();
            }
            return value;
        }

        float[] floats() {
            float[] value = new float[arrayLength()];
            for (int i = 0; i < value.length; i++) {
                value[i] = aFloat();
            }
            return value;
        }

        double[] doubles() {
            double[] value = new double[arrayLength()];
            for (int i = 0; i < value.length; i++) {
                value[i] = aDouble();
            }
            return value;
        }

        UUID uuid() {
            return random.nextInt(10) == 0 ? new UUID(0, 0) : new UUID(aLong(), aLong());
        }

        Instant instant() {
            return switch (random.nextInt(6)) {
                case 0 -> Instant.MIN;
                case 1 -> Instant.MAX;
                case 2 -> Instant.ofEpochSecond(random.nextInt(), random.nextInt(1_000_000_000));
                default -> Instant.ofEpochSecond(
                        random.nextLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond() + 1),
                        random.nextInt(1_000_000_000));
            };
        }

        Duration duration() {
            return switch (random.nextInt(5)) {
                case 0 -> Duration.ofSeconds(Long.MIN_VALUE);
                case 1 -> Duration.ofSeconds(Long.MAX_VALUE, 999_999_999);
                case 2 -> Duration.ZERO;
                default -> Duration.ofSeconds(aLong(), random.nextInt(1_000_000_000));
            };
        }

        BigInteger bigInteger() {
            int bits = large(50) ? random.nextInt(20_000) : random.nextInt(small ? 80 : 300);
            BigInteger value = new BigInteger(bits, random);
            return random.nextBoolean() ? value.negate() : value;
        }

        BigDecimal bigDecimal() {
            int scale = random.nextInt(5) == 0 ? anInt() : random.nextInt(40) - 20;
            return new BigDecimal(bigInteger(), scale);
        }

        Color color() {
            return Color.values()[random.nextInt(Color.values().length)];
        }

        Shape shape() {
            return new Shape(orNull(this::string), anInt(), aDouble(), orNull(this::color));
        }

        /** A tree at most {@code depth} levels below this one. */
        Tree tree(int depth) {
            List<Tree> children = depth == 0
                    ? (random.nextBoolean() ? null : new ArrayList<>())
                    : orNull(() -> {
                        int count = random.nextInt(4);
                        List<Tree> list = new ArrayList<>(count);
                        for (int i = 0; i < count; i++) {
                            list.add(orNull(() -> tree(depth - 1)));
                        }
                        return list;
                    });
            return new Tree(orNull(this::string), children);
        }

        Map<String, Tree> trees() {
            return map(() -> orNull(this::string), () -> orNull(() -> tree(random.nextInt(4))));
        }

        Pair<String, List<Integer>> pair() {
            return new Pair<>(orNull(this::string), orNull(() -> list(() -> orNull(this::anInt))));
        }

        <T> List<T> list(Supplier<T> element) {
            int size = size();
            List<T> list = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                list.add(element.get());
            }
            return list;
        }

        <T> Set<T> set(Supplier<T> element) {
            int size = size();
            Set<T> set = new LinkedHashSet<>();
            for (int i = 0; i < size; i++) {
                set.add(element.get());
            }
            return set;
        }

        <K, V> Map<K, V> map(Supplier<K> key, Supplier<V> value) {
            int size = size();
            Map<K, V> map = new LinkedHashMap<>();
            for (int i = 0; i < size; i++) {
                map.put(key.get(), value.get());
            }
            return map;
        }

        <T> Optional<T> optional(Supplier<T> value) {
            return random.nextInt(3) == 0 ? Optional.empty() : Optional.of(value.get());
        }

        Map<Color, byte[]> colorBytes() {
            Map<Color, byte[]> map = new LinkedHashMap<>();
            int size = random.nextInt(5);
            for (int i = 0; i < size; i++) {
                map.put(orNull(this::color), orNull(() -> {
                    byte[] value = new byte[random.nextInt(6)];
                    random.nextBytes(value);
                    return value;
                }));
            }
            return map;
        }

        private String address() {
            return addresses == null ? string() : addresses.get(random.nextInt(addresses.size()));
        }

        Counter counter() {
            return new CounterRef(new AddressRef(address()));
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        ActorRef<CounterMessage> counterRef() {
            return (ActorRef<CounterMessage>) (ActorRef) new AddressRef(address());
        }
    }
}
