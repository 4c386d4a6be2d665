package dev.spool.testing;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps what some loggers log through {@code System.Logger}, whose default backend is java.util.logging: each
 * message formatted and prefixed with its level ({@code "WARNING closing the connection ..."}), from the moment it is
 * created until it is closed. The test's module must read {@code java.logging}.
 *
 * <p>Thread-safe: loggers publish from any thread.
 */
public final class LogCapture extends Handler implements AutoCloseable {

    private final List<Logger> loggers;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    /**
     * Captures what the loggers of some classes log.
     *
     * @param sources the classes, whose names are their loggers' names
     */
    public LogCapture(Class<?>... sources) {
        this(Arrays.stream(sources).map(Class::getName).toArray(String[]::new));
    }

    /**
     * Captures what some loggers log.
     *
     * @param loggerNames the loggers' names
     */
    public LogCapture(String... loggerNames) {
        // Held strongly: java.util.logging keeps loggers weakly and would drop the handler with them.
        this.loggers = Arrays.stream(loggerNames).map(Logger::getLogger).toList();
        loggers.forEach(logger -> logger.addHandler(this));
    }

    /** Returns the messages logged so far, oldest first. */
    public List<String> messages() {
        return List.copyOf(messages);
    }

    /** Returns the messages logged so far that contain a text. */
    public List<String> matching(String text) {
        return messages.stream().filter(message -> message.contains(text)).toList();
    }

    /** Returns how many messages logged so far contain a text. */
    public long count(String text) {
        return matching(text).size();
    }

    /**
     * Waits until a message containing every part is logged; the test's timeout bounds the wait (it interrupts).
     *
     * @param parts what the message must contain
     * @return the first such message
     * @throws InterruptedException if the test timed out
     */
    public String await(String... parts) throws InterruptedException {
        for (; ; ) {
            final String found = messages.stream()
                    .filter(message -> Arrays.stream(parts).allMatch(message::contains))
                    .findFirst()
                    .orElse(null);
            if (found != null) {
                return found;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            if (Thread.interrupted()) {
                throw new InterruptedException(
                        "gave up waiting for a message with " + Arrays.toString(parts) + "; logged: " + messages);
            }
        }
    }

    @Override
    public void publish(LogRecord record) {
        final Object[] parameters = record.getParameters();
        messages.add(record.getLevel() + " "
                + (parameters == null ? record.getMessage() : MessageFormat.format(record.getMessage(), parameters)));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {
        loggers.forEach(logger -> logger.removeHandler(this));
    }
}
