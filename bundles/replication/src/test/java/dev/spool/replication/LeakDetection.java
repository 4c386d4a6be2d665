package dev.spool.replication;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Fails a test class whose tests leaked a Netty buffer (a {@code ByteBuf} garbage-collected before its last
 * {@code release()}). Netty's leak detector runs at its paranoid level in this module's tests (the surefire
 * configuration sets {@code io.netty.leakDetection.level}; this extension sets it too, for a run from elsewhere), so
 * it tracks every buffer, and reports a leak through its logger (java.util.logging here) once the buffer is
 * collected and a later allocation polls for it. After the class's tests this extension collects garbage, polls,
 * and fails the class with every report (each names where the buffer was created and last touched).
 *
 * <p>Use: {@code @ExtendWith(LeakDetection.class)} on the test class; {@link #reportsAfterCollection()} for a test that
 * checks for leaks itself.
 */
public final class LeakDetection implements BeforeAllCallback, AfterAllCallback {

    /** Netty's leak detector logs through a logger named after its class. */
    private static final Logger DETECTOR_LOG = Logger.getLogger(ResourceLeakDetector.class.getName());

    private static final List<String> REPORTS = new CopyOnWriteArrayList<>();
    /** Collections and polls before a leak is taken as absent: the reference handler enqueues asynchronously. */
    private static final int ROUNDS = 5;

    static {
        // Held by this class: java.util.logging keeps loggers weakly and would drop the handler with them.
        DETECTOR_LOG.addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue()
                        && record.getMessage() != null
                        && record.getMessage().contains("LEAK")) {
                    REPORTS.add(record.getMessage());
                }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        });
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        reportsAfterCollection(); // what earlier classes left is theirs, reported there
    }

    @Override
    public void afterAll(ExtensionContext context) {
        final List<String> leaks = reportsAfterCollection();
        if (!leaks.isEmpty()) {
            throw new AssertionError(context.getDisplayName() + " leaked " + leaks.size() + " Netty buffer(s):\n"
                    + String.join("\n", leaks));
        }
    }

    /**
     * Collects garbage and makes the leak detector look for collected buffers that were never released, a few
     * times, then returns (and forgets) what it reported since the last call.
     *
     * @return the leak reports, each naming where the buffer was allocated and accessed
     */
    public static List<String> reportsAfterCollection() {
        for (int round = 0; round < ROUNDS; round++) {
            System.gc();
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            // A tracked allocation polls the detector's queue of collected buffers and reports the unreleased ones.
            final ByteBuf probe = PooledByteBufAllocator.DEFAULT.directBuffer(1);
            probe.release();
        }
        final List<String> reports = new ArrayList<>(REPORTS);
        REPORTS.removeAll(reports);
        return reports;
    }
}
