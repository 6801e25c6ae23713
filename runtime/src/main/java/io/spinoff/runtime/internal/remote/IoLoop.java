package io.spinoff.runtime.internal.remote;

import io.spinoff.runtime.remote.CurveSettings;
import io.spinoff.runtime.remote.NodeUnreachableException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.security.SecureRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The node's I/O thread: it binds the ROUTER, then turns, each turn reading the ROUTER (and the
 * CURVE authenticator), retrying batches that wait for full sockets, draining the outbound queue,
 * and ticking heartbeats, the failure detector and ask deadlines. Not API.
 *
 * <h2>Sockets and threads</h2>
 * One ROUTER socket, bound at the node's address, receives everything; one DEALER socket per peer,
 * connected to the peer's ROUTER, sends everything to it. So each direction of each pair of nodes
 * is one TCP connection, which keeps frames in order per pair. A client node has no ROUTER: it
 * reads its DEALERs, and the nodes it calls answer it through their ROUTER, on the connection it
 * opened (one TCP connection per pair, both directions). All sockets (and the ZAP handler of
 * CURVE) belong to this one thread, because ZeroMQ sockets are not thread-safe.
 *
 * <h2>Waking the I/O thread</h2>
 * The I/O thread sleeps in a ZeroMQ poll that also watches a {@link Pipe}. A sender offers its
 * record to the queue and then ({@link #wake}), only if {@link #wakeupPending} is false and it wins
 * the CAS to true, writes one byte into the pipe. After each poll the I/O thread empties the pipe,
 * sets the flag back to false, and only then drains the queue. All these operations are
 * sequentially consistent, so for a sender whose CAS fails (it read true) the total order is: its
 * offer, its read of true, the I/O thread's write of false, the I/O thread's drain; that drain sees
 * the record. A sender whose CAS succeeds writes a byte, so the next poll returns at once. No
 * record is left behind and a busy sender does not pay a system call per record.
 *
 * <p><b>Threading:</b> {@link #wake}, {@link #startThread} and {@link #close}: any thread (close:
 * any but the I/O thread itself, where it only asks the loop to stop). Everything else runs on the
 * I/O thread. {@code bound} publishes the node's name from the I/O thread to the thread that
 * started it; {@code opened} holds the loop back until the system can take messages.
 */
final class IoLoop {
    private static final int INBOUND_QUEUE_MESSAGES = 128;
    private static final long POLL_MILLIS = 20;
    /** How long the I/O thread waits while a peer's socket is full, before it tries again. */
    private static final long BLOCKED_POLL_MILLIS = 1;

    private final RemoteTransport transport;
    private final RemoteConfig config;
    private final String systemName;
    private final Thread thread;
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    /** Work other threads hand to the I/O thread ({@link #execute}), run at its next turn. */
    private final java.util.concurrent.ConcurrentLinkedQueue<Runnable> commands = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final Pipe wakeup;
    final CompletableFuture<Void> bound = new CompletableFuture<>();
    final CompletableFuture<Void> opened = new CompletableFuture<>();

    // I/O thread only.
    private ZContext context;
    private ZMQ.Socket router;
    private CurveAuthenticator authenticator;

    IoLoop(RemoteTransport transport, String systemName) throws IOException {
        this.transport = transport;
        this.config = transport.config;
        this.systemName = systemName;
        this.wakeup = Pipe.open();
        wakeup.source().configureBlocking(false);
        this.thread = Thread.ofPlatform().name("spinoff-" + systemName + "-remote-io").daemon(true)
                .unstarted(this::run);
    }

    /** Starts the thread and waits until it has bound the node's socket. */
    void startThread() {
        thread.start();
        try {
            // The I/O thread sets the node's name before it completes this future, and join()
            // makes that write visible here; every later reader gets the transport through this thread.
            bound.join();
        } catch (java.util.concurrent.CompletionException e) {
            closePipe();
            throw e.getCause() instanceof RuntimeException runtimeException ? runtimeException : e;
        }
    }

    /** Makes the sockets and binds. Completes {@link #bound} either way. */
    private boolean bind() {
        context = new ZContext(1);
        context.setLinger((int) config.linger().toMillis());
        if (config.client()) {
            // A client node binds nothing: what it receives comes on the DEALERs it connects.
            // Its name is drawn apart from the incarnation, which never travels in the clear under CURVE,
            // so knowing a client's name is not enough to pass for it (see InboundDecoder).
            transport.named(NodeAddress.clientName(systemName, new SecureRandom().nextLong()));
            bound.complete(null);
            return true;
        }
        try {
            router = context.createSocket(SocketType.ROUTER);
            // Client nodes are answered through the ROUTER, by the routing id of their
            // connection. Mandatory routing makes a send to a connection that is gone, or whose
            // queue is full, fail instead of vanishing, so the batch waits (see Peers#send).
            router.setRouterMandatory(true);
            router.setSndHWM(Outbox.socketQueueBatches(config));
            router.setLinger(config.linger().toMillis());
            // ZeroMQ drops the whole connection of a message over this limit, without telling
            // anyone; so the socket takes up to twice the frame limit (a peer configured with a
            // larger limit than this node), and the decoder refuses what exceeds the frame limit
            // with a log line, a count and a failure for each ask in it, keeping the connection.
            router.setMaxMsgSize(socketLimit(config));
            CurveSettings curve = config.curve();
            // Past this many unread messages per connection ZeroMQ stops reading that connection
            // (TCP pushes back on the sender); nothing is lost, and a flood cannot fill the heap.
            // Not under CURVE: there JeroMQ 0.6.0 loses messages at that limit (a message it could
            // not hand over is handed over later still encrypted; zeromq/jeromq#1009), so the
            // queue is unbounded, bounded in practice by the decryption, which runs on ZeroMQ's own
            // I/O thread, and behind it by the inbound limit of each actor (see InboundDecoder).
            router.setRcvHWM(curve == null ? INBOUND_QUEUE_MESSAGES : 0);
            if (curve != null) {
                authenticator = CurveAuthenticator.start(context, router, curve, systemName, transport.drops);
            }
            String endpoint = "tcp://" + config.host() + ":" + (config.port() == 0 ? "*" : String.valueOf(config.port()));
            boolean done;
            try {
                done = router.bind(endpoint);
            } catch (RuntimeException e) {
                throw BindFailure.of(systemName, config.host(), config.port(), e);
            }
            if (!done) {
                throw BindFailure.of(systemName, config.host(), config.port(), null);
            }
            String last = router.getLastEndpoint();
            transport.named(systemName + "@" + config.host() + ":" + last.substring(last.lastIndexOf(':') + 1));
            bound.complete(null);
            return true;
        } catch (RuntimeException e) {
            context.close();
            bound.completeExceptionally(e);
            return false;
        }
    }

    /**
     * @return the largest message the ROUTER takes from the wire: twice the frame limit, so that
     *     an envelope somewhat over it is refused in code (logged, counted, the connection kept);
     *     still bounded, so that ZeroMQ refuses a far larger one before allocating it
     */
    static long socketLimit(RemoteConfig config) {
        return 2L * config.maxFrameSize();
    }

    /** Wakes the I/O thread after a record was offered to the outbound queue. Any thread. */
    void wake() {
        if (!wakeupPending.get() && wakeupPending.compareAndSet(false, true)) {
            try {
                wakeup.sink().write(ByteBuffer.wrap(new byte[] {1}));
            } catch (IOException e) {
                // The pipe is closed: the node has closed, nothing waits for this record.
            }
        }
    }

    /**
     * Runs a task on the I/O thread at its next turn (the queue's offer happens-before the poll
     * that takes it). Any thread; a task offered after the node closed never runs.
     */
    void execute(Runnable command) {
        commands.offer(command);
        wake();
    }

    private void run() {
        if (!bind()) {
            return;
        }
        opened.join();
        ZMQ.Poller poller = context.createPoller(3);
        if (router != null) {
            poller.register(router, ZMQ.Poller.POLLIN);
        }
        int wakeIndex = poller.register(wakeup.source(), ZMQ.Poller.POLLIN);
        int zapIndex = authenticator == null ? -1 : poller.register(authenticator.socket(), ZMQ.Poller.POLLIN);
        ByteBuffer drain = ByteBuffer.allocate(256);
        Outbox outbox = transport.outbox;
        transport.peers.start(context, router, poller);
        outbox.start();
        String nodeName = transport.nodeName();
        boolean moreInbound = false;
        try {
            while (!transport.closing) {
                try {
                    // Never wait while work is known (records queued, inbound left unread); with a
                    // full socket, look again soon. Otherwise the poll returns as soon as a frame
                    // arrives or a sender writes to the wake-up pipe, so the timeout only paces
                    // heartbeats and ask deadlines. (Polling without waiting after each turn, to
                    // catch a reply sooner, was measured: on two shared cores the burnt cycles
                    // slowed the actors down more than the wake-ups it saved.)
                    long wait = outbox.hasQueued() || moreInbound ? 0
                            : outbox.hasBlocked() ? BLOCKED_POLL_MILLIS : POLL_MILLIS;
                    poller.poll(wait);
                    if (poller.pollin(wakeIndex)) {
                        while (wakeup.source().read(drain.clear()) > 0) {
                            // emptied
                        }
                    }
                    wakeupPending.set(false);
                    Runnable command;
                    while ((command = commands.poll()) != null) {
                        command.run();
                    }
                    // ZeroMQ signals readiness by edges: a poll may miss messages that came while
                    // the thread was busy, so both sockets are read (without blocking) every turn.
                    if (zapIndex >= 0) {
                        authenticator.handle(nodeName);
                    }
                    int received = router != null ? transport.inbound.receive(router)
                            : transport.peers.receiveFromNodes();
                    moreInbound = received == InboundDecoder.MAX_RECEIVE;
                    outbox.retryBlocked();
                    outbox.send(Outbox.MAX_DRAIN);
                    long now = System.nanoTime();
                    transport.peers.tick(now);
                    transport.asks.tick(now);
                    transport.drops.flush();
                    transport.peerEvents.flush();
                } catch (Throwable failure) {
                    if (failure instanceof VirtualMachineError error && !(failure instanceof StackOverflowError)) {
                        throw error;
                    }
                    RemoteTransport.LOG.log(System.Logger.Level.ERROR, "Remoting of " + nodeName
                            + " hit a failure; it carries on", failure);
                }
            }
        } finally {
            shutDown(poller);
        }
    }

    /** Empties the outbound queue on close, fails what waits, and closes every socket. */
    private void shutDown(ZMQ.Poller poller) {
        String nodeName = transport.nodeName();
        transport.outbox.shutDown(transport.peers.all());
        transport.asks.failAll(new NodeUnreachableException("Node " + nodeName + " closed before the reply came."));
        transport.outbox.finish();
        transport.watch.closeAll();
        poller.close();
        // Each socket lingers at most config.linger() for frames not yet written, so close()
        // returns within that time even when a peer is unreachable.
        context.close();
        closePipe();
    }

    private void closePipe() {
        try {
            wakeup.source().close();
            wakeup.sink().close();
        } catch (IOException e) {
            // nothing to do
        }
    }

    /**
     * Lets the loop stop (the caller has set the transport's closing flag) and waits for it, at
     * most the linger time plus a little. Any thread.
     */
    void close() {
        opened.complete(null);
        wake();
        if (Thread.currentThread() == thread) {
            return; // called back from a reply: the loop sees closing and shuts down after this turn
        }
        try {
            thread.join(config.linger().toMillis() + 2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            RemoteTransport.LOG.log(System.Logger.Level.WARNING, "The I/O thread of " + transport.nodeName()
                    + " did not stop in time");
        }
    }
}
