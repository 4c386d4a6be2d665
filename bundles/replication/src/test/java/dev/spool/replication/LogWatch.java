package dev.spool.replication;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Watches what a class logs through {@code System.Logger} (java.util.logging underneath) during a test: a test waits
 * for the message that tells why a connection was refused. Close it to stop watching.
 */
final class LogWatch extends Handler implements AutoCloseable {

    private final Logger logger;
    private final SimpleFormatter formatter = new SimpleFormatter();
    private final List<String> messages = new CopyOnWriteArrayList<>();

    private LogWatch(String name) {
        this.logger = Logger.getLogger(name);
        logger.addHandler(this);
    }

    /**
     * Starts watching a class's logger.
     *
     * @param owner the class whose logger to watch
     * @return the watch
     */
    static LogWatch of(Class<?> owner) {
        return of(owner.getName());
    }

    /**
     * Starts watching a logger, for a class the test cannot name (package-private elsewhere).
     *
     * @param name the logger's name, the class's full name
     * @return the watch
     */
    static LogWatch of(String name) {
        return new LogWatch(name);
    }

    /**
     * Waits until a message containing every part is logged; the test's timeout bounds the wait.
     *
     * @param parts what the message must contain
     * @return the message
     */
    String await(String... parts) throws InterruptedException {
        StreamerFixture.awaitTrue(() -> find(parts) != null);
        return find(parts);
    }

    private String find(String... parts) {
        for (String message : messages) {
            if (List.of(parts).stream().allMatch(message::contains)) {
                return message;
            }
        }
        return null;
    }

    @Override
    public void publish(LogRecord record) {
        messages.add(formatter.formatMessage(record));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
