package io.spinoff.runtime.internal.remote;

import java.util.Arrays;

/**
 * The growable buffer in which the I/O thread assembles an envelope from frames encoded by the
 * senders: raw bytes and varints only, in the format of {@link io.spinoff.api.support.WireWriter}.
 * Not API; I/O thread only.
 */
final class FrameBuffer {
    private byte[] buffer;
    private int position;

    FrameBuffer(int initialCapacity) {
        buffer = new byte[initialCapacity];
    }

    int size() {
        return position;
    }

    byte[] array() {
        return buffer;
    }

    void reset() {
        position = 0;
    }

    private void ensure(int more) {
        if (buffer.length - position < more) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, position + more));
        }
    }

    void writeByte(byte value) {
        ensure(1);
        buffer[position++] = value;
    }

    void writeVarint(int value) {
        ensure(5);
        while ((value & ~0x7F) != 0) {
            buffer[position++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buffer[position++] = (byte) value;
    }

    void write(byte[] bytes) {
        ensure(bytes.length);
        System.arraycopy(bytes, 0, buffer, position, bytes.length);
        position += bytes.length;
    }

    /** @return how many bytes {@link #writeVarint} takes for the value */
    static int varintSize(int value) {
        int size = 1;
        while ((value & ~0x7F) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }
}
