package io.spinoff.api.support;

import io.spinoff.api.ActorRef;
import io.spinoff.api.CodecException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.UUID;

/**
 * Writes values in Spinoff's binary wire format (described in {@code WIRE-FORMAT.md}): zig-zag
 * varints for integral types, fixed little-endian IEEE 754 for floating point, length-prefixed
 * UTF-8 for strings, a presence byte before every reference value, a size before every collection.
 * Generated codecs call it field by field; it never uses reflection.
 *
 * <p><b>Threading:</b> not thread-safe; one writer serves one thread at a time. It may be
 * {@linkplain #reset() reset} and reused.
 */
public final class WireWriter {

    /** The nesting depth past which writing fails, which also stops a list that contains itself. */
    public static final int DEFAULT_MAX_DEPTH = 64;

    private final ReferenceCodec references;
    private final int maxDepth;
    private byte[] buffer;
    private int position;
    private int depth;

    /** A writer with no {@link ReferenceCodec}: proxies and {@link ActorRef}s still encode. */
    public WireWriter() {
        this(64, null);
    }

    /**
     * @param initialCapacity the initial buffer size in bytes
     * @param references turns references that are not proxies into addresses; may be {@code null}
     */
    public WireWriter(int initialCapacity, ReferenceCodec references) {
        this.buffer = new byte[Math.max(16, initialCapacity)];
        this.references = references;
        this.maxDepth = DEFAULT_MAX_DEPTH;
    }

    /** @return the number of bytes written */
    public int size() {
        return position;
    }

