package io.spinoff.api.support;

import static io.spinoff.api.support.WireTestSupport.bytes;
import static io.spinoff.api.support.WireTestSupport.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.spinoff.api.ActorRef;
import io.spinoff.api.CodecException;
import io.spinoff.api.support.WireTestSupport.Color;
import io.spinoff.api.support.WireTestSupport.FakeRef;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * {@link WireReader} fed untrusted bytes: whatever the input, it fails with {@link CodecException}
 * and nothing else, and it allocates nothing from a length it has not checked.
 */
class WireReaderHostileInputTest {

    private static final int FUZZ_CASES = 100_000;
    private static final long FUZZ_TIME_LIMIT_NANOS = 20_000_000_000L;
    private static final int FUZZ_CASES_IF_TIME_LIMITED = 20_000;

    /** A codec that resolves any address, so reading a reference reaches the address check. */
    private static final ReferenceCodec ANY_ADDRESS = new ReferenceCodec() {
        @Override
        public String addressOf(Object reference) {
            throw new CodecException("not used");
        }

        @Override
        public <P> P resolve(Class<P> protocol, String address) {
            return protocol.cast(new FakeRef(address));
        }

        @Override
        public ActorRef<Object> resolveRef(String address) {
            return new FakeRef(address);
        }
    };

    // ---------------------------------------------------------------- the composite value

    /**
     * Writes the composite value the fuzzer decodes: a string, an int array, a nullable BigDecimal, a
     * list of nullable strings, an enum, an instant, a nullable record, a tree of nodes, a map of
     * string to long, a byte array, a double array and an actor reference.
     */
    private static void encodeComposite(Random r, WireWriter out) {
        out.writeString(WireRoundTripTest.randomString(r));
        out.writeIntArray(randomInts(r));
        BigDecimal decimal = r.nextInt(3) == 0 ? null : WireRoundTripTest.randomBigDecimal(r);
        if (out.writePresence(decimal)) {
            out.writeBigDecimal(decimal);
        }
        out.enter();
        int size = r.nextInt(5);
        out.writeSize(size);
        for (int i = 0; i < size; i++) {
            String s = r.nextInt(4) == 0 ? null : WireRoundTripTest.randomString(r);
            if (out.writePresence(s)) {
                out.writeString(s);
            }
        }
        out.exit();
        out.writeEnum(Color.values()[r.nextInt(3)]);
        out.writeInstant(WireRoundTripTest.randomInstant(r));
        if (out.writePresence(r.nextBoolean() ? null : "record")) {
            out.enter();
            out.writeUuid(new java.util.UUID(r.nextLong(), r.nextLong()));
            out.writeDuration(WireRoundTripTest.randomDuration(r));
            out.writeChar(WireRoundTripTest.randomChar(r));
            out.writeShort(WireRoundTripTest.randomShort(r));
            out.writeBoolean(r.nextBoolean());
            out.writeFloat(WireRoundTripTest.randomFloat(r));
            out.exit();
        }
        encodeNode(r, out, r.nextInt(6));
        out.enter();
        int entries = r.nextInt(4);
        out.writeSize(entries);
        for (int i = 0; i < entries; i++) {
            out.writePresence("key");
            out.writeString(WireRoundTripTest.randomAscii(r));
            out.writePresence(1L);
            out.writeLong(WireRoundTripTest.randomLong(r));
        }
        out.exit();
        out.writeByteArray(WireRoundTripTest.randomBytes(r));
        out.writeDoubleArray(new double[r.nextInt(3)]);
        out.writeReference(new FakeRef("/user/a" + r.nextInt(100)));
    }

    private static int[] randomInts(Random r) {
        int[] ints = new int[r.nextInt(6)];
        for (int i = 0; i < ints.length; i++) {
            ints[i] = WireRoundTripTest.randomInt(r);
        }
        return ints;
    }

    /** A node: presence, then (nested) a varint and a size-prefixed list of child nodes. */
    private static void encodeNode(Random r, WireWriter out, int depth) {
        if (!out.writePresence(depth < 0 || r.nextInt(4) == 0 ? null : "node")) {
            return;
        }
        out.enter();
        out.writeVarint(r.nextInt(1000));
        int children = r.nextInt(3);
        out.writeSize(children);
        for (int i = 0; i < children; i++) {
            encodeNode(r, out, depth - 1);
        }
        out.exit();
    }

