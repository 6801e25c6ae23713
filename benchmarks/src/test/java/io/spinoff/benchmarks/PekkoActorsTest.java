package io.spinoff.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.junit.jupiter.api.Test;

class PekkoActorsTest {

    @Test
    void everyExecutorSettingRunsAPingPongWithItsOwnDispatcher() throws Exception {
        for (String executor : PekkoActors.EXECUTORS) {
            ActorSystem<SpawnProtocol.Command> system = PekkoActors.system("settings", executor);
            try {
                String configured = system.settings().config().getString("pekko.actor.default-dispatcher.executor");
                assertEquals(executor.equals("affinity") ? "affinity-pool-executor" : "fork-join-executor", configured);
                int throughput = system.settings().config().getInt("pekko.actor.default-dispatcher.throughput");
                assertEquals(executor.equals("affinity") ? 64 : Integer.parseInt(executor.substring(3)), throughput);
                AtomicReference<CountDownLatch> done = new AtomicReference<>(new CountDownLatch(1));
                ActorRef<PekkoActors.Ball> left = PekkoActors.spawn(system, PekkoActors.player(done), "left");
                ActorRef<PekkoActors.Ball> right = PekkoActors.spawn(system, PekkoActors.player(done), "right");
                left.tell(new PekkoActors.Ball(1_000, right));
                assertTrue(done.get().await(10, TimeUnit.SECONDS), executor + ": the ball did not come back");
            } finally {
                PekkoActors.terminate(system);
            }
        }
    }

    @Test
    void anUnknownSettingNamesTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PekkoActors.config("fj"));
        assertTrue(e.getMessage().contains("fj-5, fj-64, fj-256, affinity"), e.getMessage());
    }
}
