package io.spinoff.runtime.internal.remote;

/**
 * The kind byte that starts each record of a BATCH envelope (see {@link WireFormat} for each
 * layout). Not API. Immutable: any thread.
 */
enum RecordKind {
    TELL(1),
    ASK(2),
    REPLY(3),
    FAILURE(4),
    WATCH(5),
    UNWATCH(6),
    TERMINATED(7),
    TARGET(8);

    private static final RecordKind[] BY_CODE = byCode();

    private final byte code;

    RecordKind(int code) {
        this.code = (byte) code;
    }

    /** @return the byte on the wire */
    byte code() {
        return code;
    }

    /** @return the kind of that byte, or null when there is none */
    static RecordKind of(byte code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    private static RecordKind[] byCode() {
        RecordKind[] table = new RecordKind[9];
        for (RecordKind kind : values()) {
            table[kind.code] = kind;
        }
        return table;
    }
}
