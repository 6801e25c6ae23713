package io.spinoff.runtime.internal.remote;

/**
 * The wire layout of remoting: the envelope header constants, with the kinds of envelope
 * ({@link EnvelopeKind}), of record within a batch ({@link RecordKind}), the failure codes of a
 * FAILURE record ({@link FailureCode}) and the reasons of a TERMINATED record
 * ({@link TerminationReason}). Not API. Constants only: any thread.
 *
 * <p>Every ZeroMQ message a node sends is an <em>envelope</em>, written with
 * {@link io.spinoff.api.support.WireWriter}:
 * <pre>
 * magic 0x53 0x4F ("SO"), version byte, envelope kind byte,
 * sender node name (string), sender incarnation (long),
 * for {@link EnvelopeKind#HELLO}: the node name the sender believes it talks to (string), then the number of
 *     protocols it knows (size) and for each its name (string) and fingerprint (long)
 * for {@link EnvelopeKind#BATCH}: frames, each a byte array (length-prefixed), to the end
 * </pre>
 * A frame starts with its kind byte:
 * <pre>
 * TARGET     target path, protocol name, protocol fingerprint (long)
 * TELL       target index (varint), payload (generated codec)
 * ASK        target index (varint), correlation id (long), timeout ms (varlong), payload
 * REPLY      correlation id, payload (generated reply codec)
 * FAILURE    correlation id, failure code byte ({@link FailureCode}), text
 * WATCH      target path
 * UNWATCH    target path
 * TERMINATED target path, reason byte ({@link TerminationReason})
 * </pre>
 * A TARGET frame names a target for the rest of its envelope: the first TARGET of a BATCH is
 * index 0, the next index 1, and so on (at most {@link #MAX_TARGETS} per envelope). TELL and ASK
 * frames refer to a target by that index, so a batch of many messages to one actor carries the
 * path and protocol name once, and the receiver resolves the actor and its protocol once per
 * batch. The table lives and dies with its envelope: nothing is negotiated per connection, so a
 * reconnect or a restarted peer cannot leave the two sides with different tables.
 *
 * <p>The protocol name only selects one of the protocols the target actor implements; no other
 * class names travel.
 */
final class WireFormat {
    static final byte MAGIC_0 = 0x53;
    static final byte MAGIC_1 = 0x4F;
    static final byte VERSION = 2;

    /** The most TARGET frames one envelope may hold. */
    static final int MAX_TARGETS = 1024;

    private WireFormat() {}
}
