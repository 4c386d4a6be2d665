package dev.spool.raft.internal.osgi;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.journal.Durability;
import dev.spool.raft.group.GroupSettings;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Turns a group's configuration into checked {@link GroupSettings}; a wrong value is named with the property. */
final class GroupSettingsParser {

    private GroupSettingsParser() {
    }

    static GroupSettings parse(String group, String memberId, String[] members, String durability, int tickMillis,
                               int electionTicks, int heartbeatTicks, int slotCapacity, long snapshotInterval,
                               long keptBehindSnapshot, boolean forwardToLeader, boolean join) {
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException(GroupConfiguration.FACTORY_PID + ": property spool.group (the group"
                + " name) is required");
        }
        final Durability level;
        try {
            level = Durability.valueOf(durability.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("group " + group + ": durability must be SYNC or NONE, not '"
                + durability + "'", e);
        }
        if (join && (members == null || Arrays.stream(members).allMatch(String::isBlank))) {
            throw new IllegalArgumentException(GroupConfiguration.FACTORY_PID + " for group " + group + ": join=true"
                + " needs members: the members of the running group this member joins");
        }
        try {
            return new GroupSettings(group, memberId, membership(group, memberId, members), level,
                tickMillis * 1_000_000L, electionTicks, heartbeatTicks, slotCapacity, snapshotInterval,
                keptBehindSnapshot, forwardToLeader, join);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(GroupConfiguration.FACTORY_PID + " for group " + group + ": "
                + e.getMessage(), e);
        }
    }

    private static Membership membership(String group, String memberId, String[] entries) {
        if (entries == null || entries.length == 0) {
            return Membership.of(Member.voter(memberId, ""));
        }
        final List<Member> members = new ArrayList<>();
        // A .cfg file's line arrives as one string: its comma-separated members are split here.
        for (String entry : Arrays.stream(entries).flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim).filter(value -> !value.isEmpty()).toList()) {
            final int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("group " + group + ": member '" + entry + "' is not"
                    + " id=host:port or id=host:port;learner");
            }
            final String id = entry.substring(0, equals).trim();
            String address = entry.substring(equals + 1).trim();
            boolean voting = true;
            if (address.endsWith(";learner")) {
                voting = false;
                address = address.substring(0, address.length() - ";learner".length());
            }
            members.add(new Member(id, voting, address));
        }
        return new Membership(members);
    }
}
