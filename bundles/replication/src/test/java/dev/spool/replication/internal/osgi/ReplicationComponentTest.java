package dev.spool.replication.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.replication.LeakDetection;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** The component's lifecycle: it listens while active and releases its port when deactivated. */
@Timeout(60)
@ExtendWith(LeakDetection.class)
class ReplicationComponentTest {

    @Test
    @DisplayName("activation listens at the configured port; deactivation releases it")
    void listensWhileActive() throws IOException {
        final int port = freePort();
        final Map<String, Object> properties = Map.of("memberId", "m1", "listenHost", "127.0.0.1", "listenPort", port);
        final ReplicationComponent component = new ReplicationComponent(Configurations.of(properties), properties);
        try {
            assertThrows(IOException.class, () -> bind(port).close(), "the component holds the port");
        } finally {
            component.deactivate();
        }
        bind(port).close();
    }

    @Test
    @DisplayName("a port already taken fails activation with an error naming the PID and the listen address")
    void portTaken() throws IOException {
        try (ServerSocket taken = bind(0)) {
            final IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> {
                    final Map<String, Object> properties = Map.of("memberId", "m1", "listenHost", "127.0.0.1",
                        "listenPort", taken.getLocalPort());
                    new ReplicationComponent(Configurations.of(properties), properties);
                });
            assertTrue(e.getMessage().startsWith("configuration dev.spool.replication: listenHost=127.0.0.1"
                + " listenPort=" + taken.getLocalPort()), e.getMessage());
        }
    }

    private static ServerSocket bind(int port) throws IOException {
        return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = bind(0)) {
            return socket.getLocalPort();
        }
    }
}
