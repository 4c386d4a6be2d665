package dev.spool.replication.internal.osgi;

import dev.spool.api.cluster.Member;
import dev.spool.api.replication.GroupInbox;
import dev.spool.api.replication.GroupLink;
import dev.spool.api.replication.ReplicationStreamer;
import dev.spool.replication.NettyReplicationStreamer;
import dev.spool.replication.StreamerSettings;
import java.util.Map;
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
 * <p>A configuration change re-creates the component: Declarative Services unbinds the old service from the groups
 * (which close their links), this component closes its connections and stops listening, and the new one starts with
 * the new values; the groups bind it dynamically.
 *
 * <p>Threads: Declarative Services calls the constructor and {@link #deactivate()}; {@link #join} from any thread.
 */
@Component(service = ReplicationStreamer.class, configurationPid = ReplicationConfiguration.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE, immediate = true)
@Designate(ocd = ReplicationConfiguration.class)
public final class ReplicationComponent implements ReplicationStreamer {
    private final NettyReplicationStreamer streamer;

    /**
     * Starts the transport the configuration describes; called by Declarative Services.
     *
     * @param configuration the configuration
     * @param properties the same configuration's properties by name, checked for passwords under public names
     * @throws IllegalArgumentException naming the property and value, if a value is wrong, or the TLS store that
     *     cannot be loaded (activation fails); a password is never named
     * @throws IllegalStateException naming the listen address, if the transport cannot listen there
     */
    @Activate
    public ReplicationComponent(ReplicationConfiguration configuration, Map<String, Object> properties) {
        this(checked(configuration, properties));
    }

    private static StreamerSettings checked(ReplicationConfiguration configuration, Map<String, Object> properties) {
        ReplicationSettingsParser.refusePublicSecrets(properties);
        return ReplicationSettingsParser.parse(configuration, System.getProperty("karaf.etc"));
    }

    private ReplicationComponent(StreamerSettings settings) {
        try {
            this.streamer = new NettyReplicationStreamer(settings);
        } catch (IllegalStateException e) {
            throw new IllegalStateException("configuration " + ReplicationConfiguration.PID + ": listenHost="
                + settings.listenAddress().getHostString() + " listenPort=" + settings.listenAddress().getPort()
                + ": " + e.getMessage() + (e.getCause() == null ? "" : " (" + e.getCause() + ")"), e);
        } catch (IllegalArgumentException e) {
            // A TLS store that cannot be loaded: the message names the file and what is wrong with it.
            throw new IllegalArgumentException("configuration " + ReplicationConfiguration.PID + ": " + e.getMessage(),
                e);
        }
    }

    /** Closes every peer connection and stops listening; called by Declarative Services. */
    @Deactivate
    void deactivate() {
        streamer.close();
    }

    @Override
    public GroupLink join(String group, Member localMember, GroupInbox inbox) {
        return streamer.join(group, localMember, inbox);
    }
}
