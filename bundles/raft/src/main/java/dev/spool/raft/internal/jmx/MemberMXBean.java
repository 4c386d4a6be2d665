package dev.spool.raft.internal.jmx;

import java.util.List;

/**
 * This member, registered as {@code dev.spool:type=Member,name=<memberId>}: its groups and whether it serves all
 * the groups configured on it.
 */
public interface MemberMXBean {

    /** @return the member's id */
    String getMemberId();

    /** @return the groups this member runs, by name, sorted */
    List<String> getGroups();

    /** @return the groups this member leads, by name, sorted */
    List<String> getGroupsLed();

    /** @return whether every group configured on this member is served */
    boolean isHealthy();

    /** @return why not, one cause per group that is not served, separated by {@code "; "}; empty when healthy */
    String getHealthCause();
}
