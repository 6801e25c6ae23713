package io.spinoff.examples.example2;

import io.spinoff.runtime.Process;
import io.spinoff.runtime.Terminated;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * Supervision and death watch at work: a process hands twelve jobs to a buggy worker, which fails
 * on jobs 5 and 10 and is restarted each time (the failing ask fails, the next job finds a fresh
 * worker); then it stops the worker and learns of its end through death watch, and returns, which
 * stops the process and, under the node launcher, exits with code 0. Run it with
 * {@code bin/startnode --actor io.spinoff.examples.example2.SupervisionDemo}.
 */
public final class SupervisionDemo extends Process {

    private static final System.Logger LOG = System.getLogger(SupervisionDemo.class.getName());

    /** How many jobs the demo hands out. */
    public static final int JOBS = 12;

    @Override
    protected void run() throws Exception {
        Worker worker = spawn(Worker.class, WorkerActor::new, "worker");
        watch(worker);
        int failed = 0;
        for (int job = 1; job <= JOBS; job++) {
            try {
                String result = await(worker.work(job), Duration.ofSeconds(2));
                LOG.log(System.Logger.Level.INFO, "job " + job + ": " + result);
            } catch (IllegalStateException | CompletionException e) {
                failed++;
                LOG.log(System.Logger.Level.INFO, "job " + job + " failed (" + e.getMessage()
                        + "); the supervisor restarts the worker");
            }
        }
        context().stop(worker);
        Terminated end = receive(Terminated.class, Duration.ofSeconds(5));
        LOG.log(System.Logger.Level.INFO, "death watch: " + end.actor().address() + " terminated ("
                + end.reason() + "); " + failed + " of " + JOBS + " jobs failed; done");
    }
}
