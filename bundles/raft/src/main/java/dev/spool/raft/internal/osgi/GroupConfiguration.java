package dev.spool.raft.internal.osgi;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * One Raft group of this member: the factory configuration {@value #FACTORY_PID}, one per group. The configured
 * members only bootstrap a group whose log is empty; afterwards the log's membership is authoritative.
 */
@ObjectClassDefinition(
        name = "Spool Raft group",
        description = "One Raft group of this member: one RaftGroup"
                + " service per configuration, bound to the StateMachine and PayloadCodec services whose spool.group property"
                + " names it (set stateMachine.target and codec.target to (spool.group=<name>)).")
public @interface GroupConfiguration {

    /** The factory PID. */
    String FACTORY_PID = "dev.spool.raft.group";

    @AttributeDefinition(
            name = "Group name",
            description = "The group's name: its journal, term store and"
                    + " snapshots are named after it, and its service carries it as spool.group. Letters, digits, '.', '_'"
                    + " and '-'.")
    String spool_group();

    @AttributeDefinition(name = "Member id", description = "This member's id in the group.")
    String memberId() default "member-1";

    @AttributeDefinition(
            name = "Initial members",
            description =
                    "The members a group with an empty log starts"
                            + " with, as id=host:port (a voter) or id=host:port;learner, host:port being where the member listens for"
                            + " its peers. Empty: this member alone. With join: the running group's members, without this member.")
    String[] members() default {};

    @AttributeDefinition(
            name = "Durability",
            description = "The journal's durability: SYNC forces at every flush"
                    + " point (group commit), NONE never forces (a process crash loses nothing, a power loss may).",
            options = {@Option(value = "SYNC"), @Option(value = "NONE")})
    String durability() default "SYNC";

    @AttributeDefinition(
            name = "Restore from",
            description =
                    "A backup file (spool:backup) a member that has never"
                            + " run in its cluster starts from: its snapshot and entries, then the initial members above as the"
                            + " membership. Empty for none; ignored once the member has run. A relative path resolves against karaf.base.")
    String restoreFrom() default "";

    @AttributeDefinition(name = "Tick length", description = "The length of one Raft tick, in milliseconds.")
    int tickMillis() default 10;

    @AttributeDefinition(
            name = "Election timeout",
            description = "Ticks without a leader before a follower" + " campaigns (randomized up to twice this).")
    int electionTicks() default 10;

    @AttributeDefinition(
            name = "Heartbeat interval",
            description = "Ticks between a leader's heartbeats; below" + " the election timeout.")
    int heartbeatTicks() default 1;

    @AttributeDefinition(
            name = "Buffer capacity",
            description = "Entry slots (a power of two): the most entries"
                    + " in flight between intake and apply. A full buffer pushes back on proposals.")
    int slotCapacity() default 4096;

    @AttributeDefinition(
            name = "Snapshot threshold",
            description = "Applied entries after the last snapshot that" + " trigger a new one.")
    long snapshotIntervalEntries() default 10_000;

    @AttributeDefinition(
            name = "Entries kept behind a snapshot",
            description = "Entries before a snapshot's" + " index that stay in the journal for slow followers.")
    long entriesKeptBehindSnapshot() default 1_000;

    @AttributeDefinition(
            name = "Forward to the leader",
            description = "Whether a proposal or read barrier made on"
                    + " a member that does not lead goes to the leader over the peer link (on), or fails with NotLeaderException"
                    + " naming the leader (off).")
    boolean forwardToLeader() default true;

    @AttributeDefinition(
            name = "Join a running group",
            description =
                    "Whether this member joins a group that"
                            + " runs already: members then lists that group's members as it runs, without this member, which writes no"
                            + " first entry of its own and takes the log from the group's leader once spool:add-member added it.")
    boolean join() default false;

    @AttributeDefinition(
            name = "Session idle timeout",
            description =
                    "Seconds a client session may go without a"
                            + " proposal before the group forgets it, measured on the leaders' clock readings the log carries, so every"
                            + " member forgets it at the same entry. A retry in a forgotten session fails with SessionExpiredException.")
    long sessionIdleSeconds() default 600;

    @AttributeDefinition(
            name = "Most client sessions",
            description = "The most client sessions the group"
                    + " remembers; a new session beyond it makes the group forget the least recently used one.")
    int maxSessions() default 65_536;
}
