package io.spinoff.cluster;

/** A subscription to a cluster's events; closing it stops the events. Idempotent, any thread. */
public interface Subscription extends AutoCloseable {

    /** Stops the events: none is delivered after this returns, except one already being delivered. */
    @Override
    void close();
}
