package io.spinoff.runtime.internal.timer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/** The manual clock on its own: a task that fails is logged, not lost. */
class ManualClockTest {

    @Test
    void aFailingTaskIsLoggedAndAFailingPeriodicTaskStops() {
        Logger logger = Logger.getLogger("io.spinoff.runtime");
        List<LogRecord> records = new ArrayList<>();
        Handler handler = new Handler() {
            @Override
            public synchronized void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        boolean parents = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
        try {
            ManualClock clock = new ManualClock();
            AtomicInteger ranAfter = new AtomicInteger();
            AtomicInteger periodic = new AtomicInteger();
            clock.schedule(() -> {
                throw new IllegalStateException("one-shot failure");
            }, 10);
            clock.schedule(ranAfter::incrementAndGet, 20);
            clock.scheduleAtFixedRate(() -> {
                periodic.incrementAndGet();
                throw new IllegalStateException("periodic failure");
            }, 5, 5);
            clock.advance(100);
            assertEquals(1, ranAfter.get(), "a failure does not stop the clock's other tasks");
            assertEquals(1, periodic.get(), "a periodic task that failed runs no more");
            assertEquals(0, clock.scheduled());
            List<String> logged;
            synchronized (handler) {
                logged = records.stream().filter(r -> r.getLevel() == Level.SEVERE)
                        .map(r -> r.getThrown() == null ? "" : r.getThrown().getMessage()).toList();
            }
            assertTrue(logged.contains("one-shot failure"), "logged: " + logged);
            assertTrue(logged.contains("periodic failure"), "logged: " + logged);
        } finally {
            logger.removeHandler(handler);
            logger.setUseParentHandlers(parents);
        }
    }
}
