package dev.spool.snapshot.internal;

import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.snapshot.FileSnapshotStore;
import java.io.IOException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Publishes a {@link FileSnapshotStore} as the {@link SnapshotStore} service, configured by the PID
 * {@value #PID}. A configuration change reactivates the component: the old store releases its directory before the
 * new one opens it. A wrong configuration value fails activation with a message naming the property.
 */
@Component(
        service = SnapshotStore.class,
        configurationPid = SnapshotStoreComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = SnapshotStoreConfig.class)
public final class SnapshotStoreComponent extends FileSnapshotStore {

    /** The configuration PID. */
    public static final String PID = "dev.spool.snapshot";

    /**
     * Opens the store the configuration describes; called by Declarative Services.
     *
     * @param config the configuration, defaults where unset
     * @throws IOException if the base directory cannot be created or is locked by another store
     * @throws IllegalArgumentException naming the property whose value is wrong
     */
    @Activate
    public SnapshotStoreComponent(SnapshotStoreConfig config) throws IOException {
        this(SnapshotStoreSettings.from(config, System.getProperty(SnapshotStoreSettings.KARAF_DATA)));
    }

    private SnapshotStoreComponent(SnapshotStoreSettings settings) throws IOException {
        super(settings.baseDirectory(), settings.retain(), settings.compression());
    }

    /**
     * Releases the store's directory; called by Declarative Services.
     *
     * @throws IOException if the lock cannot be released
     */
    @Deactivate
    void deactivate() throws IOException {
        close();
    }
}
