package dev.spool.itests.cluster.harness;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ControlClientTest {

    @Test
    @Timeout(20)
    @DisplayName("a member that accepts but never answers (as one paused with SIGSTOP) fails a status read in seconds")
    void silentMemberTimesOut() throws IOException {
        // The kernel accepts connections for a paused process; this socket accepts and never answers alike.
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            final ControlClient client = new ControlClient("m1", silent.getLocalPort());
            assertThrows(SocketTimeoutException.class, client::status);
            assertThrows(SocketTimeoutException.class, client::appliedRanges);
        }
    }
}