    /** Reads what {@link #encodeComposite} writes, as generated code would, to the end. */
    private static void decodeComposite(WireReader in) {
        in.readString();
        in.readIntArray();
        if (in.readPresence()) {
            in.readBigDecimal();
        }
        in.enter();
        int size = in.readSize(1);
        List<String> strings = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            strings.add(in.readPresence() ? in.readString() : null);
        }
        in.exit();
        in.readEnum(Color.values());
        in.readInstant();
        if (in.readPresence()) {
            in.enter();
            in.readUuid();
            in.readDuration();
            in.readChar();
            in.readShort();
            in.readBoolean();
            in.readFloat();
            in.exit();
        }
        decodeNode(in);
        in.enter();
        int entries = in.readSize(2);
        List<String> entryList = new ArrayList<>(entries);
        for (int i = 0; i < entries; i++) {
            String key = in.readPresence() ? in.readString() : null;
            Long value = in.readPresence() ? in.readLong() : null;
            entryList.add(key + "=" + value);
        }
        in.exit();
        in.readByteArray();
        in.readDoubleArray();
        in.readActorRef();
        in.expectEnd();
    }

    private static void decodeNode(WireReader in) {
        if (!in.readPresence()) {
            return;
        }
        in.enter();
        in.readVarint();
        int children = in.readSize(1);
        for (int i = 0; i < children; i++) {
            decodeNode(in);
        }
        in.exit();
    }

    /** Single values read to the end of the input. */
    private static final List<Consumer<WireReader>> SINGLE_READERS = List.of(
            WireReader::readBoolean, WireReader::readPresence, WireReader::readShort, WireReader::readChar,
            WireReader::readInt, WireReader::readLong, WireReader::readVarint, WireReader::readVarlong,
            WireReader::readFloat, WireReader::readDouble, WireReader::readString, WireReader::readByteArray,
            WireReader::readBooleanArray, WireReader::readShortArray, WireReader::readCharArray,
            WireReader::readIntArray, WireReader::readLongArray, WireReader::readFloatArray,
            WireReader::readDoubleArray, in -> in.readEnum(Color.values()), WireReader::readUuid,
            WireReader::readInstant, WireReader::readDuration, WireReader::readBigInteger,
            WireReader::readBigDecimal, WireReader::readActorRef, in -> in.readReference(ActorRef.class),
            in -> in.readSize(1), in -> in.readSize(8), WireReaderHostileInputTest::decodeNode);

    private static WireReader reader(byte[] input) {
        return new WireReader(input, 0, input.length, ANY_ADDRESS, WireWriter.DEFAULT_MAX_DEPTH);
    }

    // ---------------------------------------------------------------- mutations

    private static final int[] INTERESTING_BYTES = {0x00, 0x01, 0x02, 0x7F, 0x80, 0x81, 0xBF, 0xC0, 0xC3, 0xE0,
        0xED, 0xF0, 0xF4, 0xF8, 0xFE, 0xFF};

    private static byte[] mutate(Random r, byte[] input) {
        byte[] data = input;
        int mutations = 1 + r.nextInt(r.nextInt(4) == 0 ? 8 : 2);
        for (int m = 0; m < mutations; m++) {
            int n = data.length;
            switch (r.nextInt(8)) {
                case 0 -> { // flip a bit
                    if (n > 0) {
                        data = data.clone();
                        data[r.nextInt(n)] ^= (byte) (1 << r.nextInt(8));
                    }
                }
                case 1 -> { // overwrite a byte
                    if (n > 0) {
                        data = data.clone();
                        data[r.nextInt(n)] = (byte) (r.nextBoolean()
                                ? INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)] : r.nextInt());
                    }
                }
                case 2 -> data = Arrays.copyOf(data, r.nextInt(n + 1)); // truncate
                case 3 -> { // insert bytes
                    int at = r.nextInt(n + 1);
                    byte[] inserted = new byte[1 + r.nextInt(6)];
                    for (int i = 0; i < inserted.length; i++) {
                        inserted[i] = (byte) (r.nextBoolean()
                                ? INTERESTING_BYTES[r.nextInt(INTERESTING_BYTES.length)] : r.nextInt());
                    }
                    data = splice(data, at, at, inserted);
                }
                case 4 -> { // delete a range
                    if (n > 0) {
                        int from = r.nextInt(n);
                        data = splice(data, from, Math.min(n, from + 1 + r.nextInt(8)), new byte[0]);
                    }
                }
                case 5 -> { // duplicate a range
                    if (n > 0) {
                        int from = r.nextInt(n);
                        int to = Math.min(n, from + 1 + r.nextInt(16));
                        data = splice(data, to, to, Arrays.copyOfRange(data, from, to));
                    }
                }
                case 6 -> { // replace a byte by a long varint
                    if (n > 0) {
                        int at = r.nextInt(n);
                        data = splice(data, at, at + 1, bytes(0xFF, 0xFF, 0xFF, 0xFF, r.nextInt(0x10)));
                    }
                }
                default -> { // append
                    byte[] tail = new byte[1 + r.nextInt(4)];
                    r.nextBytes(tail);
                    data = splice(data, n, n, tail);
                }
            }
        }
        return data;
    }

    private static byte[] splice(byte[] data, int from, int to, byte[] replacement) {
        byte[] result = new byte[data.length - (to - from) + replacement.length];
        System.arraycopy(data, 0, result, 0, from);
        System.arraycopy(replacement, 0, result, from, replacement.length);
        System.arraycopy(data, to, result, from + replacement.length, data.length - to);
        return result;
    }

    // ---------------------------------------------------------------- fuzzing

    @Test
    void randomAndMutatedInputFailsOnlyWithCodecException() {
        long seed = WireTestSupport.seed();
        Random random = new Random(seed);
        WireWriter out = new WireWriter();
        long start = System.nanoTime();
        int cases = 0;
        int decodedWhole = 0;
        int rejected = 0;
        boolean timeLimited = false;
        while (cases < FUZZ_CASES) {
            if ((cases & 0xFF) == 0 && System.nanoTime() - start > FUZZ_TIME_LIMIT_NANOS) {
                timeLimited = true;
                break;
            }
            byte[] input;
            boolean valid = false;
            int kind = random.nextInt(16);
            if (kind < 4) {
                input = new byte[random.nextInt(65)];
                random.nextBytes(input);
            } else {
                out.reset();
                encodeComposite(random, out);
                input = out.toByteArray();
                if (kind == 4) {
                    valid = true;
                } else {
                    input = mutate(random, input);
                }
            }
            String context = "seed " + seed + " (-Dwire.seed), case " + cases + ", input [" + hex(input) + "]";
            try {
                decodeComposite(reader(input));
                decodedWhole++;
            } catch (CodecException e) {
                if (valid) {
                    throw new AssertionError("a valid encoding was rejected; " + context, e);
                }
                rejected++;
            } catch (Throwable t) {
                throw new AssertionError("decoding threw " + t + " instead of CodecException; " + context, t);
            }
            Consumer<WireReader> single = SINGLE_READERS.get(cases % SINGLE_READERS.size());
            try {
                WireReader in = reader(input);
                single.accept(in);
                in.expectEnd();
            } catch (CodecException expected) {
                // the only acceptable failure
            } catch (Throwable t) {
                throw new AssertionError("single reader #" + (cases % SINGLE_READERS.size()) + " threw " + t
                        + " instead of CodecException; " + context, t);
            }
            cases++;
        }
        if (timeLimited) {
            assertTrue(cases >= FUZZ_CASES_IF_TIME_LIMITED, "only " + cases + " cases ran in the time limit");
        } else {
            assertEquals(FUZZ_CASES, cases);
        }
        assertTrue(decodedWhole > 0 && rejected > cases / 2,
                "the fuzzer should mostly hit errors and sometimes decode: " + decodedWhole + " decoded, "
                        + rejected + " rejected of " + cases + "; seed " + seed);
    }

    /** Every proper prefix of a valid encoding is rejected, and so is one extra byte. */
    @Test
    void truncationAndTrailingBytesAreRejected() {
        long seed = WireTestSupport.seed();
        Random random = new Random(seed);
        WireWriter out = new WireWriter();
        for (int round = 0; round < 200; round++) {
            out.reset();
            encodeComposite(random, out);
            byte[] valid = out.toByteArray();
            decodeComposite(reader(valid));
            for (int length = 0; length < valid.length; length++) {
                byte[] prefix = Arrays.copyOf(valid, length);
                assertThrows(CodecException.class, () -> decodeComposite(reader(prefix)),
                        () -> "prefix [" + hex(prefix) + "] of [" + hex(valid) + "]; seed " + seed);
            }
            byte[] longer = Arrays.copyOf(valid, valid.length + 1);
            assertThrows(CodecException.class, () -> decodeComposite(reader(longer)),
                    () -> "[" + hex(longer) + "]; seed " + seed);
        }
        for (int round = 0; round < 100; round++) {
            for (WireRoundTripTest.Kind<?> kind : WireRoundTripTest.KINDS) {
                out.reset();
                writeRandom(kind, random, out);
                byte[] valid = out.toByteArray();
                for (int length = 0; length < valid.length; length++) {
                    WireReader in = reader(Arrays.copyOf(valid, length));
                    int cut = length;
                    assertThrows(CodecException.class, () -> kind.read().apply(in),
                            () -> kind.name() + " [" + hex(valid) + "] cut to " + cut + " bytes; seed " + seed);
                }
            }
        }
    }

    private static <T> void writeRandom(WireRoundTripTest.Kind<T> kind, Random random, WireWriter out) {
        kind.write().accept(out, kind.random().apply(random));
    }

    // ---------------------------------------------------------------- targeted cases

    private static void assertRejected(byte[] input, Consumer<WireReader> read) {
        WireReader in = reader(input);
        assertThrows(CodecException.class, () -> {
            read.accept(in);
            in.expectEnd();
        }, () -> "input [" + hex(input) + "]");
    }

    private static void assertRejected(int[] input, Consumer<WireReader> read) {
        assertRejected(bytes(input), read);
    }

    private static byte[] varintThen(int length, int... tail) {
        WireWriter out = new WireWriter();
        out.writeVarint(length);
        for (int b : tail) {
            out.writeByte((byte) b);
        }
        return out.toByteArray();
    }

    @Test
    void hugeDeclaredLengthsAreRejectedBeforeAllocating() {
        List<Consumer<WireReader>> lengthPrefixed = List.of(WireReader::readString, WireReader::readByteArray,
                WireReader::readBooleanArray, WireReader::readShortArray, WireReader::readCharArray,
                WireReader::readIntArray, WireReader::readLongArray, WireReader::readFloatArray,
                WireReader::readDoubleArray, WireReader::readBigInteger, WireReader::readBigDecimal,
                WireReader::readActorRef, in -> in.readReference(ActorRef.class), in -> in.readSize(1),
                in -> in.readSize(0), in -> in.readSize(16));
        for (int length : new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE - 8, 1 << 30, -1, Integer.MIN_VALUE, 4}) {
            byte[] input = varintThen(length, 'a', 'b', 'c');
            for (Consumer<WireReader> read : lengthPrefixed) {
                WireReader in = reader(input);
                // assertThrows reports an OutOfMemoryError as the wrong exception
                assertThrows(CodecException.class, () -> read.accept(in), () -> "length " + length);
            }
        }
    }

    @Test
    void lengthsCountTheBytesOfTheirElements() {
        assertRejected(varintThen(1, 0, 0, 0), WireReader::readFloatArray);
        assertRejected(varintThen(1, 0, 0, 0, 0, 0, 0, 0), WireReader::readDoubleArray);
        assertRejected(varintThen(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), in -> in.readSize(8));
        WireReader in = reader(varintThen(2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
        assertEquals(2, in.readSize(8));
        assertEquals(16, in.remaining());
        // minBytesPerElement below 1 counts as 1
        assertRejected(varintThen(4, 0, 0, 0), in2 -> in2.readSize(0));
        assertRejected(varintThen(4, 0, 0, 0), in2 -> in2.readSize(-5));
    }

    @Test
    void malformedVarintsAreRejected() {
        List<Consumer<WireReader>> varints = List.of(WireReader::readVarint, WireReader::readInt,
                WireReader::readChar, WireReader::readShort, in -> in.readEnum(Color.values()), in -> in.readSize(1));
        for (Consumer<WireReader> read : varints) {
            assertRejected(new int[] {}, read);
            assertRejected(new int[] {0x80}, read);
            assertRejected(new int[] {0xFF, 0xFF}, read);
            // six bytes
            assertRejected(new int[] {0x80, 0x80, 0x80, 0x80, 0x80, 0x01}, read);
            assertRejected(new int[] {0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, read);
            // a fifth byte with bits beyond the 32nd
            assertRejected(new int[] {0x80, 0x80, 0x80, 0x80, 0x10}, read);
            assertRejected(new int[] {0xFF, 0xFF, 0xFF, 0xFF, 0x1F}, read);
            assertRejected(new int[] {0xFF, 0xFF, 0xFF, 0xFF, 0x7F}, read);
        }
        assertEquals(-1, reader(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F)).readVarint());
        assertEquals(Integer.MIN_VALUE, reader(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0x0F)).readInt());

        for (Consumer<WireReader> read : List.<Consumer<WireReader>>of(WireReader::readVarlong, WireReader::readLong)) {
            assertRejected(new int[] {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, read);
            assertRejected(new int[] {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02}, read);
            assertRejected(new int[] {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x81}, read);
            assertRejected(new int[] {0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}, read);
        }
        assertEquals(-1L, reader(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)).readVarlong());
        assertEquals(Long.MIN_VALUE, reader(bytes(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01)).readLong());
    }

    @Test
    void narrowTypesRejectValuesThatDoNotFit() {
        assertRejected(varintThen(0x10000), WireReader::readChar);
        assertRejected(varintThen(-1), WireReader::readChar);
        WireWriter out = new WireWriter();
        out.writeInt(Short.MAX_VALUE + 1);
        assertRejected(out.toByteArray(), WireReader::readShort);
        out.reset();
        out.writeInt(Short.MIN_VALUE - 1);
        assertRejected(out.toByteArray(), WireReader::readShort);
        assertRejected(varintThen(1, 0x81, 0x80, 0x04), WireReader::readCharArray);
    }

    @Test
    void malformedUtf8IsRejected() {
        int[][] strings = {
            {0x02, 0xC0, 0x80}, // overlong NUL
            {0x02, 0xC1, 0xBF}, // overlong 0x7F
            {0x03, 0xE0, 0x80, 0x80}, // overlong, 3 bytes
            {0x03, 0xE0, 0x9F, 0xBF}, // overlong 0x7FF
            {0x04, 0xF0, 0x80, 0x80, 0x80}, // overlong, 4 bytes
            {0x04, 0xF0, 0x8F, 0xBF, 0xBF}, // overlong 0xFFFF
            {0x04, 0xF4, 0x90, 0x80, 0x80}, // beyond U+10FFFF
            {0x04, 0xF7, 0xBF, 0xBF, 0xBF},
            {0x02, 0xC3, 0x28}, // bad continuation
            {0x03, 0xE2, 0x28, 0xA1},
            {0x03, 0xE2, 0x82, 0x28},
            {0x04, 0xF0, 0x9F, 0x98, 0x28},
            {0x01, 0x80}, // continuation as lead byte
            {0x01, 0xBF},
            {0x01, 0xF8},
            {0x05, 0xF8, 0x88, 0x80, 0x80, 0x80}, // five-byte form
            {0x01, 0xFF},
            {0x01, 0xC3}, // truncated within the declared length
            {0x01, 0xC3, 0xA9}, // the continuation lies beyond the declared length
            {0x02, 0xE2, 0x82},
            {0x02, 0xE2, 0x82, 0xAC},
            {0x03, 0xF0, 0x9F, 0x98},
            {0x03, 0xF0, 0x9F, 0x98, 0x80},
        };
        for (int[] s : strings) {
            assertRejected(s, WireReader::readString);
        }
        assertEquals("\u00e9", reader(bytes(0x02, 0xC3, 0xA9)).readString());
        assertEquals("\uD800", reader(bytes(0x03, 0xED, 0xA0, 0x80)).readString());
    }

    @Test
    void badEnumsInstantsAndDurationsAreRejected() {
        assertRejected(varintThen(3), in -> in.readEnum(Color.values()));
        assertRejected(varintThen(-1), in -> in.readEnum(Color.values()));
        assertRejected(varintThen(Integer.MAX_VALUE), in -> in.readEnum(Color.values()));
        assertRejected(varintThen(0), in -> in.readEnum(new Color[0]));

        for (Consumer<WireReader> read : List.<Consumer<WireReader>>of(WireReader::readInstant,
                WireReader::readDuration)) {
            assertRejected(bytes(0x00, 0x80, 0x94, 0xEB, 0xDC, 0x03), read); // 1_000_000_000 nanos
            assertRejected(bytes(0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F), read); // 2^32-1 nanos
            assertRejected(bytes(0x00), read);
        }
        WireWriter out = new WireWriter();
        out.writeLong(Instant.MAX.getEpochSecond() + 1);
        out.writeVarint(0);
        assertRejected(out.toByteArray(), WireReader::readInstant);
        out.reset();
        out.writeLong(Long.MIN_VALUE);
        out.writeVarint(999_999_999);
        assertRejected(out.toByteArray(), WireReader::readInstant);
        assertEquals(Long.MIN_VALUE, reader(out.toByteArray()).readDuration().getSeconds());
    }

    @Test
    void emptyBigIntegersAreRejected() {
        assertRejected(bytes(0x00), WireReader::readBigInteger);
        assertRejected(bytes(0x00, 0x00), WireReader::readBigDecimal);
        assertRejected(bytes(0x01, 0x05), WireReader::readBigDecimal); // scale missing
    }

    /** A two's-complement array beyond {@link BigInteger}'s range: 2^28 + 4 bytes. */
    @Test
    void bigIntegerBeyondItsRangeIsRejected() {
        int length = (1 << 28) + 4;
        assumeTrue(Runtime.getRuntime().maxMemory() >= 3L * length + (256L << 20),
                "needs about 1 GiB of heap");
        byte[] input = new byte[5 + length];
        WireWriter out = new WireWriter();
        out.writeVarint(length);
        System.arraycopy(out.toByteArray(), 0, input, 0, out.size());
        Arrays.fill(input, out.size(), out.size() + length, (byte) 0x7F);
        WireReader in = new WireReader(input, 0, out.size() + length, null, 64);
        assertThrows(CodecException.class, in::readBigInteger);
    }

    @Test
    void booleansAndPresenceMustBeZeroOrOne() {
        for (int b : new int[] {2, 0x7F, 0x80, 0xFF}) {
            assertRejected(bytes(b), WireReader::readBoolean);
            assertRejected(bytes(b), WireReader::readPresence);
            assertRejected(bytes(1, b), WireReader::readBooleanArray);
        }
        assertRejected(new byte[0], WireReader::readBoolean);
        assertRejected(new byte[0], WireReader::readPresence);
    }

    @Test
    void trailingBytesAreRejected() {
        WireReader in = reader(bytes(0x0A, 0x00));
        assertEquals(5, in.readInt());
        CodecException e = assertThrows(CodecException.class, in::expectEnd);
        assertTrue(e.getMessage().contains("1 unexpected trailing byte"), e.getMessage());
        assertRejected(bytes(0x00, 0x00), WireReader::readString);
        reader(new byte[0]).expectEnd();
    }

    @Test
    void deepNestingIsRejectedWithoutExhaustingTheStack() {
        // node { varint 0, one child } repeated: 01 00 01 01 00 01 ... ending in an absent child
        for (int depth : new int[] {64, 65, 100_000}) {
            byte[] input = new byte[depth * 3 + 1];
            for (int i = 0; i < depth; i++) {
                input[3 * i] = 1;
                input[3 * i + 1] = 0;
                input[3 * i + 2] = 1;
            }
            WireReader in = reader(input);
            Executable decode = () -> {
                decodeNode(in);
                in.expectEnd();
            };
            if (depth <= WireWriter.DEFAULT_MAX_DEPTH) {
                try {
                    decode.execute();
                } catch (Throwable t) {
                    fail("depth " + depth + " is allowed", t);
                }
            } else {
                assertThrows(CodecException.class, decode, "depth " + depth);
            }
        }
    }

    @Test
    void writerAndReaderAgreeOnTheDepthLimit() {
        WireWriter out = new WireWriter();
        encodeDeep(out, WireWriter.DEFAULT_MAX_DEPTH);
        decodeNode(reader(out.toByteArray()));
        WireWriter tooDeep = new WireWriter();
        assertThrows(CodecException.class, () -> encodeDeep(tooDeep, WireWriter.DEFAULT_MAX_DEPTH + 1));
    }

    private static void encodeDeep(WireWriter out, int depth) {
        out.writePresence(depth > 0 ? "node" : null);
        if (depth > 0) {
            out.enter();
            out.writeVarint(0);
            out.writeSize(1);
            encodeDeep(out, depth - 1);
            out.exit();
        }
    }
}
