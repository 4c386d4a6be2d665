package dev.spool.replication.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.health.Health;
import dev.spool.api.health.HealthIndicator;
import dev.spool.api.spi.replication.ReplicationStreamer;
import dev.spool.replication.LeakDetection;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The component's lifecycle: it publishes the transport only when it listens, withdraws it before it stops
 * listening, and for a configuration it cannot start logs one line and publishes nothing.
 */
@Timeout(60)
@ExtendWith(LeakDetection.class)
class ReplicationComponentTest {

    /** What the component registered: the interface, the service and its properties. */
    private final List<Object[]> registered = new ArrayList<>();

    private final List<String> unregistered = new ArrayList<>();
    private final RecordingLogger log = new RecordingLogger();

    @Test
    @DisplayName("activation listens at the configured port and publishes the transport; deactivation withdraws it"
            + " and releases the port")
    void listensWhileActive() throws IOException {
        final int port = freePort();
        final Map<String, Object> properties = Map.of(
                "memberId", "m1", "listenHost", "127.0.0.1", "listenPort", port, ".private", "x", "component.id", 7L);
        final ReplicationComponent component =
                new ReplicationComponent(context(port), Configurations.of(properties), properties, log);
        try {
            assertThrows(IOException.class, () -> bind(port).close(), "the component holds the port");
            assertEquals(1, registered.size());
            assertEquals(ReplicationStreamer.class, registered.get(0)[0]);
            @SuppressWarnings("unchecked")
            final Dictionary<String, Object> published =
                    (Dictionary<String, Object>) registered.get(0)[2];
            assertEquals("m1", published.get("memberId"));
            assertNull(published.get(".private"));
            assertNull(published.get("component.id"));
            assertTrue(log.lines.isEmpty(), log.lines::toString);
        } finally {
            component.deactivate();
        }
        assertEquals(List.of("unregister"), unregistered);
        bind(port).close();
    }

    @Test
    @DisplayName("a peer naming this member is one log line naming PID, property and value; nothing is published")
    void wrongValueIsOneLogLine() throws IOException {
        final int port = freePort();
        final Map<String, Object> properties =
                Map.of("memberId", "m1", "listenHost", "127.0.0.1", "listenPort", port, "peers", new String[] {
                    "m1=127.0.0.1:" + port
                });
        final ReplicationComponent component =
                new ReplicationComponent(context(port), Configurations.of(properties), properties, log);
        assertEquals(
                List.of("ERROR configuration dev.spool.replication: peers=m1=127.0.0.1:" + port + " names this"
                        + " member (memberId=m1); list only the others; no ReplicationStreamer is published until the"
                        + " configuration is fixed"),
                log.lines);
        assertNull(log.thrown, "no stack trace");
        assertRefusalIsTheTransportsHealth("configuration dev.spool.replication: peers=m1=127.0.0.1:" + port
                + " names this member (memberId=m1); list only the others");
        bind(port).close();
        component.deactivate();
        assertEquals(List.of("unregister"), unregistered, "the health indicator goes with the component");
    }

    /** Only an unhealthy indicator is registered, for the transport, naming the refusal. */
    private void assertRefusalIsTheTransportsHealth(String cause) {
        assertEquals(1, registered.size(), "no ReplicationStreamer for a refused configuration, only its health");
        assertEquals(HealthIndicator.class, registered.get(0)[0]);
        assertEquals(
                Health.unhealthy(cause),
                ((HealthIndicator) registered.get(0)[1]).health(),
                "the refusal is the cause a group missing its transport names");
        @SuppressWarnings("unchecked")
        final Dictionary<String, Object> published =
                (Dictionary<String, Object>) registered.get(0)[2];
        assertEquals(ReplicationStreamer.class.getName(), published.get(HealthIndicator.SUBJECT_PROPERTY));
    }

    @Test
    @DisplayName("a port already taken is one log line naming the PID and the listen address; nothing is published")
    void portTaken() throws IOException {
        try (ServerSocket taken = bind(0)) {
            final Map<String, Object> properties =
                    Map.of("memberId", "m1", "listenHost", "127.0.0.1", "listenPort", taken.getLocalPort());
            final ReplicationComponent component = new ReplicationComponent(
                    context(taken.getLocalPort()), Configurations.of(properties), properties, log);
            assertEquals(1, log.lines.size(), log.lines::toString);
            assertTrue(
                    log.lines
                            .get(0)
                            .startsWith("ERROR configuration dev.spool.replication: listenHost=127.0.0.1"
                                    + " listenPort=" + taken.getLocalPort()),
                    log.lines.get(0));
            assertNull(log.thrown, "no stack trace");
            final String line = log.lines.get(0);
            assertRefusalIsTheTransportsHealth(
                    line.substring("ERROR ".length(), line.indexOf("; no ReplicationStreamer")));
            component.deactivate();
            assertEquals(List.of("unregister"), unregistered);
        }
    }

    /** A bundle context that records registrations; a registration records its withdrawal. */
    private BundleContext context(int port) {
        return (BundleContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        final boolean transport = args[0] == ReplicationStreamer.class;
                        if (transport) {
                            assertThrows(
                                    IOException.class, () -> bind(port).close(), "listening before it is published");
                        }
                        registered.add(args);
                        return Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class},
                                (registration, m, a) -> {
                                    if (transport) {
                                        assertThrows(
                                                IOException.class,
                                                () -> bind(port).close(),
                                                "still listening while it is withdrawn");
                                    }
                                    unregistered.add(m.getName());
                                    return null;
                                });
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static ServerSocket bind(int port) throws IOException {
        return new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = bind(0)) {
            return socket.getLocalPort();
        }
    }

    /** Keeps what is logged, level and message, and any throwable passed with it. */
    private static final class RecordingLogger implements System.Logger {
        final List<String> lines = new ArrayList<>();
        Throwable thrown;

        @Override
        public String getName() {
            return "test";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String msg, Throwable error) {
            lines.add(level + " " + msg);
            thrown = error;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
            lines.add(level + " " + format);
        }

        @Override
        public void log(Level level, Supplier<String> supplier) {
            lines.add(level + " " + supplier.get());
        }
    }
}
