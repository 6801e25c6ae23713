package io.spinoff.runtime.internal.remote;

/**
 * The code byte of a FAILURE record: why an ask got no reply (see {@link WireFormat}). Not API.
 * Immutable: any thread.
 */
enum FailureCode {
    /** The actor failed while handling the ask, or its reply could not be encoded or sent. */
    FAILED_IN_ACTOR(1),
    /** No actor lives at the target path. */
    NOT_FOUND(2),
    /** The actor stopped before it replied. */
    STOPPED(3),
    /** The actor did not reply within the ask's timeout. */
    TIMED_OUT(4),
    /** The two nodes' definitions of the protocol differ (their fingerprints do). */
    PROTOCOL_MISMATCH(5),
    /** The ask could not be decoded, or is not an ask. */
    UNDECODABLE(6),
    /** The actor does not implement the protocol named. */
    NOT_IMPLEMENTED(7);

    private static final FailureCode[] BY_CODE = byCode();

    private final byte code;

    FailureCode(int code) {
        this.code = (byte) code;
    }

    /** @return the byte on the wire */
    byte code() {
        return code;
    }

    /** @return the code of that byte, or null when it is unknown (a newer peer's) */
    static FailureCode of(byte code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    private static FailureCode[] byCode() {
        FailureCode[] table = new FailureCode[8];
        for (FailureCode failure : values()) {
            table[failure.code] = failure;
        }
        return table;
    }
}
