package io.spinoff.runtime.internal.remote;

import io.spinoff.runtime.Terminated;

/**
 * The reason byte of a TERMINATED record (see {@link WireFormat}). Not API. Immutable: any thread.
 */
enum TerminationReason {
    /** The actor stopped, or there was no actor at the path. */
    STOPPED(1, Terminated.Reason.STOPPED),
    /** The actor failed. */
    FAILED(2, Terminated.Reason.FAILED);

    private final byte code;
    private final Terminated.Reason reason;

    TerminationReason(int code, Terminated.Reason reason) {
        this.code = (byte) code;
        this.reason = reason;
    }

    /** @return the byte on the wire */
    byte code() {
        return code;
    }

    /** @return what a local watcher is told */
    Terminated.Reason reason() {
        return reason;
    }

    /** @return the reason to send for a local notice (null: no actor was there, so stopped) */
    static TerminationReason of(Terminated terminated) {
        return terminated != null && terminated.reason() == Terminated.Reason.FAILED ? FAILED : STOPPED;
    }

    /** @return the reason of a byte read; any byte but FAILED's reads as STOPPED */
    static TerminationReason of(byte code) {
        return code == FAILED.code ? FAILED : STOPPED;
    }
}
