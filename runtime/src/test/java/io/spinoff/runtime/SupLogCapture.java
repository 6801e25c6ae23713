package io.spinoff.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Keeps the runtime's log (logger {@code io.spinoff.runtime}) off the console while a test runs,
 * since the fault-tolerance tests fail actors on purpose, and prints it if the test fails. The
 * test may also inspect what was logged.
 *
 * <p>Use it as {@code @RegisterExtension final SupLogCapture log = new SupLogCapture();}. Tests
 * of one JVM run one at a time, so the logger's handlers are not shared while it is installed.
 */
public final class SupLogCapture implements BeforeEachCallback, AfterEachCallback {

    private final Logger logger = Logger.getLogger("io.spinoff.runtime");
    private final List<LogRecord> records = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            synchronized (records) {
                records.add(record);
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private boolean useParentHandlers;

    @Override
    public void beforeEach(ExtensionContext context) {
        synchronized (records) {
            records.clear();
        }
        useParentHandlers = logger.getUseParentHandlers();
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        logger.removeHandler(handler);
        logger.setUseParentHandlers(useParentHandlers);
        if (context.getExecutionException().isPresent()) {
            for (LogRecord record : records()) {
                System.err.println(record.getLevel() + " " + record.getMessage()
                        + (record.getThrown() == null ? "" : " " + record.getThrown()));
            }
        }
    }

    /** @return what the runtime has logged during the test so far */
    public List<LogRecord> records() {
        synchronized (records) {
            return new ArrayList<>(records);
        }
    }

    /**
     * @param prefix the start of a message
     * @return the records whose message starts with it
     */
    public List<LogRecord> recordsStartingWith(String prefix) {
        List<LogRecord> found = new ArrayList<>();
        for (LogRecord record : records()) {
            if (record.getMessage() != null && record.getMessage().startsWith(prefix)) {
                found.add(record);
            }
        }
        return found;
    }
}