    /** @return a copy of the bytes written */
    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, position);
    }

    /**
     * @return the internal buffer; its first {@link #size()} bytes are those written. It is valid
     *     until the next write or reset.
     */
    public byte[] buffer() {
        return buffer;
    }

    /** Forgets everything written, keeping the buffer. */
    public void reset() {
        position = 0;
        depth = 0;
    }

    private void ensure(int more) {
        if (buffer.length - position < more) {
            long wanted = Math.max((long) buffer.length * 2, (long) position + more);
            if (wanted > Integer.MAX_VALUE - 8) {
                throw new CodecException("Encoded value exceeds 2 GiB; send smaller messages.");
            }
            buffer = Arrays.copyOf(buffer, (int) wanted);
        }
    }

    /**
     * Marks the start of a nested value (record, collection, optional).
     *
     * @throws CodecException past {@value #DEFAULT_MAX_DEPTH} levels, which a reader would refuse
     */
    public void enter() {
        if (++depth > maxDepth) {
            throw new CodecException("Value nests deeper than " + maxDepth
                    + " levels (a collection that contains itself?); flatten the structure.");
        }
    }

    /** Marks the end of a nested value. */
    public void exit() {
        depth--;
    }

    /**
     * Writes the presence byte of a reference value: 0 for {@code null}, 1 otherwise.
     *
     * @param value the value about to be written
     * @return whether the value is present and must now be written
     */
    public boolean writePresence(Object value) {
        writeRawByte(value == null ? 0 : 1);
        return value != null;
    }

    private void writeRawByte(int b) {
        ensure(1);
        buffer[position++] = (byte) b;
    }

    /** @param value written as one byte, 0 or 1 */
    public void writeBoolean(boolean value) {
        writeRawByte(value ? 1 : 0);
    }

    /** @param value written as one byte */
    public void writeByte(byte value) {
        writeRawByte(value);
    }

    /** @param value written as a zig-zag varint */
    public void writeShort(short value) {
        writeInt(value);
    }

    /** @param value written as an unsigned varint */
    public void writeChar(char value) {
        writeVarint(value);
    }

    /** @param value written as a zig-zag varint (1 to 5 bytes) */
    public void writeInt(int value) {
        writeVarint((value << 1) ^ (value >> 31));
    }

    /** @param value written as a zig-zag varint (1 to 10 bytes) */
    public void writeLong(long value) {
        writeVarlong((value << 1) ^ (value >> 63));
    }

    /** @param value written as 4 bytes, IEEE 754, little-endian */
    public void writeFloat(float value) {
        writeFixed32(Float.floatToRawIntBits(value));
    }

    /** @param value written as 8 bytes, IEEE 754, little-endian */
    public void writeDouble(double value) {
        writeFixed64(Double.doubleToRawLongBits(value));
    }

    private void writeFixed32(int bits) {
        ensure(4);
        buffer[position] = (byte) bits;
        buffer[position + 1] = (byte) (bits >>> 8);
        buffer[position + 2] = (byte) (bits >>> 16);
        buffer[position + 3] = (byte) (bits >>> 24);
        position += 4;
    }

    private void writeFixed64(long bits) {
        writeFixed32((int) bits);
        writeFixed32((int) (bits >>> 32));
    }

    /** @param value written as an unsigned LEB128 varint (1 to 5 bytes) */
    public void writeVarint(int value) {
        ensure(5);
        while ((value & ~0x7F) != 0) {
            buffer[position++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[position++] = (byte) value;
    }

    /** @param value written as an unsigned LEB128 varint (1 to 10 bytes) */
    public void writeVarlong(long value) {
        ensure(10);
        while ((value & ~0x7FL) != 0) {
            buffer[position++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[position++] = (byte) value;
    }

    /** @param size the number of elements of the collection that follows; not negative */
    public void writeSize(int size) {
        if (size < 0) {
            throw new CodecException("Negative collection size " + size);
        }
        writeVarint(size);
    }

    /**
     * Writes a string as its UTF-8 byte length then its bytes. Unpaired surrogates are written as
     * their three-byte forms (as WTF-8 does), so every Java string survives the round trip.
     *
     * @param value the string; not {@code null}
     */
    public void writeString(String value) {
        int length = value.length();
        int ascii = 0;
        while (ascii < length && value.charAt(ascii) < 0x80) {
            ascii++;
        }
        if (ascii == length) {
            writeVarint(length);
            ensure(length);
            for (int i = 0; i < length; i++) {
                buffer[position++] = (byte) value.charAt(i);
            }
            return;
        }
        long byteLength = utf8Length(value);
        if (byteLength > Integer.MAX_VALUE) {
            throw new CodecException("Encoded value exceeds 2 GiB; send smaller messages.");
        }
        writeVarint((int) byteLength);
        ensure((int) byteLength);
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                buffer[position++] = (byte) c;
            } else if (c < 0x800) {
                buffer[position++] = (byte) (0xC0 | (c >> 6));
                buffer[position++] = (byte) (0x80 | (c & 0x3F));
            } else if (Character.isHighSurrogate(c) && i + 1 < length
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, value.charAt(++i));
                buffer[position++] = (byte) (0xF0 | (cp >> 18));
                buffer[position++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                buffer[position++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                buffer[position++] = (byte) (0x80 | (cp & 0x3F));
            } else {
                buffer[position++] = (byte) (0xE0 | (c >> 12));
                buffer[position++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buffer[position++] = (byte) (0x80 | (c & 0x3F));
            }
        }
    }

    private static long utf8Length(String value) {
        long bytes = 0;
        int length = value.length();
        for (int i = 0; i < length; i++) {
            char c = value.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length
                    && Character.isLowSurrogate(value.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** @param value written as its length then its bytes; not {@code null} */
    public void writeByteArray(byte[] value) {
        writeVarint(value.length);
        ensure(value.length);
        System.arraycopy(value, 0, buffer, position, value.length);
        position += value.length;
    }

    /** @param value written as its length then one byte per element; not {@code null} */
    public void writeBooleanArray(boolean[] value) {
        writeVarint(value.length);
        ensure(value.length);
        for (boolean b : value) {
            buffer[position++] = (byte) (b ? 1 : 0);
        }
    }

    /** @param value written as its length then a zig-zag varint per element; not {@code null} */
    public void writeShortArray(short[] value) {
        writeVarint(value.length);
        for (short s : value) {
            writeShort(s);
        }
    }

    /** @param value written as its length then a varint per element; not {@code null} */
    public void writeCharArray(char[] value) {
        writeVarint(value.length);
        for (char c : value) {
            writeChar(c);
        }
    }

    /** @param value written as its length then a zig-zag varint per element; not {@code null} */
    public void writeIntArray(int[] value) {
        writeVarint(value.length);
        for (int i : value) {
            writeInt(i);
        }
    }

    /** @param value written as its length then a zig-zag varint per element; not {@code null} */
    public void writeLongArray(long[] value) {
        writeVarint(value.length);
        for (long l : value) {
            writeLong(l);
        }
    }

    /** @param value written as its length then 4 bytes per element; not {@code null} */
    public void writeFloatArray(float[] value) {
        writeVarint(value.length);
        for (float f : value) {
            writeFloat(f);
        }
    }

    /** @param value written as its length then 8 bytes per element; not {@code null} */
    public void writeDoubleArray(double[] value) {
        writeVarint(value.length);
        for (double d : value) {
            writeDouble(d);
        }
    }

    /** @param value written as its ordinal, a varint; not {@code null} */
    public void writeEnum(Enum<?> value) {
        writeVarint(value.ordinal());
    }

    /** @param value written as 16 bytes: most then least significant half; not {@code null} */
    public void writeUuid(UUID value) {
        writeFixed64(value.getMostSignificantBits());
        writeFixed64(value.getLeastSignificantBits());
    }

    /** @param value written as epoch seconds (zig-zag varint) then nanos (varint); not {@code null} */
    public void writeInstant(Instant value) {
        writeLong(value.getEpochSecond());
        writeVarint(value.getNano());
    }

    /** @param value written as seconds (zig-zag varint) then nanos (varint); not {@code null} */
    public void writeDuration(Duration value) {
        writeLong(value.getSeconds());
        writeVarint(value.getNano());
    }

    /** @param value written as its two's-complement bytes, length first; not {@code null} */
    public void writeBigInteger(BigInteger value) {
        writeByteArray(value.toByteArray());
    }

    /** @param value written as its unscaled value then its scale; not {@code null} */
    public void writeBigDecimal(BigDecimal value) {
        writeBigInteger(value.unscaledValue());
        writeInt(value.scale());
    }

    /**
     * Writes a reference to an actor as its address: a generated proxy, an {@link ActorRef}, or any
     * other object the {@link ReferenceCodec} knows.
     *
     * @param reference the reference; not {@code null}
     * @throws CodecException when the object designates no actor
     */
    public void writeReference(Object reference) {
        String address;
        ActorRef<?> ref = reference instanceof ActorRef<?> r ? r : ProtocolProxy.actorRefOf(reference);
        if (ref != null) {
            address = ref.address();
        } else if (references != null) {
            address = references.addressOf(reference);
        } else {
            throw new CodecException("Cannot send " + reference.getClass().getName()
                    + " as an actor reference; pass the proxy returned by spawn, lookup or self(...).");
        }
        writeString(address);
    }
}
