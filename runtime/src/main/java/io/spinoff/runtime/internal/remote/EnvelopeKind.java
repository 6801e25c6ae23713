package io.spinoff.runtime.internal.remote;

/**
 * The kind byte of an envelope, the fourth byte of every ZeroMQ message between nodes (see
 * {@link WireFormat}). Not API. Immutable: any thread.
 */
enum EnvelopeKind {
    /** A greeting: the node name the sender believes it talks to and its protocol fingerprints. */
    HELLO(1),
    /** Nothing but the header: the sender is alive. */
    HEARTBEAT(2),
    /** Records ({@link RecordKind}), each length-prefixed, to the end of the message. */
    BATCH(3);

    private static final EnvelopeKind[] BY_CODE = byCode();

    private final byte code;

    EnvelopeKind(int code) {
        this.code = (byte) code;
    }

    /** @return the byte on the wire */
    byte code() {
        return code;
    }

    /** @return the kind of that byte, or null when there is none */
    static EnvelopeKind of(byte code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    private static EnvelopeKind[] byCode() {
        EnvelopeKind[] table = new EnvelopeKind[4];
        for (EnvelopeKind kind : values()) {
            table[kind.code] = kind;
        }
        return table;
    }
}
