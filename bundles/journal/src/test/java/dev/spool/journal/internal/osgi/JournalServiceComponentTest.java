package dev.spool.journal.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.health.Health;
import dev.spool.api.health.HealthIndicator;
import dev.spool.api.spi.journal.JournalService;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/**
 * The journal component publishes its service only for a valid configuration; a wrong value is one log line naming
 * the PID, the property and the value, without a stack trace.
 */
class JournalServiceComponentTest {

    @TempDir
    Path directory;

    /** What the component registered: the service and its properties. */
    private final List<Object[]> registered = new ArrayList<>();

    private final List<String> unregistered = new ArrayList<>();
    private final RecordingLogger log = new RecordingLogger();

    private BundleContext context() {
        return (BundleContext) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
                    if (method.getName().equals("registerService")) {
                        registered.add(args);
                        return Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {ServiceRegistration.class},
                                (registration, m, a) -> {
                                    unregistered.add(m.getName());
                                    return null;
                                });
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static JournalConfiguration configuration(Map<String, Object> properties) {
        return (JournalConfiguration) Proxy.newProxyInstance(
                JournalConfiguration.class.getClassLoader(),
                new Class<?>[] {JournalConfiguration.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return JournalConfiguration.class;
                    }
                    return properties.getOrDefault(method.getName(), method.getDefaultValue());
                });
    }

    @Test
    @DisplayName("a wrong value is logged as one line naming PID, property and value; no service is published")
    void wrongValueIsOneLogLine() {
        final Map<String, Object> properties = Map.of("segmentSize", 12, "baseDirectory", directory.toString());
        final var component = new JournalServiceComponent(context(), configuration(properties), properties, log);
        assertEquals(1, registered.size(), "no JournalService for a wrong configuration, only its health");
        assertEquals(HealthIndicator.class, registered.get(0)[0]);
        final var health = ((HealthIndicator) registered.get(0)[1]).health();
        assertEquals(
                Health.unhealthy("configuration dev.spool.journal: segmentSize=12 must be between 65536 and"
                        + " 1073741824 bytes"),
                health,
                "the refusal is the health cause a group missing its journal names");
        @SuppressWarnings("unchecked")
        final Dictionary<String, Object> published =
                (Dictionary<String, Object>) registered.get(0)[2];
        assertEquals(JournalService.class.getName(), published.get(HealthIndicator.SUBJECT_PROPERTY));
        assertEquals(
                List.of("ERROR configuration dev.spool.journal: segmentSize=12 must be between 65536 and"
                        + " 1073741824 bytes; no JournalService is published until the configuration is fixed"),
                log.lines);
        assertNull(log.thrown, "no stack trace");
        component.deactivate();
        assertEquals(List.of("unregister"), unregistered, "the health indicator goes with the component");
    }

    @Test
    @DisplayName("a valid configuration publishes the JournalService with the public properties only, until"
            + " deactivation")
    void validConfigurationPublishes() {
        final Map<String, Object> properties = Map.of(
                "baseDirectory",
                directory.toString(),
                "service.pid",
                "dev.spool.journal",
                ".private",
                "x",
                "component.id",
                7L);
        final var component = new JournalServiceComponent(context(), configuration(properties), properties, log);
        assertEquals(1, registered.size());
        assertEquals(JournalService.class, registered.get(0)[0]);
        assertTrue(registered.get(0)[1] instanceof JournalService);
        @SuppressWarnings("unchecked")
        final Dictionary<String, Object> published =
                (Dictionary<String, Object>) registered.get(0)[2];
        assertEquals("dev.spool.journal", published.get("service.pid"));
        assertNull(published.get(".private"));
        assertNull(published.get("component.id"));
        assertTrue(log.lines.isEmpty(), log.lines::toString);
        component.deactivate();
        assertEquals(List.of("unregister"), unregistered);
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
