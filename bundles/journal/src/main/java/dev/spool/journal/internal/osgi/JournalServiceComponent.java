package dev.spool.journal.internal.osgi;

import dev.spool.api.health.HealthIndicator;
import dev.spool.api.spi.journal.JournalService;
import dev.spool.journal.MappedJournalService;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Publishes a {@link MappedJournalService} as the OSGi {@link JournalService}, configured by the PID
 * {@code dev.spool.journal} (optional: the defaults work). A configuration change re-creates the component: the
 * old service closes every journal and term store, releasing every mapping, file handle and lock, before the new one
 * activates.
 *
 * <p>The component checks the configuration before it publishes anything: a wrong value is one error line in the
 * log naming the PID, the property and the value, and no service is published until the configuration is fixed.
 * (Were the service declared to Declarative Services, a refused value would fail each consumer's attempt to get it,
 * each logged with a stack trace around the one line that matters.) Instead of the service it then publishes an
 * unhealthy {@link HealthIndicator} for {@code JournalService} naming the refused value, which the groups' health
 * reports as the cause of their missing journal service.
 */
@Component(
        service = {},
        configurationPid = JournalConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        immediate = true)
@Designate(ocd = JournalConfiguration.class)
public final class JournalServiceComponent {

    private final System.Logger log;
    private final MappedJournalService service;
    private final ServiceRegistration<?> registration;

    /**
     * Activates the component: publishes the service if the configuration is valid, or logs why not.
     *
     * @param context the bundle's context, to publish the service
     * @param configuration the configuration
     * @param properties the same configuration's properties, published with the service but for private ones
     */
    @Activate
    public JournalServiceComponent(
            BundleContext context, JournalConfiguration configuration, Map<String, Object> properties) {
        this(context, configuration, properties, System.getLogger(JournalServiceComponent.class.getName()));
    }

    JournalServiceComponent(
            BundleContext context,
            JournalConfiguration configuration,
            Map<String, Object> properties,
            System.Logger log) {
        this.log = log;
        final JournalSettings settings;
        try {
            settings = JournalSettings.of(
                    configuration.baseDirectory(),
                    configuration.segmentSize(),
                    configuration.maxEntrySize(),
                    configuration.durability(),
                    configuration.freeSpaceFloor(),
                    System.getProperty("karaf.data"));
        } catch (IllegalArgumentException e) {
            log.log(Level.ERROR, e.getMessage() + "; no JournalService is published until the configuration is fixed");
            this.service = null;
            this.registration = context.registerService(
                    HealthIndicator.class,
                    HealthIndicator.refused(JournalService.class, e.getMessage()),
                    new Hashtable<>(Map.of(HealthIndicator.SUBJECT_PROPERTY, JournalService.class.getName())));
            return;
        }
        this.service = new MappedJournalService(settings.baseDirectory(), settings.spec(), settings.freeSpaceFloor());
        this.registration = context.registerService(JournalService.class, service, published(properties));
    }

    /** The configuration's properties as a service's: without private ones (a leading dot) and the component's. */
    private static Dictionary<String, Object> published(Map<String, Object> properties) {
        final Dictionary<String, Object> published = new Hashtable<>();
        properties.forEach((name, value) -> {
            if (!name.startsWith(".") && !name.startsWith("component.")) {
                published.put(name, value);
            }
        });
        return published;
    }

    /**
     * Withdraws the service, then closes every journal and term store opened through it; a failed final flush is
     * logged, everything is released regardless.
     */
    @Deactivate
    void deactivate() {
        registration.unregister();
        if (service == null) {
            return;
        }
        try {
            service.close();
        } catch (IOException e) {
            log.log(Level.ERROR, "configuration " + JournalConfiguration.PID + ": closing the journals failed", e);
        }
    }
}
