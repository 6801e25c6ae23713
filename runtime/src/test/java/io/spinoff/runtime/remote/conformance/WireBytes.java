package io.spinoff.runtime.remote.conformance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The conformance test's own encoder and decoder of Spinoff's wire format, written from the byte
 * layouts of docs/WIRE-FORMAT.md alone: no runtime class and no generated codec is used, as a peer
 * in another language would have none. Single-threaded: each instance belongs to one test thread.
 */
final class WireBytes {

    static final int MAGIC_0 = 0x53;
    static final int MAGIC_1 = 0x4F;
    static final int VERSION = 2;

    static final int HELLO = 1;
    static final int HEARTBEAT = 2;
    static final int BATCH = 3;

    static final int TELL = 1;
    static final int ASK = 2;
    static final int REPLY = 3;
    static final int FAILURE = 4;
    static final int WATCH = 5;
    static final int UNWATCH = 6;
    static final int TERMINATED = 7;
    static final int TARGET = 8;

    static final int FAILED_IN_ACTOR = 1;
    static final int NOT_FOUND = 2;
    static final int STOPPED = 3;
    static final int TIMED_OUT = 4;
    static final int PROTOCOL_MISMATCH = 5;
    static final int UNDECODABLE = 6;
    static final int NOT_IMPLEMENTED = 7;

    static final int REASON_STOPPED = 1;
    static final int REASON_FAILED = 2;

    private WireBytes() {}

