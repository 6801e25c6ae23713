package io.spinoff.testkit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test method that declares a {@link TestKit} parameter a fresh kit, and closes it
 * after the test: a test that leaked (live actors, threads, unexpected dead letters) fails with
 * the kit's report. Use it with {@code @ExtendWith(SpinoffExtension.class)}.
 *
 * <p><b>Threads:</b> JUnit's; the kit belongs to the test method's thread.
 */
public final class SpinoffExtension implements ParameterResolver, AfterEachCallback {

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
    public void afterEach(ExtensionContext context) {
        TestKit kit = context.getStore(NAMESPACE).remove(KIT, TestKit.class);
        if (kit != null) {
            kit.close();
        }
    }
}
