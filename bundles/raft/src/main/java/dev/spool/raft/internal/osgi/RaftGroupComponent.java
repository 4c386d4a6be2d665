package dev.spool.raft.internal.osgi;

import dev.spool.api.cluster.Membership;
import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.ClientSession;
import dev.spool.api.group.GroupBackup;
import dev.spool.api.group.GroupProgress;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.group.RoleListener;
import dev.spool.api.group.StateMachine;
import dev.spool.api.health.Health;
import dev.spool.api.health.HealthIndicator;
import dev.spool.api.spi.journal.JournalService;
import dev.spool.api.spi.replication.ReplicationStreamer;
import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.raft.group.GroupMember;
import dev.spool.raft.group.GroupSettings;
import dev.spool.raft.internal.jmx.MBeans;
import dev.spool.raft.internal.jmx.RaftGroupManagement;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.management.ObjectName;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One {@link RaftGroup} service per factory configuration {@value GroupConfiguration#FACTORY_PID}. The group binds
 * the application's {@link StateMachine} and {@link PayloadCodec} statically, by the target filters
 * {@code stateMachine.target} and {@code codec.target} on their {@value RaftGroup#GROUP_PROPERTY} property, and its
 * storage dynamically: {@link JournalService}, {@link SnapshotStore} and {@link ReplicationStreamer} are optional,
 * dynamic, greedy references, so the component stays active without them. When the journal service or snapshot
 * store goes away the group stops serving — proposals fail at once with a storage-unavailable error, the role reads
 * {@link GroupRole#UNAVAILABLE} — and every journal view is released before the unbind returns; when a replacement
 * binds, the group recovers from what is on disk and resumes.
 *
 * <p>The component also answers whether this member serves the group ({@link HealthIndicator}, naming why a storage
 * service is missing from what Declarative Services reports), and registers the group's MXBean
 * {@code dev.spool:type=RaftGroup,name=<group>} while it is active.
 *
 * <p>Threads: Declarative Services calls the lifecycle and bind methods (serialized here); the {@link RaftGroup}
 * methods are the group's and may be called from any thread.
 */
@Component(
        service = {RaftGroup.class, HealthIndicator.class},
        configurationPid = GroupConfiguration.FACTORY_PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true)
@Designate(ocd = GroupConfiguration.class, factory = true)
public final class RaftGroupComponent implements RaftGroup<Object>, HealthIndicator {

    private static final System.Logger LOG = System.getLogger(RaftGroupComponent.class.getName());

    private final GroupMember<Object> group;
    private volatile JournalService journals;
    private volatile SnapshotStore snapshots;
    private volatile ReplicationStreamer streamer;
    private boolean active;
    /** Why the last start failed to recover the group from its storage; {@code null} after a start that worked. */
    private volatile Exception startFailure;
    /** The group's MXBean's name, {@code null} if it could not be registered. */
    private final ObjectName mbean;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile ServiceComponentRuntime runtime;
    /** What the providers of services this group needs say of themselves, by service interface name. */
    private final Map<String, HealthIndicator> providers = new ConcurrentHashMap<>();

    /**
     * Creates the group, unavailable until its storage is bound; called by Declarative Services.
     *
     * @param config the group's configuration
     * @param properties the component properties, to check the target filters name the group
     * @param threads the member's agent threads
     * @param stateMachine the application's state machine for this group
     * @param codec the application's payload codec for this group
     * @throws IllegalArgumentException naming the property whose value is wrong
     */
    @Activate
    public RaftGroupComponent(
            GroupConfiguration config,
            Map<String, Object> properties,
            @Reference(name = "threads") MemberThreads threads,
            @Reference(name = "stateMachine", target = "(spool.group=default)") StateMachine<Object> stateMachine,
            @Reference(name = "codec", target = "(spool.group=default)") PayloadCodec<Object> codec) {
        final GroupSettings settings = GroupSettingsParser.parse(config);
        requireTarget(properties, "stateMachine.target", settings.group());
        requireTarget(properties, "codec.target", settings.group());
        this.group = new GroupMember<>(settings, stateMachine, codec, threads, System::nanoTime);
        if (!config.restoreFrom().isBlank()) {
            group.restoreFrom(Path.of(System.getProperty("karaf.base", ""))
                    .resolve(config.restoreFrom().trim()));
        }
        this.active = true; // the dynamic references bind after construction and start the group
        final ObjectName name = MBeans.name("RaftGroup", settings.group());
        this.mbean = MBeans.register(new RaftGroupManagement(this, group::counters, this, System::nanoTime), name)
                ? name
                : null;
    }

    private static void requireTarget(Map<String, Object> properties, String key, String group) {
        final Object target = properties.get(key);
        final String expected = "(" + GROUP_PROPERTY + "=" + group + ")";
        if (target == null
                ? !"default".equals(group)
                : !expected.equals(String.valueOf(target).replace(" ", ""))) {
            throw new IllegalArgumentException(GroupConfiguration.FACTORY_PID + " for group " + group + ": set " + key
                    + "=" + expected + " so the group binds its own application, not " + target);
        }
    }

    /** Stops the group and releases its storage; called by Declarative Services. */
    @Deactivate
    synchronized void deactivate() {
        active = false;
        if (mbean != null) {
            MBeans.unregister(mbean);
        }
        group.stop();
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindJournalService(JournalService service) {
        journals = service;
        restart();
    }

    synchronized void unbindJournalService(JournalService service) {
        if (journals == service) {
            journals = null;
            restart();
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindSnapshotStore(SnapshotStore store) {
        snapshots = store;
        restart();
    }

    synchronized void unbindSnapshotStore(SnapshotStore store) {
        if (snapshots == store) {
            snapshots = null;
            restart();
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    synchronized void bindReplicationStreamer(ReplicationStreamer service) {
        streamer = service;
        restart();
    }

    synchronized void unbindReplicationStreamer(ReplicationStreamer service) {
        if (streamer == service) {
            streamer = null;
            restart();
        }
    }

    /**
     * Stops the group (releasing every journal view) and, if the component is active and its storage bound, starts
     * it again from what is on disk.
     */
    private void restart() {
        group.stop();
        if (!active || journals == null || snapshots == null) {
            return;
        }
        try {
            group.start(journals, snapshots, streamer);
            startFailure = null;
        } catch (IOException | RuntimeException e) {
            startFailure = e;
            LOG.log(
                    Level.ERROR,
                    "group " + group.name() + " could not recover from its storage; it stays"
                            + " unavailable until the storage is bound again",
                    e);
        }
    }

    @Reference(
            service = HealthIndicator.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            target = "(" + HealthIndicator.SUBJECT_PROPERTY + "=dev.spool.api.*)")
    void bindProviderHealth(HealthIndicator health, Map<String, Object> properties) {
        providers.put(String.valueOf(properties.get(HealthIndicator.SUBJECT_PROPERTY)), health);
    }

    void unbindProviderHealth(HealthIndicator health, Map<String, Object> properties) {
        providers.remove(String.valueOf(properties.get(HealthIndicator.SUBJECT_PROPERTY)), health);
    }

    /** Why a service is missing: what its provider says of itself, else what Declarative Services says. */
    private String whyMissing(Class<?> service) {
        final HealthIndicator provider = providers.get(service.getName());
        final Health health = provider == null ? null : provider.health();
        return health != null && !health.healthy()
                ? health.cause()
                : new ComponentDiagnosis(runtime).whyMissing(service.getName());
    }

    @Override
    public String subject() {
        return "group " + group.name();
    }

    /**
     * Tells whether this member serves the group: its journal service and snapshot store are bound (and, for a
     * group of more than one member, the transport), it recovered from them, and the group itself serves
     * ({@link GroupMember#health()}). A missing service is explained by its provider's own health indicator, if it
     * publishes one, else by what Declarative Services says of the component that should provide it, e.g. its
     * configuration refused.
     */
    @Override
    public Health health() {
        final String prefix = "group " + group.name() + ": ";
        if (journals == null) {
            return Health.unhealthy(prefix + "journal service not bound: " + whyMissing(JournalService.class));
        }
        if (snapshots == null) {
            return Health.unhealthy(prefix + "snapshot store not bound: " + whyMissing(SnapshotStore.class));
        }
        if (streamer == null && group.membership().members().size() > 1) {
            return Health.unhealthy(
                    prefix + "replication transport not bound: " + whyMissing(ReplicationStreamer.class));
        }
        final Exception failure = startFailure;
        if (failure != null && !group.isAvailable()) {
            return Health.unhealthy(prefix + "could not recover from its storage: " + failure.getMessage());
        }
        return group.health();
    }

    @Override
    public String name() {
        return group.name();
    }

    @Override
    public String memberId() {
        return group.memberId();
    }

    @Override
    public GroupRole role() {
        return group.role();
    }

    @Override
    public Optional<String> leaderId() {
        return group.leaderId();
    }

    @Override
    public long term() {
        return group.term();
    }

    @Override
    public long commitIndex() {
        return group.commitIndex();
    }

    @Override
    public long appliedIndex() {
        return group.appliedIndex();
    }

    @Override
    public Membership membership() {
        return group.membership();
    }

    @Override
    public void propose(Object payload, long timeout, TimeUnit unit, ProposalCallback callback) {
        group.propose(payload, timeout, unit, callback);
    }

    @Override
    public void propose(
            ClientSession session,
            long sequence,
            Object payload,
            long timeout,
            TimeUnit unit,
            ProposalCallback callback) {
        group.propose(session, sequence, payload, timeout, unit, callback);
    }

    @Override
    public ClientSession openSession() {
        return group.openSession();
    }

    @Override
    public void readBarrier(long timeout, TimeUnit unit, ReadCallback callback) {
        group.readBarrier(timeout, unit, callback);
    }

    @Override
    public CompletionStage<Long> changeMembership(Membership next) {
        return group.changeMembership(next);
    }

    @Override
    public CompletionStage<Void> transferLeadership(String target) {
        return group.transferLeadership(target);
    }

    @Override
    public CompletionStage<Long> snapshot() {
        return group.snapshot();
    }

    @Override
    public GroupBackup backup(Path file) throws IOException, RaftGroupException {
        return group.backup(file);
    }

    @Override
    public CompletionStage<GroupProgress> progress() {
        return group.progress();
    }

    @Override
    public void addRoleListener(RoleListener listener) {
        group.addRoleListener(listener);
    }

    @Override
    public void removeRoleListener(RoleListener listener) {
        group.removeRoleListener(listener);
    }
}
