package io.spinoff.runtime.internal.cell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spinoff.runtime.ActorSystem;
import io.spinoff.runtime.CoreEcho;
import io.spinoff.runtime.CoreEchoActor;
import io.spinoff.runtime.internal.HeapUse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The heap an idle actor keeps: cell, mailbox, reference, name, its entry in its parent's
 * children, the actor instance and its proxy. Measured as the heap in use after full collections
 * with {@value #COUNT} idle actors alive, minus the same before they were spawned, per actor (the
 * figure {@code HeapPerActor} in the benchmarks reports side by side with Pekko's). The parts made
 * on first use (children, supervision, timers, watches, path and address strings) must stay
 * unmade for an actor that only started.
 */
class IdleActorFootprintTest {

    private static final int COUNT = 50_000;
    /** The budget per idle actor, in bytes. */
    private static final int BUDGET = 400;

    @Test
    void anIdleActorKeepsAtMost400Bytes() throws Exception {
        try (ActorSystem system = ActorSystem.builder("footprint").parallelism(2).jmx(false).build()) {
            CoreEcho warm = system.spawn(CoreEcho.class, CoreEchoActor::new);
            assertEquals("echo:warm", warm.echo("warm").toCompletableFuture().get(5, TimeUnit.SECONDS));
            long before = HeapUse.usedAfterGc();
            CoreEcho[] actors = new CoreEcho[COUNT];
            for (int i = 0; i < COUNT; i++) {
                actors[i] = system.spawn(CoreEcho.class, CoreEchoActor::new);
            }
            // Every actor has started (its start is a system message on its own turn).
            assertEquals("echo:last", actors[COUNT - 1].echo("last").toCompletableFuture().get(5, TimeUnit.SECONDS));
            long after = HeapUse.usedAfterGc();
            double perActor = (after - before) / (double) COUNT;
            assertTrue(perActor <= BUDGET, "an idle actor keeps " + Math.round(perActor) + " bytes; the budget is " + BUDGET);
            assertTrue(actors[0] != null);
        }
    }

}
