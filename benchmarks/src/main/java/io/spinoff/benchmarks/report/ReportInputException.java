package io.spinoff.benchmarks.report;

/**
 * Input the report cannot use: a results file that is missing or not JMH JSON, or a benchmark
 * whose forks are too few for an interval. The message names the file or benchmark and ends with
 * what to do; {@link BenchmarkReport#main} prints it and exits with status 2.
 */
final class ReportInputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReportInputException(String message) {
        super(message);
    }

    ReportInputException(String message, Throwable cause) {
        super(message, cause);
    }
}
