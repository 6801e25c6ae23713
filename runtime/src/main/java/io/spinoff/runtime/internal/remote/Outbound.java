package io.spinoff.runtime.internal.remote;

/**
 * What a thread hands to the I/O thread through the {@link Outbox}: a record for a peer, or a task
 * to run on the I/O thread. Not API.
 *
 * <p><b>Threading:</b> immutable records, made by any thread and read by the I/O thread; the
 * outbound queue's offer happens-before its poll, which publishes the arrays they hold (which no
 * one writes after the offer).
 */
sealed interface Outbound {

    /** A record for one peer. */
    sealed interface ToPeer extends Outbound {
        /** @return the peer's node name */
        String node();

        /** @return the bytes after the record's kind and target index, or the complete record */
        byte[] frame();

        /** @return the ask waiting for this record's reply, or null */
        default PendingAsk ask() {
            return null;
        }
    }

    /**
     * A record sent to a target named by a TARGET record: the I/O thread writes the kind and the
     * target's index in its batch, then {@code frame}.
     */
    sealed interface Targeted extends ToPeer {
        /** @return the target and protocol */
        Route route();

        /** @return TELL or ASK */
        RecordKind kind();
    }

    /** A TELL: {@code frame} is the encoded message. */
    record Tell(String node, Route route, byte[] frame) implements Targeted {
        @Override
        public RecordKind kind() {
            return RecordKind.TELL;
        }
    }

    /** An ASK: {@code frame} is correlation id, timeout and the encoded message. */
    record Ask(String node, Route route, byte[] frame, PendingAsk ask) implements Targeted {
        @Override
        public RecordKind kind() {
            return RecordKind.ASK;
        }
    }

    /** A complete record (REPLY, FAILURE, WATCH, UNWATCH, TERMINATED), kind byte first. */
    record Plain(String node, byte[] frame) implements ToPeer {}

    /** Work for the I/O thread (a question about its state, a finished name lookup). */
    record Task(Runnable run) implements Outbound {}
}
