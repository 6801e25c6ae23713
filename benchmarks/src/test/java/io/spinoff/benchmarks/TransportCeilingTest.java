package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.internal.remote.RemoteConfig;
import java.lang.reflect.Field;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Runs {@link TransportCeiling} with few messages: against its child JVM, and against a receiver
 * in this JVM that expects another payload size; and checks that its batching constants are still
 * Spinoff's.
 */
class TransportCeilingTest {

    private static final int MESSAGES = 10_000;

    @Test
    void everyMessageArrivesAtTheChild() throws Exception {
        TransportCeiling.Link link = new TransportCeiling.Link();
        link.payloadBytes = 100;
        link.window = 2_000;
        link.setUp();
        try {
            assertEquals(MESSAGES, link.sender.transfer(MESSAGES, true));
            assertEquals(MESSAGES, link.sender.transfer(MESSAGES, false));
            assertEquals(RemoteBenchmarks.REMOTE_TELLS, new TransportCeiling().batchedFrames(link));
        } finally {
            link.tearDown();
        }
        assertTrue(link.child.process().waitFor(15, TimeUnit.SECONDS));
    }

    @Test
    void aWrongPayloadSizeIsRejected() throws Exception {
        try (TransportCeilingNode.Receiver receiver = new TransportCeilingNode.Receiver(100)) {
            Thread reading = Thread.ofPlatform().start(receiver);
            try (TransportCeiling.Sender sender = new TransportCeiling.Sender(receiver.endpoint(), 99, 2_000)) {
                IllegalStateException wrong = assertThrows(IllegalStateException.class,
                        () -> sender.transfer(MESSAGES, true));
                assertTrue(wrong.getMessage().startsWith("The receiving node refused a frame: expected a payload of 100"
                        + " bytes, got one of 99 bytes"), wrong.getMessage());
            } finally {
                receiver.stop();
                reading.join();
            }
        }
    }

    @Test
    void framesAreBatchedAsSpinoffBatchesThem() throws Exception {
        Class<?> outbox = Class.forName("io.spinoff.runtime.internal.remote.Outbox");
        assertEquals(constant(outbox, "BATCH_BYTES"), TransportCeiling.BATCH_BYTES);
        // The batch size, not the frame size limit less the envelope room, closes a frame.
        assertTrue(RemoteConfig.DEFAULT_MAX_FRAME_SIZE - constant(outbox, "ENVELOPE_ROOM") > TransportCeiling.BATCH_BYTES);
    }

    private static int constant(Class<?> type, String name) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.getInt(null);
    }
}
