package dev.spool.replication.internal.osgi;

import dev.spool.api.health.HealthIndicator;
import dev.spool.api.spi.replication.ReplicationStreamer;
import dev.spool.replication.NettyReplicationStreamer;
import dev.spool.replication.StreamerSettings;
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
 * Publishes a {@link NettyReplicationStreamer} as this member's {@link ReplicationStreamer}, configured by the PID
 * {@value ReplicationConfiguration#PID}. The configuration is required: without one nothing listens and no service
 * is published, which single-member groups do not need. The component is immediate, so the member listens for its
 * peers as soon as it is configured, before any group joins.
 *
 * <p>A configuration change re-creates the component: the old service is withdrawn from the groups (which close
 * their links), the old transport closes its connections and stops listening, and the new one starts with the new
 * values; the groups bind it dynamically.
 *
 * <p>The component starts the transport before it publishes anything: a wrong value, an unloadable TLS store or a
 * listen address already taken is one error line in the log naming the PID and what is wrong, and no transport is
 * published until the configuration is fixed; instead an unhealthy {@link HealthIndicator} whose subject is
 * {@code ReplicationStreamer} names the refusal, which a group missing its transport reports as its cause. (Were the
 * service declared to Declarative Services, Felix SCR would register it before constructing the component and leave
 * it registered after the constructor threw, so a refused configuration would leave a transport in the registry
 * that every consumer's attempt to get fails.)
 *
 * <p>Threads: Declarative Services calls the constructor and {@link #deactivate()}.
 */
@Component(
        service = {},
        configurationPid = ReplicationConfiguration.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = ReplicationConfiguration.class)
public final class ReplicationComponent {
    private final NettyReplicationStreamer streamer;
    /** The transport's registration, or the refusal's health indicator's. */
    private final ServiceRegistration<?> registration;

    /**
     * Starts the transport the configuration describes and publishes it, or logs why not; called by Declarative
     * Services.
     *
     * @param context the bundle's context, to publish the service
     * @param configuration the configuration
     * @param properties the same configuration's properties by name, checked for passwords under public names and
     *     published with the service but for private ones
     */
    @Activate
    public ReplicationComponent(
            BundleContext context, ReplicationConfiguration configuration, Map<String, Object> properties) {
        this(context, configuration, properties, System.getLogger(ReplicationComponent.class.getName()));
    }

    ReplicationComponent(
            BundleContext context,
            ReplicationConfiguration configuration,
            Map<String, Object> properties,
            System.Logger log) {
        NettyReplicationStreamer started;
        try {
            started = started(configuration, properties);
        } catch (IllegalArgumentException | IllegalStateException e) {
            log.log(
                    Level.ERROR,
                    e.getMessage() + "; no ReplicationStreamer is published until the configuration" + " is fixed");
            this.streamer = null;
            this.registration = context.registerService(
                    HealthIndicator.class,
                    HealthIndicator.refused(ReplicationStreamer.class, e.getMessage()),
                    new Hashtable<>(Map.of(HealthIndicator.SUBJECT_PROPERTY, ReplicationStreamer.class.getName())));
            return;
        }
        this.streamer = started;
        this.registration = context.registerService(ReplicationStreamer.class, started, published(properties));
    }

    /**
     * Returns the transport the configuration describes, listening.
     *
     * @throws IllegalArgumentException naming the property and value, if a value is wrong, or the TLS store that
     *     cannot be loaded; a password is never named
     * @throws IllegalStateException naming the listen address, if the transport cannot listen there
     */
    private static NettyReplicationStreamer started(
            ReplicationConfiguration configuration, Map<String, Object> properties) {
        ReplicationSettingsParser.refusePublicSecrets(properties);
        final StreamerSettings settings =
                ReplicationSettingsParser.parse(configuration, System.getProperty("karaf.etc"));
        try {
            return new NettyReplicationStreamer(settings);
        } catch (IllegalStateException e) {
            throw new IllegalStateException(
                    "configuration " + ReplicationConfiguration.PID + ": listenHost="
                            + settings.listenAddress().getHostString() + " listenPort="
                            + settings.listenAddress().getPort()
                            + ": " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"),
                    e);
        } catch (IllegalArgumentException e) {
            // A TLS store that cannot be loaded: the message names the file and what is wrong with it.
            throw new IllegalArgumentException(
                    "configuration " + ReplicationConfiguration.PID + ": " + e.getMessage(), e);
        }
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
     * Withdraws the service (or the refusal's health), then closes every peer connection and stops listening; called
     * by Declarative Services.
     */
    @Deactivate
    void deactivate() {
        registration.unregister();
        if (streamer != null) {
            streamer.close();
        }
    }
}
