package io.spinoff.runtime.internal.remote;

/**
 * The wire layout of remoting. Not API.
 *
 * <p>Every ZeroMQ message a node sends is an <em>envelope</em>, written with
 * {@link io.spinoff.api.support.WireWriter}:
 * <pre>
 * magic 0x53 0x4F ("SO"), version byte, envelope kind byte,
 * sender node name (string), sender incarnation (long),
 * for {@link #HELLO}: the node name the sender believes it talks to (string), then the number of
 *     protocols it knows (size) and for each its name (string) and fingerprint (long)
 * for {@link #BATCH}: frames, each a byte array (length-prefixed), to the end
 * </pre>
 * A frame starts with its kind byte:
 * <pre>
 * TELL       target path, protocol name, protocol fingerprint (long), payload (generated codec)
 * ASK        correlation id (long), timeout ms (varlong), target path, protocol name, fingerprint, payload
 * REPLY      correlation id, payload (generated reply codec)
 * FAILURE    correlation id, failure code byte, text
 * WATCH      target path
 * UNWATCH    target path
 * TERMINATED target path, reason byte
 * </pre>
 * The protocol name only selects a local protocol definition; no other class names travel.
 */
final class FrameKind {
    static final byte MAGIC_0 = 0x53;
    static final byte MAGIC_1 = 0x4F;
    static final byte VERSION = 1;

    static final byte HELLO = 1;
    static final byte HEARTBEAT = 2;
    static final byte BATCH = 3;

    static final byte TELL = 1;
    static final byte ASK = 2;
    static final byte REPLY = 3;
    static final byte FAILURE = 4;
    static final byte WATCH = 5;
    static final byte UNWATCH = 6;
    static final byte TERMINATED = 7;

    static final byte FAILED_IN_ACTOR = 1;
    static final byte NOT_FOUND = 2;
    static final byte STOPPED = 3;
    static final byte TIMED_OUT = 4;
    static final byte PROTOCOL_MISMATCH = 5;
    static final byte UNDECODABLE = 6;

    private FrameKind() {}
}