    /** The fingerprint: the first 8 bytes of the SHA-256 of the canonical text's UTF-8, big-endian. */
    static long fingerprint(String canonicalText) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonicalText.getBytes(StandardCharsets.UTF_8));
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = value << 8 | (digest[i] & 0xFF);
            }
            return value;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").withUpperCase().formatHex(bytes);
    }

    /** Writes values as the spec lays them out. */
    static final class Out {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Out u8(int value) {
            bytes.write(value);
            return this;
        }

        /** An unsigned LEB128 varint of the 64 bits of the value. */
        Out varint(long value) {
            while ((value & ~0x7FL) != 0) {
                bytes.write((int) (value & 0x7F) | 0x80);
                value >>>= 7;
            }
            bytes.write((int) value);
            return this;
        }

        /** A signed value, zig-zag mapped, then as a varint. */
        Out zigzag(long value) {
            return varint(value << 1 ^ value >> 63);
        }

        Out string(String value) {
            byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
            varint(utf8.length);
            return raw(utf8);
        }

        /** A present reference value: presence byte 01, then the string. */
        Out someString(String value) {
            return u8(1).string(value);
        }

        Out fixed32(int bits) {
            for (int i = 0; i < 4; i++) {
                bytes.write(bits >>> 8 * i);
            }
            return this;
        }

        Out fixed64(long bits) {
            return fixed32((int) bits).fixed32((int) (bits >>> 32));
        }

        Out raw(byte[] data) {
            bytes.writeBytes(data);
            return this;
        }

        /** A frame inside a batch: its length, then its bytes. */
        Out frame(byte[] frame) {
            varint(frame.length);
            return raw(frame);
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }
    }

    /** Reads values as the spec lays them out; throws {@link IllegalStateException} on bad input. */
    static final class In {
        private final byte[] data;
        private int position;

        In(byte[] data) {
            this.data = data;
        }

        int u8() {
            if (position >= data.length) {
                throw new IllegalStateException("truncated at " + position + " of " + hex(data));
            }
            return data[position++] & 0xFF;
        }

        long varint() {
            long value = 0;
            for (int shift = 0; shift < 70; shift += 7) {
                int b = u8();
                value |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalStateException("varint longer than 10 bytes");
        }

        long zigzag() {
            long raw = varint();
            return raw >>> 1 ^ -(raw & 1);
        }

        int presence() {
            int b = u8();
            if (b > 1) {
                throw new IllegalStateException("bad presence byte " + b);
            }
            return b;
        }

        String string() {
            int length = (int) varint();
            return new String(take(length), StandardCharsets.UTF_8);
        }

        /** A reference value that must be present: presence byte 01, then the string. */
        String someString() {
            if (presence() != 1) {
                throw new IllegalStateException("absent string");
            }
            return string();
        }

        int fixed32() {
            int bits = 0;
            for (int i = 0; i < 4; i++) {
                bits |= u8() << 8 * i;
            }
            return bits;
        }

        long fixed64() {
            return fixed32() & 0xFFFFFFFFL | (long) fixed32() << 32;
        }

        byte[] take(int length) {
            if (length < 0 || length > data.length - position) {
                throw new IllegalStateException("length " + length + " exceeds the " + (data.length - position) + " bytes left");
            }
            byte[] taken = Arrays.copyOfRange(data, position, position + length);
            position += length;
            return taken;
        }

        byte[] rest() {
            return take(data.length - position);
        }

        boolean atEnd() {
            return position == data.length;
        }

        void expectEnd() {
            if (!atEnd()) {
                throw new IllegalStateException((data.length - position) + " bytes left over in " + hex(data));
            }
        }
    }

    // ------------------------------------------------------------------ envelopes

    static Out header(int kind, String sender, long incarnation) {
        return new Out().u8(MAGIC_0).u8(MAGIC_1).u8(VERSION).u8(kind).string(sender).zigzag(incarnation);
    }

    /** @param protocols pairs of protocol name and fingerprint */
    static byte[] hello(String sender, long incarnation, String receiver, List<Announced> protocols) {
        Out out = header(HELLO, sender, incarnation).string(receiver).varint(protocols.size());
        for (Announced protocol : protocols) {
            out.string(protocol.name()).zigzag(protocol.fingerprint());
        }
        return out.bytes();
    }

    static byte[] heartbeat(String sender, long incarnation) {
        return header(HEARTBEAT, sender, incarnation).bytes();
    }

    static byte[] batch(String sender, long incarnation, List<byte[]> frames) {
        Out out = header(BATCH, sender, incarnation);
        for (byte[] frame : frames) {
            out.frame(frame);
        }
        return out.bytes();
    }

    static byte[] batch(String sender, long incarnation, byte[]... frames) {
        return batch(sender, incarnation, List.of(frames));
    }

    // ------------------------------------------------------------------ records of a batch

    static byte[] target(String path, String protocol, long fingerprint) {
        return new Out().u8(TARGET).string(path).string(protocol).zigzag(fingerprint).bytes();
    }

    static byte[] tell(int target, byte[] payload) {
        return new Out().u8(TELL).varint(target).raw(payload).bytes();
    }

    static byte[] ask(int target, long correlation, long timeoutMillis, byte[] payload) {
        return new Out().u8(ASK).varint(target).zigzag(correlation).varint(timeoutMillis).raw(payload).bytes();
    }

    static byte[] reply(long correlation, byte[] payload) {
        return new Out().u8(REPLY).zigzag(correlation).raw(payload).bytes();
    }

    static byte[] failure(long correlation, int code, String text) {
        return new Out().u8(FAILURE).zigzag(correlation).u8(code).string(text).bytes();
    }

    static byte[] watch(String path) {
        return new Out().u8(WATCH).string(path).bytes();
    }

    static byte[] unwatch(String path) {
        return new Out().u8(UNWATCH).string(path).bytes();
    }

    static byte[] terminated(String path, int reason) {
        return new Out().u8(TERMINATED).string(path).u8(reason).bytes();
    }

    /** A protocol a HELLO announces. */
    record Announced(String name, long fingerprint) {}

    /** An envelope as read from the wire; {@code body} is what follows the header. */
    record Envelope(int kind, String sender, long incarnation, byte[] body, byte[] raw) {

        static Envelope parse(byte[] raw) {
            In in = new In(raw);
            if (in.u8() != MAGIC_0 || in.u8() != MAGIC_1) {
                throw new IllegalStateException("not an envelope: " + hex(raw));
            }
            int version = in.u8();
            if (version != VERSION) {
                throw new IllegalStateException("version " + version);
            }
            int kind = in.u8();
            String sender = in.string();
            long incarnation = in.zigzag();
            return new Envelope(kind, sender, incarnation, in.rest(), raw);
        }

        Hello hello() {
            In in = new In(body);
            String receiver = in.string();
            long count = in.varint();
            List<Announced> protocols = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                protocols.add(new Announced(in.string(), in.zigzag()));
            }
            in.expectEnd();
            return new Hello(receiver, protocols);
        }

        /** @return the frames of a BATCH, each without its length prefix */
        List<byte[]> frames() {
            In in = new In(body);
            List<byte[]> frames = new ArrayList<>();
            while (!in.atEnd()) {
                frames.add(in.take((int) in.varint()));
            }
            return frames;
        }
    }

    /** The content of a HELLO. */
    record Hello(String receiver, List<Announced> protocols) {}
}
