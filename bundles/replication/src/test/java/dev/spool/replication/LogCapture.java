package dev.spool.replication;

import java.text.MessageFormat;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/** Keeps the formatted messages some classes log (through java.util.logging, the System.Logger backend). */
final class LogCapture extends Handler implements AutoCloseable {

    /** The logger of the connection stages, which log why they close a connection. */
    static final String PEER_STAGE = "dev.spool.replication.link.PeerStage";

    private final List<Logger> loggers;
    private final List<String> messages = new CopyOnWriteArrayList<>();

    LogCapture(String... loggerNames) {
        // Held strongly: java.util.logging keeps loggers weakly and would drop the handler with them.
        this.loggers = Arrays.stream(loggerNames).map(Logger::getLogger).toList();
        loggers.forEach(logger -> logger.addHandler(this));
    }

    /**
     * Waits until a message containing every part is logged; the test's timeout bounds the wait.
     *
     * @param parts what the message must contain
     * @return the message
     */
    String await(String... parts) throws InterruptedException {
        Loopback.awaitTrue(() -> find(parts) != null);
        return find(parts);
    }

    private String find(String... parts) {
        return messages.stream().filter(message -> Arrays.stream(parts).allMatch(message::contains)).findFirst()
            .orElse(null);
    }

    /** Returns how many messages logged so far contain a text. */
    long count(String text) {
        return messages.stream().filter(message -> message.contains(text)).count();
    }

    /** Returns the messages logged so far that contain a text. */
    List<String> matching(String text) {
        return messages.stream().filter(message -> message.contains(text)).toList();
    }

    @Override
    public void publish(LogRecord record) {
        messages.add(record.getParameters() == null ? record.getMessage()
            : MessageFormat.format(record.getMessage(), record.getParameters()));
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        loggers.forEach(logger -> logger.removeHandler(this));
    }
}
