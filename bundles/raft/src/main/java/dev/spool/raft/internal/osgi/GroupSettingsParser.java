package dev.spool.raft.internal.osgi;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.Durability;
import dev.spool.raft.group.GroupSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Turns a group's configuration into checked {@link GroupSettings}; a wrong value is named with the property. */
final class GroupSettingsParser {

    /** A year: longer is a mistake (a table that never forgets), and keeps the milliseconds far from overflow. */
    static final long MAX_SESSION_IDLE_SECONDS = 365L * 24 * 3600;

    private GroupSettingsParser() {}

    static GroupSettings parse(GroupConfiguration config) {
        final String group = config.spool_group();
        final String durability = config.durability();
        if (group == null || group.isBlank()) {
            throw new IllegalArgumentException(
                    GroupConfiguration.FACTORY_PID + ": property spool.group (the group" + " name) is required");
        }
        final Durability level;
        try {
            level = Durability.valueOf(durability.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "group " + group + ": durability must be SYNC or NONE, not '" + durability + "'", e);
        }
        if (config.join()
                && (config.members() == null || Arrays.stream(config.members()).allMatch(String::isBlank))) {
            throw new IllegalArgumentException(GroupConfiguration.FACTORY_PID + " for group " + group + ": join=true"
                    + " needs members: the members of the running group this member joins");
        }
        try {
            if (config.sessionIdleSeconds() < 1 || config.sessionIdleSeconds() > MAX_SESSION_IDLE_SECONDS) {
                throw new IllegalArgumentException("sessionIdleSeconds must be between 1 and "
                        + MAX_SESSION_IDLE_SECONDS + ", not " + config.sessionIdleSeconds());
            }
            return new GroupSettings(
                    group,
                    config.memberId(),
                    membership(group, config.memberId(), config.members()),
                    level,
                    config.tickMillis() * 1_000_000L,
                    config.electionTicks(),
                    config.heartbeatTicks(),
                    config.slotCapacity(),
                    config.snapshotIntervalEntries(),
                    config.entriesKeptBehindSnapshot(),
                    config.forwardToLeader(),
                    Duration.ofSeconds(config.sessionIdleSeconds()),
                    config.maxSessions(),
                    config.join());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    GroupConfiguration.FACTORY_PID + " for group " + group + ": " + e.getMessage(), e);
        }
    }

    private static Membership membership(String group, String memberId, String[] entries) {
        if (entries == null || entries.length == 0) {
            return Membership.of(Member.voter(memberId, ""));
        }
        final List<Member> members = new ArrayList<>();
        // A .cfg file's line arrives as one string: its comma-separated members are split here.
        for (String entry : Arrays.stream(entries)
                .flatMap(value -> Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(value -> !value.isEmpty())
                .toList()) {
            final int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(
                        "group " + group + ": member '" + entry + "' is not" + " id=host:port or id=host:port;learner");
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
