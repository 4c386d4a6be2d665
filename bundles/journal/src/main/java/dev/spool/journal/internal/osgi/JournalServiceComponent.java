package dev.spool.journal.internal.osgi;

import dev.spool.api.journal.Journal;
import dev.spool.api.journal.JournalService;
import dev.spool.api.journal.JournalSpec;
import dev.spool.api.journal.TermStore;
import dev.spool.journal.MappedJournalService;
import java.io.IOException;
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
 */
@Component(service = JournalService.class, configurationPid = JournalConfiguration.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = JournalConfiguration.class)
public final class JournalServiceComponent implements JournalService {
    private final MappedJournalService service;

    /**
     * Activates the component.
     *
     * @param configuration the configuration
     * @throws IllegalArgumentException naming the property and value, if a value is wrong (activation fails)
     */
    @Activate
    public JournalServiceComponent(JournalConfiguration configuration) {
        JournalSettings settings = JournalSettings.of(configuration.baseDirectory(), configuration.segmentSize(),
            configuration.maxEntrySize(), configuration.durability(), configuration.freeSpaceFloor(),
            System.getProperty("karaf.data"));
        this.service = new MappedJournalService(settings.baseDirectory(), settings.spec(), settings.freeSpaceFloor());
    }

    /**
     * Closes every journal and term store opened through this component.
     *
     * @throws IOException if a final flush fails; everything is released regardless
     */
    @Deactivate
    void deactivate() throws IOException {
        service.close();
    }

    @Override
    public JournalSpec defaultSpec() {
        return service.defaultSpec();
    }

    @Override
    public Journal open(String name) throws IOException {
        return service.open(name);
    }

    @Override
    public Journal open(String name, JournalSpec spec) throws IOException {
        return service.open(name, spec);
    }

    @Override
    public TermStore openTermStore(String name) throws IOException {
        return service.openTermStore(name);
    }
}
