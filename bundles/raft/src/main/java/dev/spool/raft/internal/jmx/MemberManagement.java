package dev.spool.raft.internal.jmx;

import dev.spool.api.group.GroupRole;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.health.HealthIndicator;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * The {@link MemberMXBean} of this member: its groups from the group services it sees, its health from the member's
 * {@link HealthIndicator}.
 *
 * <p>Threads: any JMX client thread.
 */
public final class MemberManagement implements MemberMXBean {

    private final String memberId;
    private final Supplier<? extends Collection<RaftGroup<?>>> groups;
    private final HealthIndicator health;

    /**
     * Creates the MXBean of a member.
     *
     * @param memberId the member's id
     * @param groups the groups running on this JVM, of any member
     * @param health the member's health
     */
    public MemberManagement(
            String memberId, Supplier<? extends Collection<RaftGroup<?>>> groups, HealthIndicator health) {
        this.memberId = memberId;
        this.groups = groups;
        this.health = health;
    }

    @Override
    public String getMemberId() {
        return memberId;
    }

    @Override
    public List<String> getGroups() {
        return groups.get().stream()
                .filter(g -> g.memberId().equals(memberId))
                .map(RaftGroup::name)
                .sorted()
                .toList();
    }

    @Override
    public List<String> getGroupsLed() {
        return groups.get().stream()
                .filter(g -> g.memberId().equals(memberId) && g.role() == GroupRole.LEADER)
                .map(RaftGroup::name)
                .sorted()
                .toList();
    }

    @Override
    public boolean isHealthy() {
        return health.health().healthy();
    }

    @Override
    public String getHealthCause() {
        return health.health().cause();
    }
}
