package io.spinoff.benchmarks;

import io.spinoff.benchmarks.Protocols.Idle;
import io.spinoff.runtime.ActorSystem;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.SpawnProtocol;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * Measures the heap retained by idle actors: heap used after a full GC with {@code count} idle
 * actors alive, minus heap used after a full GC before they were spawned, divided by
 * {@code count}. Not a JMH benchmark, since it measures bytes, not time; run it once per framework
 * in a fresh JVM: {@code java -cp benchmarks.jar io.spinoff.benchmarks.HeapPerActor spinoff 100000}.
 */
public final class HeapPerActor {

    private HeapPerActor() {}

    /**
     * @param args {@code spinoff} or {@code pekko}, then the number of actors
     * @throws Exception if the actors cannot be started
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !(args[0].equals("spinoff") || args[0].equals("pekko"))) {
            System.err.println("usage: HeapPerActor spinoff|pekko COUNT");
            System.exit(2);
        }
        int count = Integer.parseInt(args[1]);
        double bytes = args[0].equals("spinoff") ? spinoff(count) : pekko(count);
        System.out.printf("%s %d idle actors: %.0f bytes per actor%n", args[0], count, bytes);
    }

    /**
     * @return the least heap used over 5 full collections, 100 ms apart: the heap the live objects
     *     hold, as near as the collector tells; the calling thread sleeps about half a second
     */
    static long usedAfterGc() throws InterruptedException {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static double spinoff(int count) throws Exception {
        try (ActorSystem system = ActorSystem.builder("heap").parallelism(2).build()) {
            Idle warm = system.spawn(Idle.class, SpinoffActors.Sleeper::new);
            warm.poke();
            long before = usedAfterGc();
            Idle[] actors = new Idle[count];
            for (int i = 0; i < count; i++) {
                actors[i] = system.spawn(Idle.class, SpinoffActors.Sleeper::new);
            }
            long after = usedAfterGc();
            double perActor = (after - before) / (double) count;
            if (actors[count - 1] == null) {
                throw new IllegalStateException("unreachable");
            }
            return perActor;
        }
    }

    private static double pekko(int count) throws Exception {
        org.apache.pekko.actor.typed.ActorSystem<SpawnProtocol.Command> system = PekkoActors.system("heap");
        try {
            ActorRef<PekkoActors.SpawnIdle> spawner = PekkoActors.spawn(system, PekkoActors.idleSpawner(), "spawner");
            AskPattern.<PekkoActors.SpawnIdle, Integer>ask(spawner, r -> new PekkoActors.SpawnIdle(1, r),
                    Duration.ofSeconds(30), system.scheduler()).toCompletableFuture().get(30, TimeUnit.SECONDS);
            long before = usedAfterGc();
            AskPattern.<PekkoActors.SpawnIdle, Integer>ask(spawner, r -> new PekkoActors.SpawnIdle(count, r),
                    Duration.ofSeconds(60), system.scheduler()).toCompletableFuture().get(60, TimeUnit.SECONDS);
            long after = usedAfterGc();
            return (after - before) / (double) count;
        } finally {
            PekkoActors.terminate(system);
        }
    }
}
