package io.spinoff.runtime.internal.process;

/** Package-private state of a {@link ProcessRunner}, for tests in other packages. */
public final class ProcessRunnerAccess {

    private ProcessRunnerAccess() {}

    /**
     * @param runner a process's runner
     * @return how many asks it has received and neither answered nor seen expire
     */
    public static int pendingAsks(ProcessRunner runner) {
        return runner.pendingAsks();
    }
}
