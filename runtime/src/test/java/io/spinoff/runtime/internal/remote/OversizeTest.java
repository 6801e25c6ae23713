package io.spinoff.runtime.internal.remote;

import static io.spinoff.runtime.internal.remote.TransportTestSupport.await;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.builder;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.eventually;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.failure;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.node;
import static io.spinoff.runtime.internal.remote.TransportTestSupport.transport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.Actor;
import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.PeerInfo;
import io.spinoff.runtime.remote.RemoteActorException;
import io.spinoff.runtime.remote.RemoteEcho;
import io.spinoff.runtime.remote.RemoteEchoActor;
import io.spinoff.runtime.remote.RemoteSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Frames over the maximum size: refused with a clear error by the sender, logged and counted by the receiver. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OversizeTest {

    private final Logger logger = Logger.getLogger("io.spinoff.runtime.remote");
    private final List<String> warnings = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
                synchronized (warnings) {
                    warnings.add(record.getMessage());
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };

    @BeforeEach
    void capture() {
        logger.addHandler(handler);
    }

    @AfterEach
    void release() {
        logger.removeHandler(handler);
    }

    private List<String> warnings(String containing) {
        synchronized (warnings) {
            return warnings.stream().filter(line -> line.contains(containing)).toList();
        }
    }

    @Test
    void anEnvelopeOverTheReceiversLimitIsRefusedCountedAndLoggedAndTheConnectionStays() throws Exception {
        // alpha may send up to 4 MiB, beta takes up to 1 MiB: alpha's large frames reach beta.
        try (ActorSystem alpha = builder("alpha").maxFrameSize(4 << 20).build(); ActorSystem beta = node("beta")) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            TextSink sink = new TextSink();
            RemoteSink sinkProxy = alpha.spawn(RemoteSink.class, () -> sink, "sink");
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, beta.address() + "/user/echo");
            assertEquals("warm@beta", await(echo.echo("warm")));
            long droppedBefore = beta.metrics().droppedFrames();
            String large = "x".repeat(3 << 19); // 1.5 MiB

            long start = System.nanoTime();
            Throwable refused = failure(echo.echo(large), 5_000);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertInstanceOf(RemoteActorException.class, refused);
            assertTrue(refused.getMessage().contains("exceeds the maximum frame size of node " + beta.address()),
                    refused.getMessage());
            assertTrue(refused.getMessage().contains((1 << 20) + " bytes"), refused.getMessage());
            assertTrue(millis < 3_000, "the oversize ask failed after " + millis + " ms");
            // The same connection carries the next ask.
            assertEquals("after@beta", await(echo.echo("after")));

            echo.answer(large, sinkProxy);
            assertEquals("again@beta", await(echo.echo("again")));
            echo.answer("small", sinkProxy);
            assertEquals("small from beta", sink.texts.poll(10, TimeUnit.SECONDS), "the oversize tell was not delivered");

            assertEquals(2, beta.metrics().droppedFrames() - droppedBefore, "each refused envelope is counted");
            PeerInfo fromAlpha = transport(beta).peerStates().stream()
                    .filter(peer -> peer.getNode().equals(alpha.address())).findFirst().orElseThrow();
            assertEquals(2, fromAlpha.getOversizeEnvelopes());
            // The second refusal may be held back by the rate limit; the tally names it within a second.
            assertTrue(eventually(3_000, () -> warnings(alpha.address()).size() >= 2),
                    "the warnings name the peer: " + warnings(""));
            assertTrue(warnings("Dropped an envelope of").get(0).contains("from " + alpha.address()), warnings("").toString());
        }
    }

    @Test
    void theSenderRefusesAFrameOverItsLimitWithTheSizes() throws Exception {
        try (ActorSystem alpha = node("alpha"); ActorSystem beta = node("beta")) {
            beta.spawn(RemoteEcho.class, () -> new RemoteEchoActor("beta"), "echo");
            RemoteEcho echo = alpha.lookup(RemoteEcho.class, beta.address() + "/user/echo");
            String large = "x".repeat(2 << 20);

            Throwable refused = failure(echo.echo(large), 1_000);
            assertInstanceOf(IllegalArgumentException.class, refused);
            assertTrue(refused.getMessage().contains("exceeds the maximum frame size of " + (1 << 20) + " bytes"),
                    refused.getMessage());
            assertTrue(refused.getMessage().matches("(?s).*frame of \\d{7} bytes.*"), refused.getMessage());

            long dropped = alpha.metrics().droppedFrames();
            echo.answer(large, null);
            assertEquals(dropped + 1, alpha.metrics().droppedFrames(), "the oversize tell is counted at once");
            assertTrue(eventually(3_000, () -> !warnings("exceeds the maximum frame size of " + (1 << 20)).isEmpty()));
            assertEquals("after@beta", await(echo.echo("after")));
        }
    }

    @Test
    void whatTheRateLimitHeldBackIsLoggedWithinASecondWithoutAnotherDrop() throws Exception {
        try (ActorSystem alpha = node("alpha")) {
            DropLog drops = transport(alpha).drops;
            drops.drop("peer-one", "Dropped test frame 1 from peer-one");
            drops.drop("peer-two", "Dropped test frame 2 from peer-two");
            drops.drop("peer-three", 3, "Dropped test frames 3 to 5 from peer-three");
            assertEquals(1, warnings("Dropped test frame").size(), "the rate limit holds back all but the first");
            long start = System.nanoTime();
            assertTrue(eventually(2_500, () -> !warnings("4 more dropped frames").isEmpty()),
                    "the tally was not logged: " + warnings(""));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis < 1_500, "the tally came after " + millis + " ms");
            assertTrue(warnings("4 more dropped frames").get(0).contains("peer-three"), warnings("").toString());
        }
    }

    /** Collects the texts it is told. */
    private static final class TextSink extends Actor implements RemoteSink {
        final LinkedBlockingQueue<String> texts = new LinkedBlockingQueue<>();

        @Override
        public void pong(int seq) {}

        @Override
        public void text(String text) {
            texts.add(text);
        }
    }
}
