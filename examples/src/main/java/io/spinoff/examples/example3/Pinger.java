package io.spinoff.examples.example3;

import io.spinoff.runtime.DeathPactException;
import io.spinoff.runtime.Process;
import io.spinoff.runtime.ReceiveTimeoutException;
import io.spinoff.runtime.Terminated;
import java.time.Duration;

/**
 * Pings the ponger on another node once a second, with its own reference as the reply-to, and
 * waits for the pong; every fifth round it also asks how many pings the ponger has seen. Run it on
 * node alpha, after beta:
 * {@code bin/startnode --name alpha --bind tcp://127.0.0.1:7100 --actor io.spinoff.examples.example3.Pinger}.
 * The ponger's address is {@code beta@127.0.0.1:7200/user/ponger} unless the system property
 * {@value #PEER_PROPERTY} names another node ({@code NAME@HOST:PORT}).
 *
 * <p>It watches the ponger and ends with it, as an Erlang process linked to it would:
 * <ul>
 *   <li>the ponger's node goes down (the watch reports {@code NODE_DOWN}) or the ponger fails for
 *       good ({@code FAILED}): the pinger fails with a {@link DeathPactException}, which its
 *       supervisor stops rather than restarts, so the node running it exits 1;</li>
 *   <li>the ponger stops normally after answering ({@code STOPPED}, as when its node is closed
 *       cleanly): the conversation is over, the pinger stops too, and its node exits 0;</li>
 *   <li>{@code STOPPED} before a single pong is a failure, like a node down: the ponger was never
 *       there (watching an actor that does not exist reports {@code STOPPED}).</li>
 * </ul>
 * A late pong or an unanswered count is not a verdict on the ponger: the pinger logs it and pings
 * again, and leaves that verdict to the watch and its failure detector.
 */
public final class Pinger extends Process {

    /** The system property naming the ponger's node. */
    public static final String PEER_PROPERTY = "spinoff.example3.peer";

    private static final System.Logger LOG = System.getLogger(Pinger.class.getName());
    private static final Duration PONG_TIMEOUT = Duration.ofSeconds(5);

    @Override
    protected void run() throws Exception {
        String peer = System.getProperty(PEER_PROPERTY, "beta@127.0.0.1:7200");
        Pinged ponger = context().system().lookup(Pinged.class, peer + "/user/ponger");
        Ponged me = self(Ponged.class);
        watch(ponger);
        int pongs = 0;
        for (int n = 1; ; n++) {
            long sent = System.nanoTime();
            ponger.ping(n, me);
            Object reply = nextReply(n);
            if (reply instanceof Terminated end) {
                LOG.log(System.Logger.Level.INFO, "the ponger is gone (" + end.reason() + ")");
                if (end.reason() == Terminated.Reason.STOPPED && pongs > 0) {
                    return;
                }
                throw new DeathPactException(end, "The ponger " + end.address() + " is gone (" + end.reason()
                        + (pongs == 0 ? ", before it answered a ping" : "") + "); the pinger cannot go on without it.");
            }
            if (reply instanceof PongedMessage.Pong pong) {
                pongs++;
                LOG.log(System.Logger.Level.INFO, "pong " + pong.n() + " from " + pong.from() + " after "
                        + (System.nanoTime() - sent) / 1_000 + " µs");
            } else {
                LOG.log(System.Logger.Level.WARNING, "no pong to ping " + n + " within " + PONG_TIMEOUT.toSeconds()
                        + " s; pinging again");
            }
            if (n % 5 == 0) {
                logCount(ponger);
            }
            sleep(Duration.ofSeconds(1));
        }
    }

    /**
     * @return the ponger's {@link Terminated}, the pong to ping {@code n}, or null when neither came
     *     within {@link #PONG_TIMEOUT}; a late pong to an earlier ping is dropped on the way
     */
    private Object nextReply(int n) throws InterruptedException {
        long deadline = System.nanoTime() + PONG_TIMEOUT.toNanos();
        while (true) {
            Object reply;
            try {
                reply = receive(message -> message instanceof Terminated || message instanceof PongedMessage.Pong,
                        Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (ReceiveTimeoutException e) {
                return null;
            }
            if (!(reply instanceof PongedMessage.Pong pong) || pong.n() == n) {
                return reply;
            }
        }
    }

    private void logCount(Pinged ponger) throws InterruptedException {
        try {
            LOG.log(System.Logger.Level.INFO, "the ponger has seen " + await(ponger.count(), PONG_TIMEOUT) + " pings");
        } catch (RuntimeException e) {
            // A timeout, the node going down, the ponger stopping: whichever, the watch reports it.
            LOG.log(System.Logger.Level.WARNING, "no count from the ponger: " + e);
        }
    }
}
