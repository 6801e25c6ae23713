package io.spinoff.testkit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Gives each test method that declares a {@link TestKit} parameter a fresh kit, and closes it
 * after the test: a test that leaked (live actors, threads, unexpected dead letters) fails with
 * the kit's report. Use it with {@code @ExtendWith(SpinoffExtension.class)}. When a test that made
 * deterministic kits ({@link TestKit#deterministic}) fails, its failure carries a suppressed note
 * naming the seed of the latest ({@code seed=N}), so that the report says how to replay it.
 *
 * <p><b>Threads:</b> JUnit's; the kit belongs to the test method's thread.
 */
public final class SpinoffExtension implements ParameterResolver, BeforeEachCallback, AfterEachCallback,
        TestExecutionExceptionHandler {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SpinoffExtension.class);
    private static final String KIT = "kit";

    /** Made by JUnit. */
    public SpinoffExtension() {}

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == TestKit.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (context.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("A TestKit is given to test methods only (one per test); "
                    + "make one with TestKit.create() in a constructor or @BeforeAll method instead.");
        }
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(KIT, key -> TestKit.create(), TestKit.class);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        long[] made = TestKit.DETERMINISTIC_KITS_OF_THIS_TEST.get();
        made[0] = 0;
        made[1] = 0;
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        long[] made = TestKit.DETERMINISTIC_KITS_OF_THIS_TEST.get();
        if (made[0] > 0) {
            failure.addSuppressed(new ReplayNote(made[0], made[1]));
        }
        throw failure;
    }

    /** Names the seeds of a failed test's deterministic kits; a note, not a failure of its own. */
    static final class ReplayNote extends Exception {
        private static final long serialVersionUID = 1L;

        ReplayNote(long kits, long lastSeed) {
            super((kits == 1 ? "the test ran a deterministic kit with seed=" + lastSeed
                    : "the test made " + kits + " deterministic kits, the last with seed=" + lastSeed)
                    + "; replay it with TestKit.deterministic(" + lastSeed + "L)", null, false, false);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        TestKit kit = context.getStore(NAMESPACE).remove(KIT, TestKit.class);
        if (kit != null) {
            kit.close();
        }
    }
}
