package io.spinoff.api.support;

import static io.spinoff.api.support.WireTestSupport.bytes;
import static io.spinoff.api.support.WireTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.spinoff.api.ActorRef;
import io.spinoff.api.CodecException;
import io.spinoff.api.support.WireTestSupport.Color;
import io.spinoff.api.support.WireTestSupport.FakeRef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every value written by {@link WireWriter} reads back equal through {@link WireReader}, consuming
 * exactly the bytes written; a few exact encodings pin the format.
 */
class WireRoundTripTest {

    private static final int VALUES_PER_TYPE = 3_000;

    /** One value type: how to make a random value, write it, read it and compare it. */
    record Kind<T>(
            String name,
            Function<Random, T> random,
            BiConsumer<WireWriter, T> write,
            Function<WireReader, T> read,
            BiPredicate<T, T> same) {

        Kind(String name, Function<Random, T> random, BiConsumer<WireWriter, T> write,
                Function<WireReader, T> read) {
            this(name, random, write, read, Objects::deepEquals);
        }
    }

    // ---------------------------------------------------------------- random values

    private static final int[] INT_EDGES = {
        0, 1, -1, 2, -2, 63, -64, 64, -65, 127, 128, 8191, -8192, 8192, Short.MIN_VALUE, Short.MAX_VALUE,
        1 << 20, -(1 << 20), (1 << 27) - 1, 1 << 27, Integer.MAX_VALUE - 1, Integer.MIN_VALUE + 1,
        Integer.MIN_VALUE, Integer.MAX_VALUE
    };

    private static final long[] LONG_EDGES = {
        0L, 1L, -1L, 63L, -64L, 64L, Integer.MIN_VALUE, Integer.MAX_VALUE, 1L << 32, -(1L << 32),
        1L << 55, (1L << 62) - 1, 1L << 62, -(1L << 62) - 1, Long.MIN_VALUE + 1, Long.MAX_VALUE - 1,
        Long.MIN_VALUE, Long.MAX_VALUE
    };

    static int randomInt(Random r) {
        return r.nextInt(4) == 0 ? INT_EDGES[r.nextInt(INT_EDGES.length)] : r.nextInt() >> r.nextInt(32);
    }

    static long randomLong(Random r) {
        return r.nextInt(4) == 0 ? LONG_EDGES[r.nextInt(LONG_EDGES.length)] : r.nextLong() >> r.nextInt(64);
    }

