package io.spinoff.runtime;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * An idle local system wakes its scheduler thread once per 10 ms tick (ask timeouts and the
 * rescue of held actors run in one periodic task), as Pekko's scheduler does: 100 times a
 * second, not once per periodic job. Counted from the thread's voluntary context switches in /proc.
 */
class IdleWakeupsTest {

    @Test
    void anIdleSystemWakesItsSchedulerAboutOncePerTick() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self/task")), "needs Linux's /proc");
        // "spinoff-w-scheduler": Linux keeps the first 15 characters of a thread's name.
        try (ActorSystem system = ActorSystem.builder("w").jmx(false).build()) {
            system.spawn(CoreEcho.class, CoreEchoActor::new, "echo");
            Thread.sleep(300);
            Path task = schedulerTask();
            long before = switches(task);
            long started = System.nanoTime();
            Thread.sleep(2_000);
            long woken = switches(task) - before;
            double perSecond = woken * 1e9 / (System.nanoTime() - started);
            System.out.println("idle scheduler wake-ups: " + woken + ", " + Math.round(perSecond) + " a second");
            // One 10 ms tick: about 100 a second; two jobs of their own woke it about 200 times.
            assertTrue(perSecond <= 150, "the idle scheduler was woken " + Math.round(perSecond) + " times a second");
            assertTrue(perSecond >= 50, "the scheduler should still tick; it was woken " + Math.round(perSecond)
                    + " times a second");
        }
    }

    private static Path schedulerTask() throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) tasks::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).trim().equals("spinoff-w-sched")) {
                        found.add(task);
                    }
                } catch (IOException gone) {
                    // The thread ended meanwhile.
                }
            }
        }
        assertTrue(found.size() == 1, "expected one scheduler thread, found " + found);
        return found.get(0);
    }

    private static long switches(Path task) throws IOException {
        long total = 0;
        for (String line : Files.readAllLines(task.resolve("status"))) {
            // Each wait for the next tick ends in a voluntary switch; preemptions (a loaded
            // machine) are not wake-ups and are not counted.
            if (line.startsWith("voluntary_ctxt_switches:")) {
                total += Long.parseLong(line.substring(line.indexOf(':') + 1).trim());
            }
        }
        return total;
    }
}
