package io.spinoff.benchmarks;

import static io.spinoff.benchmarks.RemoteBenchmarks.ACK_EVERY;
import static io.spinoff.benchmarks.RemoteBenchmarks.REMOTE_TELLS;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The ceiling of remote tell throughput set by the transport alone: JeroMQ between two JVMs on
 * loopback, with no actors and no codec, in the shape of {@link RemoteBenchmarks#remoteTellSpinoff}
 * so that the two scores can be set side by side ({@code remoteTellSpinoff / batchedFrames} is at
 * most about 1, and how far below it says what the rest of Spinoff's path costs).
 *
 * <p><b>Parameters</b>, as in {@link RemoteBenchmarks}: {@code payloadBytes} per message (100) and
 * {@code window} messages in flight (20,000); {@value RemoteBenchmarks#REMOTE_TELLS} messages per
 * invocation, acknowledged every {@value RemoteBenchmarks#ACK_EVERY}.
 *
 * <p><b>Shape.</b> The benchmark's {@code @Setup} starts {@link TransportCeilingNode} as a child
 * JVM (same java binary and class path), which binds a ROUTER on a free port of 127.0.0.1; this JVM
 * connects a DEALER to it. One thread writes the messages, each a varint length followed by a copy
 * of the payload (the least a record can be), into frames and sends them; the child reads the
 * frames, checks the size of every message, copies it out, and every {@value
 * RemoteBenchmarks#ACK_EVERY} messages sends back an acknowledgement with its count. The credit
 * window is that of the remote tell benchmark: the sender takes credit for {@value
 * RemoteBenchmarks#ACK_EVERY} messages at a time and may have at most {@code window} messages not
 * acknowledged; an invocation ends when every message is acknowledged, so the score counts
 * delivered messages.
 *
 * <p><b>Batching</b> as Spinoff's outbox does it ({@code Outbox.route}): a frame is closed when the
 * next message, with {@value #ROOM_PER_MESSAGE} bytes of room, would take it past
 * {@value #BATCH_BYTES} bytes ({@code Outbox.BATCH_BYTES}; the frame size limit less the envelope
 * room, 1 MiB less 512 bytes by default, is larger, and there is no limit on the count of messages
 * in a frame), or when there is nothing more to send at once. Spinoff's I/O thread sends what it
 * has when its queue is empty; here the one thread sends what it has when it must wait for credit.
 * So {@link #batchedFrames} sends full frames of 648 messages of 100 bytes, and
 * {@link #oneMessagePerFrame} one ZeroMQ message per message, to show what batching buys. Spinoff's
 * envelope header (node name, incarnation) and per-record target index and kind are left out.
 *
 * <p><b>Sockets.</b> DEALER to ROUTER, with Spinoff's high-water marks ({@value #SEND_QUEUE_FRAMES}
 * frames on the DEALER, {@value TransportCeilingNode#RECEIVE_QUEUE_FRAMES} on the ROUTER), so the
 * frames take the same path as Spinoff's: the same ZMTP framing, with the ROUTER adding the
 * connection's identity to each frame it receives. PUSH/PULL was considered: it is one-way, so the
 * acknowledgements would need a second pair of sockets bound in the benchmark's JVM, and its frames
 * carry no identity part, so it would measure a path a little cheaper than Spinoff's. The
 * acknowledgements come back on the same connection (Spinoff sends them on the receiving node's
 * own DEALER to the sending node's ROUTER); there are 500 of them per invocation, against some 160
 * frames of data.
 */
@Fork(value = 3, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TransportCeiling {

    /** A frame is closed before it passes this many bytes, as Spinoff's {@code Outbox.BATCH_BYTES}. */
    static final int BATCH_BYTES = 64 * 1024;
    /** The room Spinoff's outbox counts for each record beyond its bytes when it fills a frame. */
    static final int ROOM_PER_MESSAGE = 16;
    /**
     * Unsent frames the DEALER holds, as Spinoff's ({@code Outbox.socketQueueBatches} of the
     * default outbound queue size, 200,000 frames).
     */
    static final int SEND_QUEUE_FRAMES = 1024;

    private static final long WAIT_SECONDS = 60;
    private static final int POLL_MILLIS = 100;
    private static final int HANDSHAKE_MILLIS = 500;

    /** The child JVM and the connection to it. */
    @State(Scope.Benchmark)
    public static class Link {
        @Param({"100"})
        int payloadBytes;

        @Param({"20000"})
        int window;

        TransportCeilingNode.Child child;
        Sender sender;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            child = TransportCeilingNode.Child.start(payloadBytes);
            sender = new Sender(child.endpoint(), payloadBytes, window);
        }

        @TearDown(Level.Trial)
        public void tearDown() throws InterruptedException {
            try {
                if (sender != null) {
                    sender.close();
                }
            } finally {
                child.stop();
            }
        }
    }

    /**
     * The sending end: a DEALER connected to the receiving node, the frame being filled and the
     * credit window. One thread at a time.
     */
    static final class Sender implements AutoCloseable {
        private final ZContext context = new ZContext(1);
        private final ZMQ.Socket dealer;
        private final byte[] payload;
        private final int window;
        private final byte[] frame = new byte[BATCH_BYTES];
        private int position;
        /** Messages written into frames, and messages the receiver acknowledged, since the start. */
        private long sent;
        private long acknowledged;

        /**
         * Connects to the receiving node's endpoint.
         *
         * @param payloadBytes the size of each message's payload
         * @param window the most messages not yet acknowledged, a positive multiple of {@value
         *     RemoteBenchmarks#ACK_EVERY}
         */
        Sender(String endpoint, int payloadBytes, int window) {
            if (payloadBytes <= 0 || payloadBytes + 5 + ROOM_PER_MESSAGE > BATCH_BYTES || window <= 0
                    || window % ACK_EVERY != 0) {
                throw new IllegalArgumentException("Transport ceiling parameters out of range: payload " + payloadBytes
                        + " bytes, window " + window + "; a payload must fit in a frame of " + BATCH_BYTES
                        + " bytes, and the window must be a positive multiple of " + ACK_EVERY + ".");
            }
            payload = new byte[payloadBytes];
            Arrays.fill(payload, (byte) 'x');
            this.window = window;
            dealer = context.createSocket(SocketType.DEALER);
            dealer.setSndHWM(SEND_QUEUE_FRAMES);
            // As Spinoff's DEALER (Peers.connect): a fresh JeroMQ 0.6.0 connection now and then
            // never completes its handshake and idles until this interval (30 s by default)
            // tears it down and reconnects.
            dealer.setHandshakeIvl(HANDSHAKE_MILLIS);
            dealer.setReceiveTimeOut(POLL_MILLIS);
            dealer.setLinger(0);
            dealer.connect(endpoint);
        }

        /**
         * Sends {@code messages} messages, a multiple of {@value RemoteBenchmarks#ACK_EVERY}, and
         * waits until all are acknowledged.
         *
         * @param batched whether a frame holds as many messages as fit, or one
         * @return the messages acknowledged by this call
         */
        long transfer(int messages, boolean batched) {
            if (messages % ACK_EVERY != 0) {
                throw new IllegalArgumentException("A transfer is a multiple of " + ACK_EVERY + " messages, not " + messages);
            }
            long before = acknowledged;
            int needed = payload.length + ROOM_PER_MESSAGE;
            for (int i = 0; i < messages; i++) {
                if (i % ACK_EVERY == 0 && sent + ACK_EVERY - acknowledged > window) {
                    flush();
                    awaitAcknowledged(sent + ACK_EVERY - window);
                }
                if (position > 0 && position + needed > BATCH_BYTES) {
                    flush();
                }
                write();
                if (!batched) {
                    flush();
                }
            }
            flush();
            awaitAcknowledged(sent);
            return acknowledged - before;
        }

        /** Appends one message to the frame: its length as a varint, then a copy of the payload. */
        private void write() {
            int length = payload.length;
            while ((length & ~0x7F) != 0) {
                frame[position++] = (byte) ((length & 0x7F) | 0x80);
                length >>>= 7;
            }
            frame[position++] = (byte) length;
            System.arraycopy(payload, 0, frame, position, payload.length);
            position += payload.length;
            sent++;
        }

        /** Sends the frame, if it holds anything; waits while the socket's queue is full. */
        private void flush() {
            if (position > 0) {
                if (!dealer.send(frame, 0, position, 0)) {
                    throw new IllegalStateException("Expected the DEALER to take a frame of " + position
                            + " bytes, but it refused it (error " + dealer.errno() + ").");
                }
                position = 0;
            }
        }

        /** Reads acknowledgements until {@code count} messages in all are acknowledged. */
        private void awaitAcknowledged(long count) {
            long waitedMillis = 0;
            while (acknowledged < count) {
                byte[] answer = dealer.recv(0);
                if (answer == null) {
                    waitedMillis += POLL_MILLIS;
                    if (waitedMillis >= TimeUnit.SECONDS.toMillis(WAIT_SECONDS)) {
                        throw new IllegalStateException("Expected acknowledgement of " + count + " messages within "
                                + WAIT_SECONDS + " s, but only " + acknowledged + " were acknowledged.");
                    }
                    continue;
                }
                waitedMillis = 0;
                if (answer.length > 0 && answer[0] == TransportCeilingNode.FAILURE) {
                    throw new IllegalStateException("The receiving node refused a frame: "
                            + new String(answer, 1, answer.length - 1, StandardCharsets.UTF_8));
                }
                if (answer.length != 9 || answer[0] != TransportCeilingNode.ACK) {
                    throw new IllegalStateException("Expected an acknowledgement of 9 bytes, got " + answer.length
                            + " bytes starting with " + (answer.length == 0 ? "nothing" : answer[0]) + ".");
                }
                long received = 0;
                for (int i = 1; i < 9; i++) {
                    received = received << 8 | (answer[i] & 0xFF);
                }
                if (received != acknowledged + ACK_EVERY) {
                    throw new IllegalStateException("Expected an acknowledgement of " + (acknowledged + ACK_EVERY)
                            + " messages, got one of " + received + ".");
                }
                acknowledged = received;
            }
        }

        @Override
        public void close() {
            context.close();
        }
    }

    /** @return messages delivered per second, in frames of as many messages as fit */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(REMOTE_TELLS)
    public long batchedFrames(Link link) {
        return link.sender.transfer(REMOTE_TELLS, true);
    }

    /** @return messages delivered per second, one message per frame */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(REMOTE_TELLS)
    public long oneMessagePerFrame(Link link) {
        return link.sender.transfer(REMOTE_TELLS, false);
    }
}
