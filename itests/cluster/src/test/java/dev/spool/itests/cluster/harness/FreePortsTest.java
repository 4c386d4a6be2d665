package dev.spool.itests.cluster.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class FreePortsTest {

    @Test
    @DisplayName("members' ports are distinct and below the ephemeral range, which outgoing connections draw from")
    void portsAreOutsideTheEphemeralRange() throws Exception {
        final List<String> ids = List.of("m1", "m2", "m3", "m4", "m5");
        final Map<String, Integer> ports = ClusterHarness.freePorts(ids);
        assertEquals(ids.size(), new HashSet<>(ports.values()).size(), "distinct: " + ports);
        for (int port : ports.values()) {
            assertTrue(port < ClusterHarness.ephemeralLow(), port + " is in the ephemeral range: " + ports);
        }
    }
}
