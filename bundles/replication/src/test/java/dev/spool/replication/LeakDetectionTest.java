package dev.spool.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.util.ResourceLeakDetector;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The leak check the module's tests run under sees a buffer dropped without its release. */
@ExtendWith(LeakDetection.class)
class LeakDetectionTest {

    @Test
    @DisplayName("the module's tests run with Netty's paranoid leak detection")
    void paranoid() {
        assertEquals(ResourceLeakDetector.Level.PARANOID, ResourceLeakDetector.getLevel());
    }

    @Test
    @DisplayName("a buffer collected without its release is reported, naming where it was allocated")
    void reportsALeak() {
        leakOne();
        final List<String> reports = LeakDetection.reportsAfterCollection();
        assertEquals(1, reports.size(), String.valueOf(reports));
        assertTrue(reports.get(0).contains("LeakDetectionTest.leakOne"), reports.get(0));
    }

    @Test
    @DisplayName("a released buffer is not reported")
    void releasedIsNoLeak() {
        PooledByteBufAllocator.DEFAULT.directBuffer(64).writeLong(1).release();
        assertEquals(List.of(), LeakDetection.reportsAfterCollection());
    }

    private static void leakOne() {
        final ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(64);
        leaked.writeLong(42);
    }
}
