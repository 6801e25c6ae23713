package io.spinoff.examples.example3;

import io.spinoff.runtime.Process;
import io.spinoff.runtime.Terminated;
import java.time.Duration;

/**
 * Pings the ponger on another node once a second, with its own reference as the reply-to, and
 * waits for the pong; every fifth round it also asks how many pings the ponger has seen. It
 * watches the ponger: when that node goes away, the watch reports it as node-down. Run it on node
 * alpha, after beta:
 * {@code bin/startnode --name alpha --bind tcp://127.0.0.1:7100 --actor io.spinoff.examples.example3.Pinger}.
 * The ponger's address is {@code beta@127.0.0.1:7200/user/ponger} unless the system property
 * {@value #PEER_PROPERTY} names another node ({@code NAME@HOST:PORT}).
 */
public final class Pinger extends Process {

    /** The system property naming the ponger's node. */
    public static final String PEER_PROPERTY = "spinoff.example3.peer";

    private static final System.Logger LOG = System.getLogger(Pinger.class.getName());

    @Override
    protected void run() throws Exception {
        String peer = System.getProperty(PEER_PROPERTY, "beta@127.0.0.1:7200");
        Pinged ponger = context().system().lookup(Pinged.class, peer + "/user/ponger");
        Ponged me = self(Ponged.class);
        watch(ponger);
        for (int n = 1; ; n++) {
            long sent = System.nanoTime();
            ponger.ping(n, me);
            int expected = n;
            Object reply = receive(message -> message instanceof Terminated
                    || message instanceof PongedMessage.Pong pong && pong.n() == expected, Duration.ofSeconds(5));
            if (reply instanceof Terminated down) {
                LOG.log(System.Logger.Level.INFO, "the ponger is gone (" + down.reason() + "); stopping");
                return;
            }
            PongedMessage.Pong pong = (PongedMessage.Pong) reply;
            LOG.log(System.Logger.Level.INFO, "pong " + pong.n() + " from " + pong.from() + " after "
                    + (System.nanoTime() - sent) / 1_000 + " µs");
            if (n % 5 == 0) {
                LOG.log(System.Logger.Level.INFO, "the ponger has seen " + await(ponger.count(), Duration.ofSeconds(5)) + " pings");
            }
            sleep(Duration.ofSeconds(1));
        }
    }
}
