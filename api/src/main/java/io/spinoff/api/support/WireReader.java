package io.spinoff.api.support;

import io.spinoff.api.ActorRef;
import io.spinoff.api.CodecException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

/**
 * Reads values written by {@link WireWriter} from untrusted bytes.
 *
 * <p>Every malformed input fails with {@link CodecException} and nothing else. Nothing is allocated
 * from a declared length before that length is checked against the bytes that remain: a string or
 * array claims at most the remaining bytes, a collection at most one element per remaining byte
 * (every element takes at least one). Nesting is limited to {@link WireWriter#DEFAULT_MAX_DEPTH}
 * levels unless set otherwise.
 *
 * <p><b>Threading:</b> not thread-safe; one reader serves one thread and one input.
 */
public final class WireReader {

    private final byte[] data;
    private final int limit;
    private final ReferenceCodec references;
    private final int maxDepth;
    private int position;
    private int depth;

    /**
     * A reader of a whole array, with no {@link ReferenceCodec} (reading a reference fails).
     *
     * @param data the bytes
     */
    public WireReader(byte[] data) {
        this(data, 0, data.length, null, WireWriter.DEFAULT_MAX_DEPTH);
    }

    /**
     * @param data the bytes
     * @param offset where the input starts
     * @param length how many bytes it has
     * @param references turns addresses into references; may be {@code null}
     * @param maxDepth how deep values may nest
     */
    public WireReader(byte[] data, int offset, int length, ReferenceCodec references, int maxDepth) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", length " + length
                    + ", array of " + data.length);
        }
        this.data = data;
        this.position = offset;
        this.limit = offset + length;
        this.references = references;
        this.maxDepth = maxDepth;
    }

    /** @return the number of bytes not yet read */
    public int remaining() {
        return limit - position;
    }

    /**
     * Checks that the input has been read to its end.
     *
     * @throws CodecException when bytes remain
     */
    public void expectEnd() {
        if (position != limit) {
            throw new CodecException(remaining() + " unexpected trailing bytes after the value");
        }
    }

    /**
     * Marks the start of a nested value.
     *
     * @throws CodecException past the depth limit
     */
    public void enter() {
        if (++depth > maxDepth) {
            throw new CodecException("Value nests deeper than " + maxDepth + " levels");
        }
    }

    /** Marks the end of a nested value. */
    public void exit() {
        depth--;
    }

    private void need(int bytes) {
        if (limit - position < bytes) {
            throw new CodecException("Truncated input: needed " + bytes + " more bytes, "
                    + remaining() + " remain");
        }
    }

    private int readRawByte() {
        need(1);
        return data[position++];
    }

    /**
     * @return whether the reference value that follows is present
     * @throws CodecException when the presence byte is neither 0 nor 1
     */
    public boolean readPresence() {
        int b = readRawByte();
        if (b == 0) {
            return false;
        }
        if (b == 1) {
            return true;
        }
        throw new CodecException("Bad presence marker " + b + "; expected 0 or 1");
    }

    /** @return a boolean; the byte must be 0 or 1 */
    public boolean readBoolean() {
        int b = readRawByte();
        if (b == 0) {
            return false;
        }
        if (b == 1) {
            return true;
        }
        throw new CodecException("Bad boolean " + b + "; expected 0 or 1");
    }

    /** @return a byte */
    public byte readByte() {
        return (byte) readRawByte();
    }

    /** @return a short; the varint must fit */
    public short readShort() {
        int value = readInt();
        if (value != (short) value) {
            throw new CodecException("Value " + value + " does not fit in a short");
        }
        return (short) value;
    }

    /** @return a char; the varint must fit */
    public char readChar() {
        int value = readVarint();
        if (value != (char) value) {
            throw new CodecException("Value " + Integer.toUnsignedString(value) + " does not fit in a char");
        }
        return (char) value;
    }

    /** @return an int, read as a zig-zag varint */
    public int readInt() {
        int raw = readVarint();
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** @return a long, read as a zig-zag varint */
    public long readLong() {
        long raw = readVarlong();
        return (raw >>> 1) ^ -(raw & 1);
    }

    /** @return a float from 4 little-endian bytes */
    public float readFloat() {
        return Float.intBitsToFloat(readFixed32());
    }

    /** @return a double from 8 little-endian bytes */
    public double readDouble() {
        return Double.longBitsToDouble(readFixed64());
    }

    private int readFixed32() {
        need(4);
        int p = position;
        position += 4;
        return (data[p] & 0xFF) | (data[p + 1] & 0xFF) << 8 | (data[p + 2] & 0xFF) << 16
                | (data[p + 3] & 0xFF) << 24;
    }

    private long readFixed64() {
        long low = readFixed32() & 0xFFFFFFFFL;
        long high = readFixed32() & 0xFFFFFFFFL;
        return low | high << 32;
    }

    /**
     * @return an unsigned LEB128 varint of at most 5 bytes whose value fits in 32 bits
     * @throws CodecException when the varint is truncated or too long
     */
    public int readVarint() {
        int result = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            int b = readRawByte();
            if (shift == 28 && (b & 0xF0) != 0) {
                throw new CodecException("Varint does not fit in 32 bits");
            }
            result |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CodecException("Varint longer than 5 bytes");
    }

    /**
     * @return an unsigned LEB128 varint of at most 10 bytes whose value fits in 64 bits
     * @throws CodecException when the varint is truncated or too long
     */
    public long readVarlong() {
        long result = 0;
        for (int shift = 0; shift < 70; shift += 7) {
            int b = readRawByte();
            if (shift == 63 && (b & 0xFE) != 0) {
                throw new CodecException("Varint does not fit in 64 bits");
            }
            result |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw new CodecException("Varint longer than 10 bytes");
    }

    private int readLength(String what, int bytesPerElement) {
        int length = readVarint();
        if (length < 0 || (long) length * bytesPerElement > remaining()) {
            throw new CodecException(what + " declares " + Integer.toUnsignedString(length)
                    + " elements but only " + remaining() + " bytes remain");
        }
        return length;
    }

    /**
     * Reads the size of a collection, checked against the remaining input.
     *
     * @param minBytesPerElement the fewest bytes one element can take (at least 1)
     * @return the size
     * @throws CodecException when the remaining bytes cannot hold that many elements
     */
    public int readSize(int minBytesPerElement) {
        return readLength("Collection", Math.max(1, minBytesPerElement));
    }

    /** @return a string written by {@link WireWriter#writeString} */
    public String readString() {
        int length = readLength("String", 1);
        int end = position + length;
        char[] chars = new char[length];
        int count = 0;
        int p = position;
        while (p < end) {
            int b = data[p];
            if (b >= 0) {
                chars[count++] = (char) b;
                p++;
            } else if ((b & 0xE0) == 0xC0) {
                int c = ((b & 0x1F) << 6) | continuation(p + 1, end);
                if (c < 0x80) {
                    throw new CodecException("Overlong UTF-8 sequence in string");
                }
                chars[count++] = (char) c;
                p += 2;
            } else if ((b & 0xF0) == 0xE0) {
                int c = ((b & 0x0F) << 12) | (continuation(p + 1, end) << 6) | continuation(p + 2, end);
                if (c < 0x800) {
                    throw new CodecException("Overlong UTF-8 sequence in string");
                }
                chars[count++] = (char) c;
                p += 3;
            } else if ((b & 0xF8) == 0xF0) {
                int cp = ((b & 0x07) << 18) | (continuation(p + 1, end) << 12)
                        | (continuation(p + 2, end) << 6) | continuation(p + 3, end);
                if (cp < 0x10000 || cp > Character.MAX_CODE_POINT) {
                    throw new CodecException("Invalid UTF-8 code point in string");
                }
                chars[count++] = Character.highSurrogate(cp);
                chars[count++] = Character.lowSurrogate(cp);
                p += 4;
            } else {
                throw new CodecException("Invalid UTF-8 lead byte in string");
            }
        }
        position = end;
        return new String(chars, 0, count);
    }

    private int continuation(int index, int end) {
        if (index >= end) {
            throw new CodecException("Truncated UTF-8 sequence in string");
        }
        int b = data[index];
        if ((b & 0xC0) != 0x80) {
            throw new CodecException("Invalid UTF-8 continuation byte in string");
        }
        return b & 0x3F;
    }

    /** @return a byte array */
    public byte[] readByteArray() {
        int length = readLength("byte[]", 1);
        byte[] result = new byte[length];
        System.arraycopy(data, position, result, 0, length);
        position += length;
        return result;
    }

    /** @return a boolean array */
    public boolean[] readBooleanArray() {
        boolean[] result = new boolean[readLength("boolean[]", 1)];
        for (int i = 0; i < result.length; i++) {
            result[i] = readBoolean();
        }
        return result;
    }

    /** @return a short array */
    public short[] readShortArray() {
        short[] result = new short[readLength("short[]", 1)];
        for (int i = 0; i < result.length; i++) {
            result[i] = readShort();
        }
        return result;
    }

    /** @return a char array */
    public char[] readCharArray() {
        char[] result = new char[readLength("char[]", 1)];
        for (int i = 0; i < result.length; i++) {
            result[i] = readChar();
        }
        return result;
    }

    /** @return an int array */
    public int[] readIntArray() {
        int[] result = new int[readLength("int[]", 1)];
        for (int i = 0; i < result.length; i++) {
            result[i] = readInt();
        }
        return result;
    }

    /** @return a long array */
    public long[] readLongArray() {
        long[] result = new long[readLength("long[]", 1)];
        for (int i = 0; i < result.length; i++) {
            result[i] = readLong();
        }
        return result;
    }

    /** @return a float array */
    public float[] readFloatArray() {
        float[] result = new float[readLength("float[]", 4)];
        for (int i = 0; i < result.length; i++) {
            result[i] = readFloat();
        }
        return result;
    }

    /** @return a double array */
    public double[] readDoubleArray() {
        double[] result = new double[readLength("double[]", 8)];
        for (int i = 0; i < result.length; i++) {
            result[i] = readDouble();
        }
        return result;
    }

    /**
     * @param constants the enum's constants, from {@code values()}
     * @param <E> the enum type
     * @return the constant whose ordinal was written
     * @throws CodecException when the ordinal is out of range
     */
    public <E extends Enum<E>> E readEnum(E[] constants) {
        int ordinal = readVarint();
        if (ordinal < 0 || ordinal >= constants.length) {
            throw new CodecException("Enum ordinal " + Integer.toUnsignedString(ordinal) + " out of range for "
                    + (constants.length == 0 ? "an empty enum" : constants[0].getDeclaringClass().getName()));
        }
        return constants[ordinal];
    }

    /** @return a UUID */
    public UUID readUuid() {
        long most = readFixed64();
        long least = readFixed64();
        return new UUID(most, least);
    }

    /** @return an instant; it must be within {@link Instant}'s range */
    public Instant readInstant() {
        long seconds = readLong();
        int nanos = readNanos();
        try {
            return Instant.ofEpochSecond(seconds, nanos);
        } catch (DateTimeException | ArithmeticException e) {
            throw new CodecException("Instant out of range: " + seconds + "s", e);
        }
    }

    /** @return a duration */
    public Duration readDuration() {
        long seconds = readLong();
        int nanos = readNanos();
        return Duration.ofSeconds(seconds, nanos);
    }

    private int readNanos() {
        int nanos = readVarint();
        if (nanos < 0 || nanos > 999_999_999) {
            throw new CodecException("Nanosecond field out of range: " + Integer.toUnsignedString(nanos));
        }
        return nanos;
    }

    /** @return a big integer; its byte array must not be empty */
    public BigInteger readBigInteger() {
        byte[] bytes = readByteArray();
        if (bytes.length == 0) {
            throw new CodecException("BigInteger with no bytes");
        }
        try {
            return new BigInteger(bytes);
        } catch (ArithmeticException e) {
            throw new CodecException("BigInteger of " + bytes.length + " bytes is out of range", e);
        }
    }

    /** @return a big decimal */
    public BigDecimal readBigDecimal() {
        BigInteger unscaled = readBigInteger();
        return new BigDecimal(unscaled, readInt());
    }

    /**
     * Reads an actor address and resolves it to a typed proxy.
     *
     * @param protocol the protocol the proxy implements
     * @param <P> the protocol type
     * @return the proxy
     * @throws CodecException when the reader has no {@link ReferenceCodec}, or the address is bad
     */
    public <P> P readReference(Class<P> protocol) {
        String address = readString();
        return resolver().resolve(protocol, address);
    }

    /**
     * Reads an actor address and resolves it to an untyped reference.
     *
     * @return the reference
     * @throws CodecException when the reader has no {@link ReferenceCodec}, or the address is bad
     */
    public ActorRef<Object> readActorRef() {
        String address = readString();
        return resolver().resolveRef(address);
    }

    private ReferenceCodec resolver() {
        if (references == null) {
            throw new CodecException("This input holds an actor reference but the reader has no"
                    + " ReferenceCodec to resolve it; decode it through an actor system.");
        }
        return references;
    }
}
