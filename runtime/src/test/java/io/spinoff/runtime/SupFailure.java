package io.spinoff.runtime;

/** The exception the fault-tolerance tests make their actors throw. */
public class SupFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed */
    public SupFailure(String message) {
        super(message);
    }

    /** A failure the model-based test's supervisors resume rather than restart. */
    public static final class Resumable extends SupFailure {
        private static final long serialVersionUID = 1L;

        /** @param message what failed */
        public Resumable(String message) {
            super(message);
        }
    }
}
