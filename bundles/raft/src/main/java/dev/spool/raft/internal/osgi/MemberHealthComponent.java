package dev.spool.raft.internal.osgi;

import dev.spool.api.group.RaftGroup;
import dev.spool.api.health.Health;
import dev.spool.api.health.HealthIndicator;
import dev.spool.raft.internal.jmx.MBeans;
import dev.spool.raft.internal.jmx.MemberManagement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;

/**
 * Whether this member serves: healthy when every group configured on it (every factory configuration
 * {@value GroupConfiguration#FACTORY_PID}) is served, otherwise naming each group that is not and why — a group whose
 * component is not active (its configuration refused, its application not installed) is named from what
 * Declarative Services says of it. Published as the member's {@link HealthIndicator}, and as the MXBean
 * {@code dev.spool:type=Member,name=<memberId>} of each member id its groups run as.
 *
 * <p>Threads: Declarative Services binds and unbinds; {@link #health()} from any thread.
 */
@Component(
        service = HealthIndicator.class,
        immediate = true,
        property = HealthIndicator.SUBJECT_PROPERTY + "=" + HealthIndicator.MEMBER_SUBJECT)
public final class MemberHealthComponent implements HealthIndicator {

    private static final String GROUP_COMPONENT = RaftGroupComponent.class.getName();

    private final ServiceComponentRuntime runtime;
    private final List<RaftGroup<?>> groups = new CopyOnWriteArrayList<>();
    private final Map<String, HealthIndicator> groupHealth = new ConcurrentHashMap<>();
    /** The member MXBeans registered, by member id, with the number of groups running as that member. */
    private final Map<String, Integer> memberGroups = new HashMap<>();

    private boolean active;

    /**
     * Creates the member's health; called by Declarative Services.
     *
     * @param runtime Declarative Services' runtime, which knows every configured group's component
     */
    @Activate
    public MemberHealthComponent(@Reference ServiceComponentRuntime runtime) {
        this.runtime = runtime;
        this.active = true;
    }

    /** Unregisters the member MXBeans; called by Declarative Services. */
    @Deactivate
    synchronized void deactivate() {
        active = false;
        memberGroups.keySet().forEach(member -> MBeans.unregister(MBeans.name("Member", member)));
        memberGroups.clear();
    }

    @Reference(service = RaftGroup.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    synchronized void bindGroup(RaftGroup<?> group) {
        groups.add(group);
        final String member = group.memberId();
        final int running = memberGroups.getOrDefault(member, 0);
        if (running == 0
                && active
                && !MBeans.register(new MemberManagement(member, () -> groups, this), MBeans.name("Member", member))) {
            return;
        }
        memberGroups.put(member, running + 1);
    }

    synchronized void unbindGroup(RaftGroup<?> group) {
        groups.remove(group);
        final String member = group.memberId();
        final Integer running = memberGroups.get(member);
        if (running == null) {
            return;
        }
        if (running == 1) {
            memberGroups.remove(member);
            MBeans.unregister(MBeans.name("Member", member));
        } else {
            memberGroups.put(member, running - 1);
        }
    }

    @Reference(
            service = HealthIndicator.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            target = "(" + RaftGroup.GROUP_PROPERTY + "=*)")
    void bindGroupHealth(HealthIndicator health, Map<String, Object> properties) {
        groupHealth.put(String.valueOf(properties.get(RaftGroup.GROUP_PROPERTY)), health);
    }

    void unbindGroupHealth(HealthIndicator health, Map<String, Object> properties) {
        groupHealth.remove(String.valueOf(properties.get(RaftGroup.GROUP_PROPERTY)), health);
    }

    @Override
    public String subject() {
        return "member";
    }

    @Override
    public Health health() {
        final List<ComponentConfigurationDTO> configured =
                new ComponentDiagnosis(runtime).configurations(GROUP_COMPONENT);
        if (configured.isEmpty()) {
            return Health.unhealthy(
                    "no Raft group is configured (factory configurations " + GroupConfiguration.FACTORY_PID + ")");
        }
        final List<String> causes = new ArrayList<>();
        for (ComponentConfigurationDTO configuration : configured) {
            final String group = String.valueOf(configuration.properties.get(RaftGroup.GROUP_PROPERTY));
            final String inactive = ComponentDiagnosis.whyInactive(configuration);
            final HealthIndicator indicator = groupHealth.get(group);
            if (inactive != null) {
                causes.add("group " + group + ": " + inactive);
            } else if (indicator == null) {
                causes.add("group " + group + ": its component is " + state(configuration.state));
            } else {
                final Health health = indicator.health();
                if (!health.healthy()) {
                    causes.add(health.cause());
                }
            }
        }
        return causes.isEmpty() ? Health.HEALTHY : Health.unhealthy(String.join("; ", causes));
    }

    private static String state(int state) {
        return switch (state) {
            case ComponentConfigurationDTO.SATISFIED -> "satisfied, not yet active";
            case ComponentConfigurationDTO.ACTIVE -> "active, not yet published";
            default -> "in state " + state;
        };
    }
}
