package io.spinoff.examples.example1;

import io.spinoff.runtime.Process;
import java.time.Duration;

/**
 * Spawns a child, greets it, waits up to 5 s for its ack, sleeps a second, forever. Run it with
 * {@code bin/startnode --actor io.spinoff.examples.example1.ExampleProcess}.
 */
public final class ExampleProcess extends Process {

    private static final System.Logger LOG = System.getLogger(ExampleProcess.class.getName());

    @Override
    protected void run() throws Exception {
        Greeter child = spawn(Greeter.class, ExampleActor::new, "greeter");
        Acker me = self(Acker.class);
        while (true) {
            LOG.log(System.Logger.Level.INFO, "sending greeting to " + child);
            child.greet("hello!", me);
            LOG.log(System.Logger.Level.INFO, "waiting for ack from " + child);
            receive(AckerMessage.Ack.class, Duration.ofSeconds(5));
            LOG.log(System.Logger.Level.INFO, "got ack from " + child + "; now sleeping 1s");
            sleep(Duration.ofSeconds(1));
        }
    }
}
