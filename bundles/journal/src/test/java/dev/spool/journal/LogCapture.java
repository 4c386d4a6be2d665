package dev.spool.journal;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Collects what a class logs through System.Logger, whose default backend is java.util.logging. */
final class LogCapture extends Handler implements AutoCloseable {
    private final Logger logger;
    private final List<String> messages = new ArrayList<>();

    LogCapture(Class<?> source) {
        logger = Logger.getLogger(source.getName());
        logger.addHandler(this);
    }

    @Override
    public synchronized void publish(LogRecord record) {
        final Object[] parameters = record.getParameters();
        messages.add(record.getLevel() + " " + (parameters == null ? record.getMessage()
            : java.text.MessageFormat.format(record.getMessage(), parameters)));
    }

    synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
