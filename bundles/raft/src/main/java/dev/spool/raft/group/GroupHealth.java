package dev.spool.raft.group;

import dev.spool.api.group.GroupRole;
import dev.spool.api.health.Health;

/**
 * Whether a running group serves, from what it published: it runs, its storage has not failed, it knows a leader,
 * its log is not suspect, and its journal's file system has room for another segment above the free-space floor.
 * The first problem found is the cause, named after the group.
 */
final class GroupHealth {

    private GroupHealth() {}

    /**
     * Judges a group.
     *
     * @param group the group's name
     * @param running whether the group runs (its storage bound and recovered)
     * @param failure the storage failure that stopped it, or {@code null}
     * @param role its role
     * @param leader the leader it knows, or {@code null}
     * @param term its term
     * @param suspect whether its log is suspect
     * @param spaceAboveFloor the journal's free space above the floor, in bytes
     * @param segmentSize the journal's segment size, in bytes
     * @return the answer
     */
    static Health judge(
            String group,
            boolean running,
            Throwable failure,
            GroupRole role,
            String leader,
            long term,
            boolean suspect,
            long spaceAboveFloor,
            long segmentSize) {
        final String prefix = "group " + group + ": ";
        if (failure != null) {
            return Health.unhealthy(prefix + "its storage failed: " + failure.getMessage());
        }
        if (!running || role == GroupRole.UNAVAILABLE) {
            return Health.unhealthy(prefix + "not running: its journal or snapshot store is not bound");
        }
        if (suspect) {
            return Health.unhealthy(prefix + "its log is suspect (a NONE journal outlived a machine restart); it"
                    + " neither votes nor counts toward a commit until it has caught up with a leader");
        }
        if (leader == null) {
            return Health.unhealthy(prefix + "no leader known in term " + term + " (role " + role + ")");
        }
        if (spaceAboveFloor < segmentSize) {
            return Health.unhealthy(prefix + "journal space low: " + Math.max(0, spaceAboveFloor) + " bytes above"
                    + " the free-space floor, less than one segment of " + segmentSize + " bytes");
        }
        return Health.HEALTHY;
    }
}
