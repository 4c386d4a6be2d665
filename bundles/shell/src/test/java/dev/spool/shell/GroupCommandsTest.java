package dev.spool.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupProgress;
import dev.spool.api.group.NotLeaderException;
import dev.spool.api.group.StorageUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.karaf.shell.api.console.CommandLine;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The spool:* actions, executed as the shell would after injecting their fields, over fake groups. */
class GroupCommandsTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final FakeGroup leader = new FakeGroup(
            "default",
            "member-1",
            Member.voter("member-1", "h1:7401"),
            Member.voter("member-2", "h2:7402"),
            Member.learner("member-3", "h3:7403"));
    private final FakeGroup follower = new FakeGroup(
                    "orders", "member-1", Member.voter("member-1", "h1:7401"), Member.voter("member-2", "h2:7402"))
            .following("member-2");
    private final List<dev.spool.api.group.RaftGroup<?>> groups = List.of(follower, leader);

    private <A extends GroupAction> A prepared(A action, String group, String... more) {
        action.groups = groups;
        action.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        action.group = group;
        if (action instanceof MemberAction memberAction && more.length > 0) {
            memberAction.member = more[0];
        }
        return action;
    }

    private String printed() {
        return printed.toString(StandardCharsets.UTF_8);
    }

    @Test
    @DisplayName("spool:groups prints one aligned line per group, sorted by name; none: one line saying so")
    void groupsTable() {
        final var command = new GroupsCommand();
        command.groups = groups;
        command.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
        command.execute();
        assertEquals("""
            group    member    role      leader    term  commit  applied
            default  member-1  LEADER    member-1  3     42      41
            orders   member-1  FOLLOWER  member-2  3     42      41
            """, printed());

        printed.reset();
        command.groups = List.of();
        command.execute();
        assertEquals(GroupsCommand.NO_GROUPS + "\n", printed());
    }

    @Test
    @DisplayName("spool:group on the leader shows snapshot, journal and each member's role, voting, address, match"
            + " and lag")
    void groupOnTheLeader() {
        leader.progress =
                new GroupProgress(30, 21, 42, 2, 131072, Durability.SYNC, Map.of("member-2", 42L, "member-3", 40L));
        prepared(new GroupCommand(), "default").execute();
        assertEquals("""
            group default: member member-1 is LEADER, leader member-1, term 3
            commit 42, applied 41, snapshot 30
            journal 21..42, 2 segments, 131072 bytes, SYNC
            member    role      voting      address  match  lag
            member-1  LEADER    voting      h1:7401  42     0
            member-2  FOLLOWER  voting      h2:7402  42     0
            member-3  LEARNER   non-voting  h3:7403  40     2
            """, printed());
    }

    @Test
    @DisplayName("spool:group on a follower shows no match or lag; an unknown group is one line naming the groups")
    void groupOnAFollowerAndUnknownGroup() {
        prepared(new GroupCommand(), "orders").execute();
        assertTrue(printed().contains("member-2  LEADER    voting  h2:7402  -      -"), printed());

        final var error = assertThrows(
                IllegalArgumentException.class,
                () -> prepared(new GroupCommand(), "nope").execute());
        assertEquals("no group 'nope' on this member; its groups: default, orders", error.getMessage());
    }

    @Test
    @DisplayName("spool:add-member adds a (non-)voting member on the leader; on a follower it names the leader")
    void addMember() {
        final var command = prepared(new AddMemberCommand(), "default");
        command.member = "member-4";
        command.address = "h4:7404";
        command.nonVoting = true;
        command.execute();
        assertEquals(List.of(leader.membership.with(Member.learner("member-4", "h4:7404"))), leader.changes);
        assertEquals("group default: added member-4 at h4:7404, non-voting (log index 43)\n", printed());

        final var onFollower = prepared(new AddMemberCommand(), "orders");
        onFollower.member = "member-4";
        onFollower.address = "h4:7404";
        final var refused = assertThrows(IllegalStateException.class, onFollower::execute);
        assertEquals(
                "group orders: only the leader can add a member; member-1 is FOLLOWER, member-2 leads: run the"
                        + " command there",
                refused.getMessage());
        assertTrue(follower.changes.isEmpty());
    }

    @Test
    @DisplayName("spool:add-member refuses a bad address, a bad id and a member already present, each in one line")
    void addMemberChecksItsArguments() {
        final var command = prepared(new AddMemberCommand(), "default");
        command.member = "member-4";
        command.address = "h4";
        assertEquals(
                "address must be host:port, not 'h4'",
                assertThrows(IllegalArgumentException.class, command::execute).getMessage());
        command.address = "h4:99999";
        assertEquals(
                "port of address 'h4:99999' must be between 1 and 65535",
                assertThrows(IllegalArgumentException.class, command::execute).getMessage());
        command.address = "h2:7402";
        command.member = "member-2";
        assertEquals(
                "group default already has a member member-2",
                assertThrows(IllegalArgumentException.class, command::execute).getMessage());
        assertTrue(leader.changes.isEmpty());
    }

    @Test
    @DisplayName("spool:remove-member removes a member of the membership; an unknown one is named with the members")
    void removeMember() {
        prepared(new RemoveMemberCommand(), "default", "member-3").execute();
        assertEquals(List.of(leader.membership.without("member-3")), leader.changes);

        final var error = assertThrows(
                IllegalArgumentException.class,
                () -> prepared(new RemoveMemberCommand(), "default", "member-9").execute());
        assertEquals(
                "group default has no member member-9; its members: member-1, member-2, member-3", error.getMessage());
    }

    @Test
    @DisplayName("spool:set-voting switches a member's voting; a role other than voting/non-voting is refused")
    void setVoting() {
        final var command = prepared(new SetVotingCommand(), "default", "member-3");
        command.role = "voting";
        command.execute();
        assertEquals(List.of(leader.membership.with(Member.voter("member-3", "h3:7403"))), leader.changes);

        command.role = "maybe";
        assertEquals(
                "role must be voting or non-voting, not 'maybe'",
                assertThrows(IllegalArgumentException.class, command::execute).getMessage());
    }

    @Test
    @DisplayName("spool:transfer-leadership hands over to a voter; a learner or a follower's request is refused")
    void transferLeadership() {
        prepared(new TransferLeadershipCommand(), "default", "member-2").execute();
        assertEquals(List.of("member-2"), leader.transfers);
        assertEquals("group default: member-2 leads\n", printed());

        assertEquals(
                "group default: member-3 is non-voting and cannot lead",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> prepared(new TransferLeadershipCommand(), "default", "member-3")
                                        .execute())
                        .getMessage());
        follower.leader = null;
        follower.role = dev.spool.api.group.GroupRole.CANDIDATE;
        assertEquals(
                "group orders: only the leader can transfer leadership; member-1 is CANDIDATE, no leader is"
                        + " known (an election runs): try again shortly",
                assertThrows(
                                IllegalStateException.class,
                                () -> prepared(new TransferLeadershipCommand(), "orders", "member-2")
                                        .execute())
                        .getMessage());
    }

    @Test
    @DisplayName("spool:snapshot prints the snapshot's index; the group's refusal is one line naming the group")
    void snapshot() {
        leader.snapshotAnswer = CompletableFuture.completedFuture(41L);
        prepared(new SnapshotCommand(), "default").execute();
        assertEquals("group default: snapshot at index 41\n", printed());

        follower.snapshotAnswer = CompletableFuture.failedFuture(new NotLeaderException("orders", "member-2"));
        assertEquals(
                "group orders: snapshot failed: this member does not lead group orders; the leader is member-2",
                assertThrows(
                                IllegalStateException.class,
                                () -> prepared(new SnapshotCommand(), "orders").execute())
                        .getMessage());
    }

    @Test
    @DisplayName("spool:backup writes the named file on any member and prints what it holds; a refusal is one line")
    void backup() {
        final BackupCommand command = prepared(new BackupCommand(), "orders");
        command.file = "backups/orders.backup";
        command.execute();
        final Path written = Path.of("backups/orders.backup").toAbsolutePath();
        assertEquals(List.of(written), follower.backups, "a follower backs up too, to the absolute path");
        assertEquals(
                "group orders: backup " + written + ", 40960 bytes\n"
                        + "  snapshot at index 1200, entries 1201..1290, term 3\n"
                        + "  members at index 1290: member-1, member-2\n",
                printed());

        leader.backupFailure = new IOException("backup /tmp/x refused: the file exists");
        final BackupCommand exists = prepared(new BackupCommand(), "default");
        exists.file = "/tmp/x";
        assertEquals(
                "backup /tmp/x refused: the file exists",
                assertThrows(IllegalStateException.class, exists::execute).getMessage());
        leader.backupFailure = new StorageUnavailableException(
                "group default is unavailable: its journal or" + " snapshot store is not bound");
        assertEquals(
                "group default: backup failed: group default is unavailable: its journal or snapshot store is"
                        + " not bound",
                assertThrows(IllegalStateException.class, exists::execute).getMessage());
    }

    @Test
    @DisplayName("completers offer group names, the named group's member ids, and the two voting roles")
    void completers() {
        final var names = new GroupNameCompleter();
        names.groups = groups;
        assertEquals(List.of("default"), complete(names, "spool:group", "de"));

        final var members = new MemberIdCompleter();
        members.groups = groups;
        assertEquals(
                List.of("member-1", "member-2", "member-3"),
                complete(members, "spool:remove-member", "default", "mem"));
        assertEquals(List.of("member-1", "member-2"), complete(members, "spool:remove-member", "orders", ""));

        assertEquals(
                List.of("non-voting"), complete(new VotingCompleter(), "spool:set-voting", "default", "member-3", "n"));
    }

    private static List<String> complete(org.apache.karaf.shell.api.console.Completer completer, String... words) {
        final List<String> candidates = new ArrayList<>();
        completer.complete(null, new Line(words), candidates);
        return candidates.stream().map(String::strip).sorted().toList();
    }

    /** A command line whose cursor is at the end of its last word. */
    private record Line(String... words) implements CommandLine {
        @Override
        public int getCursorArgumentIndex() {
            return words.length - 1;
        }

        @Override
        public String getCursorArgument() {
            return words[words.length - 1];
        }

        @Override
        public int getArgumentPosition() {
            return getCursorArgument().length();
        }

        @Override
        public String[] getArguments() {
            return words;
        }

        @Override
        public int getBufferPosition() {
            return getBuffer().length();
        }

        @Override
        public String getBuffer() {
            return String.join(" ", words);
        }
    }
}
