package io.spinoff.api.support;

import io.spinoff.api.ActorRef;
import io.spinoff.api.Ask;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/** Shared fixtures of the wire format tests. */
final class WireTestSupport {

    private WireTestSupport() {}

    /** A small enum for ordinal tests. */
    enum Color {
        RED,
        GREEN,
        BLUE
    }

    /** The seed of a randomised test: {@code -Dwire.seed=N} repeats a run, otherwise it varies. */
    static long seed() {
        return Long.getLong("wire.seed", System.nanoTime());
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    static String hex(byte[] bytes, int length) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes, 0, length);
    }

    static byte[] bytes(int... values) {
        byte[] result = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            result[i] = (byte) values[i];
        }
        return result;
    }

    /** An {@link ActorRef} that only has an address. */
    record FakeRef(String address) implements ActorRef<Object> {
        @Override
        public void tell(Object message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <R> CompletableFuture<R> ask(Ask<R> message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <R> CompletableFuture<R> ask(Ask<R> message, Duration timeout) {
            throw new UnsupportedOperationException();
        }
    }
}
