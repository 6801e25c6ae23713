package io.spinoff.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import ch.qos.logback.core.status.Status;
import io.spinoff.examples.example2.Worker;
import io.spinoff.examples.example2.WorkerActor;
import io.spinoff.runtime.ActorSystem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/**
 * The runtime's {@link System.Logger} routed to SLF4J by {@code slf4j-jdk-platform-logging} and
 * written by Logback, as docs/LOGGING.md describes: an actor's failure reaches Logback at WARN
 * with its exception attached.
 *
 * <p>The bridge takes over every System.Logger of its JVM, so this class runs alone, in the
 * {@code slf4j-logging} execution of examples/pom.xml, which sets {@code spinoff.test.slf4j}; in
 * any other JVM the test of the bridge is skipped.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class Slf4jLoggingTest {

    @Test
    void anActorsFailureReachesLogbackAtWarnWithItsException() throws Exception {
        assumeTrue(Boolean.getBoolean("spinoff.test.slf4j"), "runs in the slf4j-logging execution of examples/pom.xml");
        assertEquals("org.slf4j.jdk.platform.logging.SLF4JSystemLoggerFinder",
                System.LoggerFinder.getLoggerFinder().getClass().getName(),
                "slf4j-jdk-platform-logging serves System.Logger in this JVM");
        LoggerContext context = assertInstanceOf(LoggerContext.class, LoggerFactory.getILoggerFactory(),
                "Logback is SLF4J's backend");
        assertTrue(context.getStatusManager().getCopyOfStatusList().stream().allMatch(s -> s.getLevel() < Status.WARN),
                () -> "logback-test.xml (the configuration of docs/LOGGING.md) loads cleanly: " + statuses(context));
        assertEquals(Level.INFO, context.getLogger("io.spinoff").getLevel(), "logback-test.xml was read");

        Logger runtime = context.getLogger("io.spinoff.runtime");
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.setContext(context);
        appender.start();
        runtime.addAppender(appender);
        try (ActorSystem system = ActorSystem.create("slf4j")) {
            Worker worker = system.spawn(Worker.class, WorkerActor::new, "worker");
            assertEquals("1^2 = 1 (job 1 of this instance)", worker.work(1).toCompletableFuture().get(5, TimeUnit.SECONDS));
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> worker.work(5).toCompletableFuture().get(5, TimeUnit.SECONDS));
            Throwable bug = failed.getCause();
            assertInstanceOf(IllegalStateException.class, bug);
            assertEquals("6^2 = 36 (job 1 of this instance)", worker.work(6).toCompletableFuture().get(5, TimeUnit.SECONDS),
                    "the worker was restarted");

            List<ILoggingEvent> withTheBug = new ArrayList<>();
            for (ILoggingEvent event : events(appender)) {
                if (event.getThrowableProxy() instanceof ThrowableProxy proxy && proxy.getThrowable() == bug) {
                    withTheBug.add(event);
                }
            }
            assertEquals(1, withTheBug.size(), "one event carries the failure: " + events(appender));
            ILoggingEvent event = withTheBug.getFirst();
            assertEquals(Level.WARN, event.getLevel());
            assertEquals("io.spinoff.runtime", event.getLoggerName());
            assertTrue(event.getFormattedMessage().startsWith("Actor /user/worker failed: " + bug), event.getFormattedMessage());
            assertSame(bug, ((ThrowableProxy) event.getThrowableProxy()).getThrowable());
        } finally {
            runtime.detachAppender(appender);
            appender.stop();
        }
    }

    @Test
    void docsLoggingShowsTheLogbackConfigurationTestedHere() throws Exception {
        Path checkout = Path.of(System.getProperty("spinoff.checkout", ".."));
        String page = Files.readString(checkout.resolve("docs/LOGGING.md"), StandardCharsets.UTF_8);
        String tested = Files.readString(checkout.resolve("examples/src/test/resources/logback-test.xml"), StandardCharsets.UTF_8);
        assertTrue(page.contains("```xml\n" + tested + "```\n"), "docs/LOGGING.md shows logback-test.xml as it is");
    }

    private static List<ILoggingEvent> events(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) { // appenders append under their own lock
            return new ArrayList<>(appender.list);
        }
    }

    private static String statuses(LoggerContext context) {
        StringBuilder out = new StringBuilder();
        context.getStatusManager().getCopyOfStatusList().forEach(s -> out.append(s).append('\n'));
        return out.toString();
    }
}
