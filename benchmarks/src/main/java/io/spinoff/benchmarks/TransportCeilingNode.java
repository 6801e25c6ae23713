package io.spinoff.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The second JVM of {@link TransportCeiling}: a JeroMQ ROUTER on a free port of 127.0.0.1, with
 * no actors. It reads the frames the benchmark sends, counts the length-prefixed messages in them
 * (each must have the payload size given on the command line), and every
 * {@value RemoteBenchmarks#ACK_EVERY} messages sends an acknowledgement back on the same
 * connection. It prints {@code READY <endpoint>} once bound and runs until its standard input
 * closes.
 *
 * <p>Usage: {@code TransportCeilingNode [PAYLOAD_BYTES]} (default
 * {@value RemoteBenchmarks#PAYLOAD_BYTES}).
 *
 * <p>An acknowledgement is {@link #ACK} followed by the count of messages received so far, 8 bytes
 * big-endian; a message of the wrong size, or a frame that ends inside a message, is answered by
 * {@link #FAILURE} followed by a UTF-8 description, after which nothing more is counted.
 */
public final class TransportCeilingNode {

    /** The first byte of an acknowledgement. */
    static final byte ACK = 'A';
    /** The first byte of a failure report. */
    static final byte FAILURE = 'F';
    /** Unread frames the ROUTER holds per connection, as Spinoff's ROUTER ({@code IoLoop}). */
    static final int RECEIVE_QUEUE_FRAMES = 128;

    private static final long WAIT_SECONDS = 60;
    private static final int POLL_MILLIS = 100;

    private TransportCeilingNode() {}

    /**
     * @param args optionally the payload size
     * @throws Exception if the node cannot start
     */
    public static void main(String[] args) throws Exception {
        if (args.length > 1) {
            System.err.println("usage: TransportCeilingNode [PAYLOAD_BYTES]");
            System.exit(2);
        }
        int payloadBytes = args.length == 1 ? Integer.parseInt(args[0]) : RemoteBenchmarks.PAYLOAD_BYTES;
        try (Receiver receiver = new Receiver(payloadBytes)) {
            Thread.ofPlatform().daemon(true).name("stdin-watch").start(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // runs until the benchmark closes our input
                    }
                } catch (IOException e) {
                    // the benchmark is gone
                }
                receiver.stop();
            });
            System.out.println("READY " + receiver.endpoint());
            System.out.flush();
            receiver.run();
        }
    }

    // ------------------------------------------------------------------ the receiving loop

    /**
     * The ROUTER and the loop that reads it: {@link #run} on one thread, {@link #stop} from any.
     */
    static final class Receiver implements AutoCloseable, Runnable {
        private final int payloadBytes;
        private final ZContext context = new ZContext(1);
        private final ZMQ.Socket router;
        private final String endpoint;
        private volatile boolean running = true;
        private long received;
        /** The last message delivered, kept so that its copy is not optimised away. */
        private byte[] lastPayload;

        /** Binds a ROUTER to a free port of 127.0.0.1; every message must have {@code payloadBytes}. */
        Receiver(int payloadBytes) {
            this.payloadBytes = payloadBytes;
            router = context.createSocket(SocketType.ROUTER);
            router.setRouterMandatory(true);
            router.setRcvHWM(RECEIVE_QUEUE_FRAMES);
            router.setReceiveTimeOut(POLL_MILLIS);
            router.setLinger(0);
            router.bind("tcp://127.0.0.1:*");
            endpoint = router.getLastEndpoint();
        }

        /** @return the endpoint to connect to, {@code tcp://127.0.0.1:PORT} */
        String endpoint() {
            return endpoint;
        }

        /** Reads frames until {@link #stop}, or until a frame is malformed (reported to its sender). */
        @Override
        public void run() {
            while (running) {
                byte[] connection = router.recv(0);
                if (connection == null) {
                    continue;
                }
                byte[] frame = router.recv(0);
                String problem = frame == null || router.hasReceiveMore()
                        ? "a frame of more than one part came" : deliver(connection, frame);
                if (problem != null) {
                    byte[] text = problem.getBytes(StandardCharsets.UTF_8);
                    byte[] failure = new byte[text.length + 1];
                    failure[0] = FAILURE;
                    System.arraycopy(text, 0, failure, 1, text.length);
                    router.send(connection, ZMQ.SNDMORE);
                    router.send(failure, 0);
                    System.err.println("TransportCeilingNode: " + problem);
                    return;
                }
            }
        }

        /**
         * Counts the messages of one frame, copying each out, and acknowledges every
         * {@value RemoteBenchmarks#ACK_EVERY}.
         *
         * @return null, or what is wrong with the frame
         */
        private String deliver(byte[] connection, byte[] frame) {
            int position = 0;
            while (position < frame.length) {
                int length = 0;
                int shift = 0;
                byte b;
                do {
                    if (position == frame.length || shift > 28) {
                        return "a frame of " + frame.length + " bytes ends inside a message's length";
                    }
                    b = frame[position++];
                    length |= (b & 0x7F) << shift;
                    shift += 7;
                } while (b < 0);
                if (length != payloadBytes || frame.length - position < length) {
                    return "expected a payload of " + payloadBytes + " bytes, got one of " + length + " bytes with "
                            + (frame.length - position) + " left in its frame";
                }
                lastPayload = Arrays.copyOfRange(frame, position, position + length);
                position += length;
                if (++received % RemoteBenchmarks.ACK_EVERY == 0) {
                    // A fresh array: JeroMQ sends the array it is given, after this call returns.
                    byte[] ack = new byte[9];
                    ack[0] = ACK;
                    for (int i = 0; i < 8; i++) {
                        ack[1 + i] = (byte) (received >>> (56 - 8 * i));
                    }
                    router.send(connection, ZMQ.SNDMORE);
                    router.send(ack, 0);
                }
            }
            return null;
        }

        /** Makes {@link #run} return within its poll interval. Any thread. */
        void stop() {
            running = false;
        }

        /** Closes the socket; call after {@link #run} has returned. */
        @Override
        public void close() {
            context.close();
        }
    }

    // ------------------------------------------------------------------ the child process

    /** The node started as a child JVM, and its endpoint. */
    record Child(Process process, String endpoint) {

        /**
         * Starts {@link TransportCeilingNode} with the same java binary and class path as this JVM
         * and waits for its {@code READY} line; its later output is copied to this JVM's.
         */
        static Child start(int payloadBytes) throws Exception {
            String java = ProcessHandle.current().info().command()
                    .orElseThrow(() -> new IllegalStateException("Cannot tell which java binary runs this JVM."));
            Process process = new ProcessBuilder(java, "-Xms1g", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    TransportCeilingNode.class.getName(), Integer.toString(payloadBytes))
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            CompletableFuture<String> ready = new CompletableFuture<>();
            Thread.ofPlatform().daemon(true).name("transport-node-output-" + process.pid()).start(() -> {
                try {
                    for (String line; (line = out.readLine()) != null; ) {
                        if (!ready.isDone() && line.startsWith("READY ")) {
                            ready.complete(line.substring("READY ".length()));
                        } else {
                            System.out.println("[transport node] " + line);
                        }
                    }
                } catch (IOException e) {
                    // the child is gone
                }
                ready.complete(null);
            });
            String endpoint;
            try {
                endpoint = ready.get(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (Exception e) {
                process.destroyForcibly();
                throw new IllegalStateException("The transport node did not start within " + WAIT_SECONDS + " s.", e);
            }
            if (endpoint == null) {
                throw new IllegalStateException("The transport node exited with status " + process.waitFor()
                        + " before it was ready; its error output is above.");
            }
            return new Child(process, endpoint);
        }

        /** Closes the child's input, which ends it, and kills it if it is still there soon after. */
        void stop() throws InterruptedException {
            try {
                process.getOutputStream().close();
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }
}
