package dev.spool.raft.internal.console;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spool.api.health.Health;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What {@code spool:health} prints. */
class HealthReportTest {

    @Test
    @DisplayName("the member first, then the groups by name, verdicts aligned, causes named")
    void format() {
        final Health orders = Health.unhealthy("group orders: journal service not bound: configuration"
                + " dev.spool.journal: segmentSize=12 must be between 65536 and 1073741824 bytes");
        assertEquals("""
            member         NOT SERVING  group orders: journal service not bound: configuration dev.spool.journal:\
             segmentSize=12 must be between 65536 and 1073741824 bytes
            group default  healthy
            group orders   NOT SERVING  group orders: journal service not bound: configuration dev.spool.journal:\
             segmentSize=12 must be between 65536 and 1073741824 bytes""", HealthReport.format(orders, Map.of("orders", orders, "default", Health.HEALTHY)));
    }

    @Test
    @DisplayName("nothing published says so")
    void nothing() {
        assertEquals(HealthReport.NO_INDICATOR, HealthReport.format(null, Map.of()));
        assertEquals("group default  healthy", HealthReport.format(null, Map.of("default", Health.HEALTHY)));
    }
}