    static short randomShort(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> Short.MIN_VALUE;
            case 1 -> Short.MAX_VALUE;
            case 2 -> (short) (r.nextInt(3) - 1);
            default -> (short) (r.nextInt() >> (16 + r.nextInt(16)));
        };
    }

    static char randomChar(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> (char) r.nextInt(0x80);
            case 1 -> new char[] {0, 0x7F, 0x80, 0x3FFF, 0x4000, 0xD800, 0xDFFF, 0xFFFE, 0xFFFF}[r.nextInt(9)];
            default -> (char) r.nextInt(0x10000);
        };
    }

    static float randomFloat(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> new float[] {0f, -0f, 1f, -1f, Float.MIN_VALUE, Float.MAX_VALUE, Float.MIN_NORMAL,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN}[r.nextInt(10)];
            // NaN with a random payload and sign
            case 1 -> Float.intBitsToFloat(0x7F800000 | (r.nextInt() & 0x807FFFFF) | 1);
            case 2 -> r.nextFloat() * 1000 - 500;
            default -> Float.intBitsToFloat(r.nextInt());
        };
    }

    static double randomDouble(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> new double[] {0d, -0d, 1d, -1d, Double.MIN_VALUE, Double.MAX_VALUE, Double.MIN_NORMAL,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN}[r.nextInt(10)];
            case 1 -> Double.longBitsToDouble(0x7FF0000000000000L | (r.nextLong() & 0x800FFFFFFFFFFFFFL) | 1);
            case 2 -> r.nextGaussian() * 1e6;
            default -> Double.longBitsToDouble(r.nextLong());
        };
    }

    static String randomAscii(Random r) {
        StringBuilder sb = new StringBuilder();
        int length = r.nextInt(8) == 0 ? r.nextInt(300) : r.nextInt(20);
        for (int i = 0; i < length; i++) {
            sb.append((char) r.nextInt(0x80));
        }
        return sb.toString();
    }

    /** Characters of the basic multilingual plane, surrogates excluded. */
    static String randomBmp(Random r) {
        StringBuilder sb = new StringBuilder();
        int length = r.nextInt(8) == 0 ? r.nextInt(200) : r.nextInt(20);
        for (int i = 0; i < length; i++) {
            char c;
            do {
                c = r.nextBoolean() ? (char) r.nextInt(0x800) : (char) r.nextInt(0x10000);
            } while (Character.isSurrogate(c));
            sb.append(c);
        }
        return sb.toString();
    }

    /** Well-formed text mixing supplementary code points with the rest. */
    static String randomCodePoints(Random r) {
        StringBuilder sb = new StringBuilder();
        int length = r.nextInt(20);
        for (int i = 0; i < length; i++) {
            int cp = switch (r.nextInt(4)) {
                case 0 -> 0x10000 + r.nextInt(Character.MAX_CODE_POINT - 0x10000 + 1);
                case 1 -> r.nextBoolean() ? 0x10000 : Character.MAX_CODE_POINT;
                case 2 -> r.nextInt(0x80);
                default -> r.nextInt(0xD800);
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    /** Any UTF-16 sequence: unpaired, reversed and adjacent surrogates included. */
    static String randomUtf16(Random r) {
        StringBuilder sb = new StringBuilder();
        int length = r.nextInt(24);
        for (int i = 0; i < length; i++) {
            sb.append(switch (r.nextInt(4)) {
                case 0 -> (char) (0xD800 + r.nextInt(0x400));
                case 1 -> (char) (0xDC00 + r.nextInt(0x400));
                case 2 -> (char) r.nextInt(0x80);
                default -> (char) r.nextInt(0x10000);
            });
        }
        return sb.toString();
    }

    static String randomString(Random r) {
        return switch (r.nextInt(4)) {
            case 0 -> randomAscii(r);
            case 1 -> randomBmp(r);
            case 2 -> randomCodePoints(r);
            default -> randomUtf16(r);
        };
    }

    static byte[] randomBytes(Random r) {
        byte[] result = new byte[r.nextInt(8) == 0 ? r.nextInt(400) : r.nextInt(20)];
        r.nextBytes(result);
        return result;
    }

    static int randomArrayLength(Random r) {
        return r.nextInt(8) == 0 ? r.nextInt(200) : r.nextInt(12);
    }

    static Instant randomInstant(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> new Instant[] {Instant.MIN, Instant.MAX, Instant.EPOCH, Instant.ofEpochSecond(-1, 999_999_999),
                Instant.ofEpochSecond(0, 1)}[r.nextInt(5)];
            case 1 -> Instant.ofEpochSecond(r.nextInt(), r.nextInt(1_000_000_000));
            default -> Instant.ofEpochSecond(
                    r.nextLong(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond() + 1),
                    r.nextInt(1_000_000_000));
        };
    }

    static Duration randomDuration(Random r) {
        return switch (r.nextInt(8)) {
            case 0 -> new Duration[] {Duration.ZERO, Duration.ofNanos(-1), Duration.ofNanos(1),
                Duration.ofSeconds(Long.MIN_VALUE), Duration.ofSeconds(Long.MAX_VALUE, 999_999_999),
                Duration.ofMillis(-1500)}[r.nextInt(6)];
            default -> Duration.ofSeconds(randomLong(r), r.nextInt(1_000_000_000));
        };
    }

    static BigInteger randomBigInteger(Random r) {
        BigInteger value = switch (r.nextInt(8)) {
            case 0 -> new BigInteger[] {BigInteger.ZERO, BigInteger.ONE, BigInteger.valueOf(127),
                BigInteger.valueOf(128), BigInteger.valueOf(255), BigInteger.valueOf(256),
                BigInteger.valueOf(Long.MIN_VALUE), BigInteger.ONE.shiftLeft(64)}[r.nextInt(8)];
            case 1 -> new BigInteger(r.nextInt(20_000), r);
            default -> new BigInteger(r.nextInt(300), r);
        };
        return r.nextBoolean() ? value.negate() : value;
    }

    static BigDecimal randomBigDecimal(Random r) {
        int scale = switch (r.nextInt(6)) {
            case 0 -> new int[] {0, -1, 1, Integer.MIN_VALUE, Integer.MAX_VALUE}[r.nextInt(5)];
            case 1 -> r.nextInt();
            default -> r.nextInt(41) - 20;
        };
        return new BigDecimal(randomBigInteger(r), scale);
    }

    // ---------------------------------------------------------------- kinds

    private static boolean sameFloat(Float a, Float b) {
        return Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b);
    }

    private static boolean sameDouble(Double a, Double b) {
        return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
    }

    private static boolean sameFloats(float[] a, float[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameDoubles(double[] a, double[] b) {
        if (a.length != b.length) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            if (Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(b[i])) {
                return false;
            }
        }
        return true;
    }

    static final Kind<Boolean> BOOLEAN =
            new Kind<>("boolean", Random::nextBoolean, WireWriter::writeBoolean, WireReader::readBoolean);
    static final Kind<Byte> BYTE =
            new Kind<>("byte", r -> (byte) r.nextInt(), WireWriter::writeByte, WireReader::readByte);
    static final Kind<Short> SHORT =
            new Kind<>("short", WireRoundTripTest::randomShort, WireWriter::writeShort, WireReader::readShort);
    static final Kind<Character> CHAR =
            new Kind<>("char", WireRoundTripTest::randomChar, WireWriter::writeChar, WireReader::readChar);
    static final Kind<Integer> INT =
            new Kind<>("int", WireRoundTripTest::randomInt, WireWriter::writeInt, WireReader::readInt);
    static final Kind<Long> LONG =
            new Kind<>("long", WireRoundTripTest::randomLong, WireWriter::writeLong, WireReader::readLong);
    static final Kind<Float> FLOAT = new Kind<>("float", WireRoundTripTest::randomFloat,
            WireWriter::writeFloat, WireReader::readFloat, WireRoundTripTest::sameFloat);
    static final Kind<Double> DOUBLE = new Kind<>("double", WireRoundTripTest::randomDouble,
            WireWriter::writeDouble, WireReader::readDouble, WireRoundTripTest::sameDouble);
    static final Kind<Integer> VARINT =
            new Kind<>("varint", WireRoundTripTest::randomInt, WireWriter::writeVarint, WireReader::readVarint);
    static final Kind<Long> VARLONG =
            new Kind<>("varlong", WireRoundTripTest::randomLong, WireWriter::writeVarlong, WireReader::readVarlong);
    static final Kind<String> STRING =
            new Kind<>("string", WireRoundTripTest::randomString, WireWriter::writeString, WireReader::readString);
    static final Kind<byte[]> BYTES = new Kind<>("byte[]", WireRoundTripTest::randomBytes,
            WireWriter::writeByteArray, WireReader::readByteArray);
    static final Kind<boolean[]> BOOLEANS = new Kind<>("boolean[]", r -> {
        boolean[] a = new boolean[randomArrayLength(r)];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextBoolean();
        }
        return a;
    }, WireWriter::writeBooleanArray, WireReader::readBooleanArray);
    static final Kind<short[]> SHORTS = new Kind<>("short[]", r -> {
        short[] a = new short[randomArrayLength(r)];
        for (int i = 0; i < a.length; i++) {
            a[i] = randomShort(r);
        }
        return a;
    }, WireWriter::writeShortArray, WireReader::readShortArray);
    static final Kind<char[]> CHARS = new Kind<>("char[]", r -> {
        char[] a = new char[randomArrayLength(r)];
        for (int i = 0; i < a.length; i++) {
            a[i] = randomChar(r);
        }
        return a;
    }, WireWriter::writeCharArray, WireReader::readCharArray);
    static final Kind<int[]> INTS = new Kind<>("int[]", r -> {
        int[] a = new int[randomArrayLength(r)];
        for (int i = 0; i < a.length; i++) {
            a[i] = randomInt(r);
        }
        return a;
    }, WireWriter::writeIntArray, WireReader::readIntArray);
    static final Kind<long[]> LONGS = new Kind<>("long[]", r -> {
        long[] a = new long[randomArrayLength(r)];
        for (int i = 0; i < a.length; i++) {
            a[i] = randomLong(r);
        }
        return a;
    }, WireWriter::writeLongArray, WireReader::readLongArray);
    static final Kind<float[]> FLOATS = new Kind<>("float[]", r -> {
        float[] a = new float[randomArrayLength(r)];
        for (int i = 0; i < a.length; i++) {
            a[i] = randomFloat(r);
        }
        return a;
    }, WireWriter::writeFloatArray, WireReader::readFloatArray, WireRoundTripTest::sameFloats);
    static final Kind<double[]> DOUBLES = new Kind<>("double[]", r -> {
        double[] a = new double[randomArrayLength(r)];
        for (int i = 0; i < a.length; i++) {
            a[i] = randomDouble(r);
        }
        return a;
    }, WireWriter::writeDoubleArray, WireReader::readDoubleArray, WireRoundTripTest::sameDoubles);
    static final Kind<Color> ENUM = new Kind<>("enum", r -> Color.values()[r.nextInt(3)],
            WireWriter::writeEnum, in -> in.readEnum(Color.values()));
    static final Kind<UUID> UUIDS = new Kind<>("UUID", r -> new UUID(randomLong(r), randomLong(r)),
            WireWriter::writeUuid, WireReader::readUuid);
    static final Kind<Instant> INSTANT = new Kind<>("Instant", WireRoundTripTest::randomInstant,
            WireWriter::writeInstant, WireReader::readInstant);
    static final Kind<Duration> DURATION = new Kind<>("Duration", WireRoundTripTest::randomDuration,
            WireWriter::writeDuration, WireReader::readDuration);
    static final Kind<BigInteger> BIG_INTEGER = new Kind<>("BigInteger", WireRoundTripTest::randomBigInteger,
            WireWriter::writeBigInteger, WireReader::readBigInteger);
    static final Kind<BigDecimal> BIG_DECIMAL = new Kind<>("BigDecimal", WireRoundTripTest::randomBigDecimal,
            WireWriter::writeBigDecimal, WireReader::readBigDecimal);
    /** A nullable string behind its presence byte, as generated code writes a reference value. */
    static final Kind<String> NULLABLE_STRING = new Kind<>("presence+string",
            r -> r.nextInt(3) == 0 ? null : randomAscii(r),
            (out, s) -> {
                if (out.writePresence(s)) {
                    out.writeString(s);
                }
            },
            in -> in.readPresence() ? in.readString() : null);
    /** A size-prefixed list of ints, nested with enter/exit, as generated code writes a List. */
    static final Kind<List<Integer>> SIZED_LIST = new Kind<>("size+list", r -> {
        List<Integer> list = new ArrayList<>();
        int size = r.nextInt(8) == 0 ? r.nextInt(300) : r.nextInt(5);
        for (int i = 0; i < size; i++) {
            list.add(randomInt(r));
        }
        return list;
    }, (out, list) -> {
        out.enter();
        out.writeSize(list.size());
        for (int i : list) {
            out.writeInt(i);
        }
        out.exit();
    }, in -> {
        in.enter();
        int size = in.readSize(1);
        List<Integer> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(in.readInt());
        }
        in.exit();
        return list;
    });

    static final List<Kind<?>> KINDS = List.of(BOOLEAN, BYTE, SHORT, CHAR, INT, LONG, FLOAT, DOUBLE, VARINT,
            VARLONG, STRING, BYTES, BOOLEANS, SHORTS, CHARS, INTS, LONGS, FLOATS, DOUBLES, ENUM, UUIDS, INSTANT,
            DURATION, BIG_INTEGER, BIG_DECIMAL, NULLABLE_STRING, SIZED_LIST);

    // ---------------------------------------------------------------- round trips

    private static <T> void roundTripOne(Kind<T> kind, T value, String context) {
        WireWriter out = new WireWriter();
        kind.write().accept(out, value);
        byte[] encoded = out.toByteArray();
        assertEquals(out.size(), encoded.length);
        WireReader in = new WireReader(encoded);
        T read;
        try {
            read = kind.read().apply(in);
            in.expectEnd();
        } catch (RuntimeException e) {
            throw new AssertionError(kind.name() + " " + describe(value) + " failed to read back from ["
                    + hex(encoded) + "]; " + context, e);
        }
        if (!kind.same().test(value, read)) {
            fail(kind.name() + " " + describe(value) + " read back as " + describe(read) + " from ["
                    + hex(encoded) + "]; " + context);
        }
    }

    private static String describe(Object value) {
        if (value instanceof String s) {
            StringBuilder sb = new StringBuilder("\"");
            s.chars().forEach(c -> sb.append(c < 0x20 || c > 0x7E ? String.format("\\u%04x", c) : (char) c));
            return sb.append('"').toString();
        }
        if (value instanceof Float f) {
            return f + " (bits " + Integer.toHexString(Float.floatToRawIntBits(f)) + ")";
        }
        if (value instanceof Double d) {
            return d + " (bits " + Long.toHexString(Double.doubleToRawLongBits(d)) + ")";
        }
        if (value != null && value.getClass().isArray()) {
            return Arrays.deepToString(new Object[] {value});
        }
        return String.valueOf(value);
    }

    private static <T> void roundTripRandom(Kind<T> kind) {
        long seed = WireTestSupport.seed();
        Random random = new Random(seed);
        for (int i = 0; i < VALUES_PER_TYPE; i++) {
            roundTripOne(kind, kind.random().apply(random), "seed " + seed + " (-Dwire.seed), value #" + i);
        }
    }

    @Test
    void booleans() {
        roundTripOne(BOOLEAN, true, "");
        roundTripOne(BOOLEAN, false, "");
    }

    @Test
    void everyByte() {
        for (int b = Byte.MIN_VALUE; b <= Byte.MAX_VALUE; b++) {
            roundTripOne(BYTE, (byte) b, "");
        }
    }

    @Test
    void everyShort() {
        for (int s = Short.MIN_VALUE; s <= Short.MAX_VALUE; s++) {
            roundTripOne(SHORT, (short) s, "");
        }
    }

    @Test
    void everyChar() {
        for (int c = 0; c <= Character.MAX_VALUE; c++) {
            roundTripOne(CHAR, (char) c, "");
        }
    }

    @Test
    void ints() {
        for (int edge : INT_EDGES) {
            roundTripOne(INT, edge, "edge");
            roundTripOne(VARINT, edge, "edge");
        }
        roundTripRandom(INT);
    }

    @Test
    void longs() {
        for (long edge : LONG_EDGES) {
            roundTripOne(LONG, edge, "edge");
            roundTripOne(VARLONG, edge, "edge");
        }
        roundTripRandom(LONG);
    }

    @Test
    void varintsUseOneBytePerSevenBits() {
        long seed = WireTestSupport.seed();
        Random random = new Random(seed);
        for (int i = 0; i < VALUES_PER_TYPE; i++) {
            int value = randomInt(random);
            long wide = randomLong(random);
            WireWriter out = new WireWriter();
            out.writeVarint(value);
            int bits = 32 - Integer.numberOfLeadingZeros(value);
            assertEquals(Math.max(1, (bits + 6) / 7), out.size(), "varint " + value + ", seed " + seed);
            out.reset();
            out.writeVarlong(wide);
            int wideBits = 64 - Long.numberOfLeadingZeros(wide);
            assertEquals(Math.max(1, (wideBits + 6) / 7), out.size(), "varlong " + wide + ", seed " + seed);
            out.reset();
            out.writeInt(value);
            int zigzag = (value << 1) ^ (value >> 31);
            assertEquals(Math.max(1, (32 - Integer.numberOfLeadingZeros(zigzag) + 6) / 7), out.size(),
                    "zig-zag int " + value + ", seed " + seed);
        }
        roundTripRandom(VARINT);
        roundTripRandom(VARLONG);
    }

    @Test
    void floats() {
        for (float f : new float[] {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
            Float.MIN_VALUE, Float.MAX_VALUE, Float.intBitsToFloat(0x7FC00001), Float.intBitsToFloat(0xFFC12345)}) {
            roundTripOne(FLOAT, f, "edge");
        }
        roundTripRandom(FLOAT);
    }

    @Test
    void doubles() {
        for (double d : new double[] {0d, -0d, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.MIN_VALUE, Double.MAX_VALUE, Double.longBitsToDouble(0x7FF8000000000001L),
            Double.longBitsToDouble(0xFFF123456789ABCDL)}) {
            roundTripOne(DOUBLE, d, "edge");
        }
        roundTripRandom(DOUBLE);
    }

    @Test
    void stringsOfEveryShape() {
        long seed = WireTestSupport.seed();
        Random random = new Random(seed);
        List<Function<Random, String>> shapes = List.of(WireRoundTripTest::randomAscii,
                WireRoundTripTest::randomBmp, WireRoundTripTest::randomCodePoints, WireRoundTripTest::randomUtf16);
        for (Function<Random, String> shape : shapes) {
            for (int i = 0; i < VALUES_PER_TYPE; i++) {
                roundTripOne(STRING, shape.apply(random), "seed " + seed + " (-Dwire.seed), value #" + i);
            }
        }
        for (String s : new String[] {"", "\u0000", "\uD800", "\uDBFF", "\uDC00", "\uDFFF", "\uDC00\uD800",
            "\uD800\uD800\uDC00", "a\uD800", "\uDBFF\uDFFF", "\uFFFF", "x".repeat(128), "\u00e9".repeat(100)}) {
            roundTripOne(STRING, s, "edge");
        }
    }

    @Test
    void wellFormedStringsAreStandardUtf8() {
        long seed = WireTestSupport.seed();
        Random random = new Random(seed);
        for (int i = 0; i < VALUES_PER_TYPE; i++) {
            String s = switch (i % 3) {
                case 0 -> randomAscii(random);
                case 1 -> randomBmp(random);
                default -> randomCodePoints(random);
            };
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            WireWriter out = new WireWriter();
            out.writeString(s);
            WireWriter expected = new WireWriter();
            expected.writeVarint(utf8.length);
            assertArrayEquals(concat(expected.toByteArray(), utf8), out.toByteArray(),
                    "string " + describe(s) + ", seed " + seed);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }

    @Test
    void arrays() {
        for (Kind<?> kind : List.of(BYTES, BOOLEANS, SHORTS, CHARS, INTS, LONGS, FLOATS, DOUBLES)) {
            roundTripRandom(kind);
        }
        roundTripOne(BYTES, new byte[0], "empty");
        roundTripOne(INTS, new int[] {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE}, "edges");
        roundTripOne(LONGS, new long[] {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE}, "edges");
        roundTripOne(FLOATS, new float[] {-0f, Float.NaN, Float.intBitsToFloat(0x7F800001)}, "edges");
        roundTripOne(DOUBLES, new double[] {-0d, Double.NaN, Double.longBitsToDouble(0x7FF0000000000001L)}, "edges");
        roundTripOne(CHARS, new char[] {0, 0xD800, 0xFFFF}, "edges");
        roundTripOne(SHORTS, new short[] {Short.MIN_VALUE, Short.MAX_VALUE}, "edges");
    }

    @Test
    void enums() {
        for (Color c : Color.values()) {
            roundTripOne(ENUM, c, "");
        }
    }

    @Test
    void uuids() {
        roundTripOne(UUIDS, new UUID(0, 0), "nil");
        roundTripOne(UUIDS, new UUID(-1, -1), "max");
        roundTripOne(UUIDS, UUID.randomUUID(), "random v4");
        roundTripRandom(UUIDS);
    }

    @Test
    void instants() {
        roundTripOne(INSTANT, Instant.MIN, "MIN");
        roundTripOne(INSTANT, Instant.MAX, "MAX");
        roundTripOne(INSTANT, Instant.EPOCH, "EPOCH");
        roundTripOne(INSTANT, Instant.ofEpochSecond(-1, 1), "before the epoch");
        roundTripRandom(INSTANT);
    }

    @Test
    void durations() {
        roundTripOne(DURATION, Duration.ofNanos(-1), "-1ns");
        roundTripOne(DURATION, Duration.ofSeconds(Long.MIN_VALUE), "min");
        roundTripOne(DURATION, Duration.ofSeconds(Long.MAX_VALUE, 999_999_999), "max");
        roundTripRandom(DURATION);
    }

    @Test
    void bigIntegers() {
        roundTripOne(BIG_INTEGER, BigInteger.ZERO, "0");
        roundTripOne(BIG_INTEGER, BigInteger.ONE.negate(), "-1");
        roundTripOne(BIG_INTEGER, BigInteger.valueOf(-128), "-128");
        roundTripOne(BIG_INTEGER, BigInteger.valueOf(-129), "-129");
        roundTripOne(BIG_INTEGER, BigInteger.ONE.shiftLeft(100_000).subtract(BigInteger.ONE), "2^100000-1");
        roundTripOne(BIG_INTEGER, BigInteger.ONE.shiftLeft(100_000).negate(), "-2^100000");
        roundTripRandom(BIG_INTEGER);
    }

    @Test
    void bigDecimals() {
        roundTripOne(BIG_DECIMAL, new BigDecimal("1E+3"), "negative scale");
        roundTripOne(BIG_DECIMAL, new BigDecimal("-0.000"), "zero with scale");
        roundTripOne(BIG_DECIMAL, new BigDecimal(BigInteger.TEN, Integer.MIN_VALUE), "min scale");
        roundTripOne(BIG_DECIMAL, new BigDecimal(BigInteger.TEN.negate(), Integer.MAX_VALUE), "max scale");
        roundTripRandom(BIG_DECIMAL);
    }

    @Test
    void presenceMarkers() {
        WireWriter out = new WireWriter();
        assertFalse(out.writePresence(null));
        assertTrue(out.writePresence("x"));
        assertArrayEquals(bytes(0, 1), out.toByteArray());
        WireReader in = new WireReader(out.toByteArray());
        assertFalse(in.readPresence());
        assertTrue(in.readPresence());
        in.expectEnd();
        roundTripRandom(NULLABLE_STRING);
    }

    @Test
    void sizes() {
        for (int size : new int[] {0, 1, 127, 128, 16_384}) {
            WireWriter out = new WireWriter();
            out.writeSize(size);
            for (int i = 0; i < size; i++) {
                out.writeDouble(i);
            }
            WireReader in = new WireReader(out.toByteArray());
            assertEquals(size, in.readSize(8));
            for (int i = 0; i < size; i++) {
                assertEquals(i, in.readDouble());
            }
            in.expectEnd();
        }
        roundTripRandom(SIZED_LIST);
        assertThrows(CodecException.class, () -> new WireWriter().writeSize(-1));
    }

    /** Values of random kinds in one stream: each read consumes exactly what its write produced. */
    @Test
    void mixedSequences() {
        long seed = WireTestSupport.seed();
        Random random = new Random(seed);
        WireWriter out = new WireWriter(1, null);
        for (int round = 0; round < 300; round++) {
            out.reset();
            List<Kind<?>> kinds = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            int count = random.nextInt(40);
            for (int i = 0; i < count; i++) {
                Kind<?> kind = KINDS.get(random.nextInt(KINDS.size()));
                kinds.add(kind);
                values.add(writeRandom(kind, random, out));
            }
            byte[] encoded = out.toByteArray();
            assertArrayEquals(encoded, Arrays.copyOf(out.buffer(), out.size()));
            WireReader in = new WireReader(encoded);
            for (int i = 0; i < count; i++) {
                Object read = kinds.get(i).read().apply(in);
                if (!same(kinds.get(i), values.get(i), read)) {
                    fail("value #" + i + " (" + kinds.get(i).name() + ") " + describe(values.get(i))
                            + " read back as " + describe(read) + "; seed " + seed + " (-Dwire.seed), round " + round);
                }
            }
            in.expectEnd();
        }
    }

    private static <T> T writeRandom(Kind<T> kind, Random random, WireWriter out) {
        T value = kind.random().apply(random);
        kind.write().accept(out, value);
        return value;
    }

    @SuppressWarnings("unchecked")
    private static <T> boolean same(Kind<T> kind, Object a, Object b) {
        return kind.same().test((T) a, (T) b);
    }

    @Test
    void readerSeesOnlyItsSlice() {
        WireWriter out = new WireWriter();
        out.writeString("abc");
        out.writeInt(-7);
        byte[] framed = concat(concat(bytes(0xEE, 0xEE), out.toByteArray()), bytes(0xEE));
        WireReader in = new WireReader(framed, 2, out.size(), null, 64);
        assertEquals(out.size(), in.remaining());
        assertEquals("abc", in.readString());
        assertEquals(-7, in.readInt());
        assertEquals(0, in.remaining());
        in.expectEnd();
        assertThrows(CodecException.class, in::readByte);
        assertThrows(IndexOutOfBoundsException.class, () -> new WireReader(framed, 4, framed.length, null, 64));
    }

    @Test
    void writerResetForgetsEverything() {
        WireWriter out = new WireWriter(0, null);
        for (int i = 0; i < 1000; i++) {
            out.writeLong(Long.MIN_VALUE);
        }
        assertEquals(10_000, out.size());
        out.reset();
        assertEquals(0, out.size());
        out.writeInt(1);
        assertArrayEquals(bytes(2), out.toByteArray());
    }

    // ---------------------------------------------------------------- exact bytes

    private static byte[] encode(Consumer<WireWriter> write) {
        WireWriter out = new WireWriter();
        write.accept(out);
        return out.toByteArray();
    }

    private static void assertBytes(Consumer<WireWriter> write, int... expected) {
        byte[] actual = encode(write);
        assertArrayEquals(bytes(expected), actual, () -> "got [" + hex(actual) + "]");
    }

    @Test
    void exactEncodingsOfScalars() {
        assertBytes(out -> out.writeBoolean(false), 0x00);
        assertBytes(out -> out.writeBoolean(true), 0x01);
        assertBytes(out -> out.writeByte((byte) 0xAB), 0xAB);
        assertBytes(out -> out.writeInt(0), 0x00);
        assertBytes(out -> out.writeInt(-1), 0x01);
        assertBytes(out -> out.writeInt(1), 0x02);
        assertBytes(out -> out.writeInt(-64), 0x7F);
        assertBytes(out -> out.writeInt(64), 0x80, 0x01);
        assertBytes(out -> out.writeInt(Integer.MAX_VALUE), 0xFE, 0xFF, 0xFF, 0xFF, 0x0F);
        assertBytes(out -> out.writeInt(Integer.MIN_VALUE), 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
        assertBytes(out -> out.writeShort((short) -2), 0x03);
        assertBytes(out -> out.writeChar('A'), 0x41);
        assertBytes(out -> out.writeChar('\u00e9'), 0xE9, 0x01);
        assertBytes(out -> out.writeChar('\uffff'), 0xFF, 0xFF, 0x03);
        assertBytes(out -> out.writeLong(-1L), 0x01);
        assertBytes(out -> out.writeLong(Long.MAX_VALUE), 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
        assertBytes(out -> out.writeLong(Long.MIN_VALUE), 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
        assertBytes(out -> out.writeVarint(300), 0xAC, 0x02);
        assertBytes(out -> out.writeVarint(-1), 0xFF, 0xFF, 0xFF, 0xFF, 0x0F);
        assertBytes(out -> out.writeVarlong(-1L), 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01);
        assertBytes(out -> out.writeFloat(1.0f), 0x00, 0x00, 0x80, 0x3F);
        assertBytes(out -> out.writeFloat(-0.0f), 0x00, 0x00, 0x00, 0x80);
        assertBytes(out -> out.writeDouble(1.0), 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F);
        assertBytes(out -> out.writeDouble(Double.NaN), 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF8, 0x7F);
        assertBytes(out -> out.writePresence(null), 0x00);
        assertBytes(out -> out.writePresence(1), 0x01);
        assertBytes(out -> out.writeSize(128), 0x80, 0x01);
        assertBytes(out -> out.writeEnum(Color.BLUE), 0x02);
    }

    @Test
    void exactEncodingsOfStrings() {
        assertBytes(out -> out.writeString(""), 0x00);
        assertBytes(out -> out.writeString("hi"), 0x02, 0x68, 0x69);
        assertBytes(out -> out.writeString("\u00e9"), 0x02, 0xC3, 0xA9);
        assertBytes(out -> out.writeString("\u20ac"), 0x03, 0xE2, 0x82, 0xAC);
        assertBytes(out -> out.writeString("\uD83D\uDE00"), 0x04, 0xF0, 0x9F, 0x98, 0x80);
        assertBytes(out -> out.writeString("\uD800"), 0x03, 0xED, 0xA0, 0x80);
        assertBytes(out -> out.writeString("\uDC00\uD800"), 0x06, 0xED, 0xB0, 0x80, 0xED, 0xA0, 0x80);
        assertBytes(out -> out.writeString("\u0000"), 0x01, 0x00);
        assertBytes(out -> out.writeString("x".repeat(200)),
                concatInts(new int[] {0xC8, 0x01}, repeat(0x78, 200)));
    }

    private static int[] repeat(int value, int count) {
        int[] result = new int[count];
        Arrays.fill(result, value);
        return result;
    }

    private static int[] concatInts(int[] a, int[] b) {
        int[] result = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, result, a.length, b.length);
        return result;
    }

    @Test
    void exactEncodingsOfArraysAndObjects() {
        assertBytes(out -> out.writeByteArray(new byte[] {1, 2, 3}), 0x03, 0x01, 0x02, 0x03);
        assertBytes(out -> out.writeBooleanArray(new boolean[] {true, false}), 0x02, 0x01, 0x00);
        assertBytes(out -> out.writeShortArray(new short[] {-1}), 0x01, 0x01);
        assertBytes(out -> out.writeCharArray(new char[] {'a'}), 0x01, 0x61);
        assertBytes(out -> out.writeIntArray(new int[] {1, -1}), 0x02, 0x02, 0x01);
        assertBytes(out -> out.writeLongArray(new long[] {1}), 0x01, 0x02);
        assertBytes(out -> out.writeFloatArray(new float[] {1f}), 0x01, 0x00, 0x00, 0x80, 0x3F);
        assertBytes(out -> out.writeDoubleArray(new double[] {2.0}), 0x01, 0, 0, 0, 0, 0, 0, 0x00, 0x40);
        assertBytes(out -> out.writeUuid(UUID.fromString("00112233-4455-6677-8899-aabbccddeeff")),
                0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00, 0xFF, 0xEE, 0xDD, 0xCC, 0xBB, 0xAA, 0x99, 0x88);
        assertBytes(out -> out.writeInstant(Instant.ofEpochSecond(1, 5)), 0x02, 0x05);
        assertBytes(out -> out.writeInstant(Instant.ofEpochSecond(-1, 999_999_999)),
                0x01, 0xFF, 0x93, 0xEB, 0xDC, 0x03);
        assertBytes(out -> out.writeDuration(Duration.ofMillis(-1500)), 0x03, 0x80, 0xCA, 0xB5, 0xEE, 0x01);
        assertBytes(out -> out.writeBigInteger(BigInteger.ZERO), 0x01, 0x00);
        assertBytes(out -> out.writeBigInteger(BigInteger.valueOf(255)), 0x02, 0x00, 0xFF);
        assertBytes(out -> out.writeBigInteger(BigInteger.valueOf(-1)), 0x01, 0xFF);
        assertBytes(out -> out.writeBigDecimal(new BigDecimal("1.5")), 0x01, 0x0F, 0x02);
        assertBytes(out -> out.writeBigDecimal(new BigDecimal("1E+3")), 0x01, 0x01, 0x05);
        assertBytes(out -> out.writeReference(new FakeRef("/user/a")), 0x07, '/', 'u', 's', 'e', 'r', '/', 'a');
    }

    // ---------------------------------------------------------------- references

    /** A {@link ReferenceCodec} that records what it was asked. */
    private static final class RecordingCodec implements ReferenceCodec {
        final List<String> calls = new ArrayList<>();

        @Override
        public String addressOf(Object reference) {
            calls.add("addressOf " + reference);
            return "node@host:1/user/" + reference;
        }

        @Override
        public <P> P resolve(Class<P> protocol, String address) {
            calls.add("resolve " + protocol.getSimpleName() + " " + address);
            return protocol.cast(new FakeRef(address));
        }

        @Override
        public ActorRef<Object> resolveRef(String address) {
            calls.add("resolveRef " + address);
            return new FakeRef(address);
        }
    }

    private static final class TestProxy extends ProtocolProxy<Object> {
        TestProxy(ActorRef<Object> ref) {
            super(ref, "Test");
        }
    }

    @Test
    void actorRefsAndProxiesTravelAsTheirAddress() {
        WireWriter out = new WireWriter();
        out.writeReference(new FakeRef("/user/a"));
        out.writeReference(new TestProxy(new FakeRef("beta@127.0.0.1:7200/user/b")));
        WireReader in = new WireReader(out.toByteArray());
        assertEquals("/user/a", in.readString());
        assertEquals("beta@127.0.0.1:7200/user/b", in.readString());
        in.expectEnd();
    }

    @Test
    void referencesResolveThroughTheCodec() {
        RecordingCodec codec = new RecordingCodec();
        WireWriter out = new WireWriter(16, codec);
        out.writeReference(new FakeRef("/user/a"));
        out.writeReference("counter");
        assertEquals(List.of("addressOf counter"), codec.calls);
        byte[] encoded = out.toByteArray();

        WireReader in = new WireReader(encoded, 0, encoded.length, codec, 64);
        ActorRef<Object> first = in.readActorRef();
        @SuppressWarnings("rawtypes")
        ActorRef second = in.readReference(ActorRef.class);
        in.expectEnd();
        assertEquals("/user/a", first.address());
        assertEquals("node@host:1/user/counter", second.address());
        assertEquals(List.of("addressOf counter", "resolveRef /user/a",
                "resolve ActorRef node@host:1/user/counter"), codec.calls);
    }

    @Test
    void referencesNeedACodecToBeRead() {
        byte[] encoded = encode(out -> out.writeReference(new FakeRef("/user/a")));
        assertThrows(CodecException.class, () -> new WireReader(encoded).readActorRef());
        assertThrows(CodecException.class, () -> new WireReader(encoded).readReference(Runnable.class));
    }

    @Test
    void anUnknownObjectIsNotAReference() {
        CodecException e = assertThrows(CodecException.class, () -> new WireWriter().writeReference("counter"));
        assertTrue(e.getMessage().contains("spawn, lookup or self"), e.getMessage());
        assertTrue(e.getMessage().contains("java.lang.String"), e.getMessage());
    }

    // ---------------------------------------------------------------- depth

    @Test
    void writerRefusesToNestPast64Levels() {
        WireWriter out = new WireWriter();
        for (int i = 0; i < WireWriter.DEFAULT_MAX_DEPTH; i++) {
            out.enter();
        }
        assertThrows(CodecException.class, out::enter);
        WireWriter balanced = new WireWriter();
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 64; i++) {
                balanced.enter();
            }
            for (int i = 0; i < 64; i++) {
                balanced.exit();
            }
        }
    }

    @Test
    void readerRefusesToNestPast64Levels() {
        WireReader in = new WireReader(new byte[0]);
        for (int i = 0; i < 64; i++) {
            in.enter();
        }
        assertThrows(CodecException.class, in::enter);

        WireReader shallow = new WireReader(new byte[0], 0, 0, null, 2);
        shallow.enter();
        shallow.exit();
        shallow.enter();
        shallow.enter();
        assertThrows(CodecException.class, shallow::enter);
    }

    @Test
    void readerDepthFollowsExit() {
        WireReader in = new WireReader(new byte[0]);
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 64; i++) {
                in.enter();
            }
            for (int i = 0; i < 64; i++) {
                in.exit();
            }
        }
        assertEquals(0, in.remaining());
    }
}
