package com.example.hello;

import io.spinoff.runtime.Process;
import java.time.Duration;

/**
 * The same conversation as {@link Main}, as a process that a Spinoff node runs:
 * {@code mvn compile exec:exec@node}. When {@code run()} returns, the process stops and the node
 * exits with code 0.
 */
public final class CounterProcess extends Process {

    private static final System.Logger LOG = System.getLogger(CounterProcess.class.getName());

    @Override
    protected void run() throws Exception {
        Counter counter = spawn(Counter.class, CounterActor::new, "counter");
        counter.increment(5);
        counter.increment(37);
        int count = await(counter.get(), Duration.ofSeconds(5));
        LOG.log(System.Logger.Level.INFO, "The counter says " + count);
    }
}
