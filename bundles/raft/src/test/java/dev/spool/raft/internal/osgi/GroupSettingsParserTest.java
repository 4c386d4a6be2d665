package dev.spool.raft.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.journal.Durability;
import dev.spool.raft.group.GroupSettings;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A group's configuration becomes checked settings; a wrong value fails naming the group and the value. */
class GroupSettingsParserTest {

    private static GroupSettings parse(String group, String memberId, String[] members, String durability,
                                       int slotCapacity) {
        return GroupSettingsParser.parse(group, memberId, members, durability, 10, 10, 1, slotCapacity, 10_000,
            1_000, true, false);
    }

    @Test
    @DisplayName("no members configured: this member alone; durability is case-insensitive; ticks in nanoseconds")
    void singleMemberByDefault() {
        final GroupSettings settings = parse("default", "member-1", new String[0], "sync", 4096);
        assertEquals(java.util.List.of(Member.voter("member-1", "")), settings.bootstrap().members());
        assertEquals(Durability.SYNC, settings.durability());
        assertEquals(10_000_000, settings.tickNanos());
    }

    @Test
    @DisplayName("forwarding to the leader is the configured value")
    void forwardToLeader() {
        assertTrue(parse("g", "a", null, "SYNC", 1024).forwardToLeader());
        assertFalse(GroupSettingsParser.parse("g", "a", null, "SYNC", 10, 10, 1, 1024, 10_000, 1_000, false, false)
            .forwardToLeader());
    }

    @Test
    @DisplayName("a joining member lists the running group's members without itself; listing itself or none is refused")
    void join() {
        final String[] running = {"a=h:1", "b=h:2"};
        final GroupSettings joining = GroupSettingsParser.parse("g", "c", running, "SYNC", 10, 10, 1, 1024, 10_000,
            1_000, true, true);
        assertTrue(joining.join());
        assertEquals(java.util.List.of(Member.voter("a", "h:1"), Member.voter("b", "h:2")),
            joining.bootstrap().members());
        final var listed = assertThrows(IllegalArgumentException.class, () -> GroupSettingsParser.parse("g", "a",
            running, "SYNC", 10, 10, 1, 1024, 10_000, 1_000, true, true));
        assertTrue(listed.getMessage().contains("joins a running group"), listed.getMessage());
        final var none = assertThrows(IllegalArgumentException.class, () -> GroupSettingsParser.parse("g", "c",
            null, "SYNC", 10, 10, 1, 1024, 10_000, 1_000, true, true));
        assertTrue(none.getMessage().contains("join=true needs members"), none.getMessage());
    }

    @Test
    @DisplayName("members are id=host:port, ';learner' makes a non-voting member")
    void parsesMembers() {
        final GroupSettings settings = parse("g", "a", new String[] {"a=h1:7400", " b = h2:7400 ", "c=h3:7400;learner"},
            "NONE", 1024);
        assertEquals(Member.voter("b", "h2:7400"), settings.bootstrap().member("b").orElseThrow());
        assertFalse(settings.bootstrap().isVoter("c"));
        assertEquals("h3:7400", settings.bootstrap().member("c").orElseThrow().address());
    }

    @Test
    @DisplayName("members given as one comma-separated string, as a .cfg line arrives, are split")
    void splitsCommaSeparatedMembers() {
        final GroupSettings settings = parse("g", "a", new String[] {"a=h1:7400, b=h2:7400,c=h3:7400;learner"},
            "NONE", 1024);
        assertEquals(3, settings.bootstrap().members().size());
        assertEquals(Member.voter("b", "h2:7400"), settings.bootstrap().member("b").orElseThrow());
        assertFalse(settings.bootstrap().isVoter("c"));
    }

    @Test
    @DisplayName("wrong values fail with a message naming the group and what is wrong")
    void rejectsWrongValues() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(" ", "a", null, "SYNC", 1024))
            .getMessage().contains("spool.group"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("g", "a", null, "ALWAYS", 1024))
            .getMessage().contains("durability must be SYNC or NONE, not 'ALWAYS'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("g", "a", null, "SYNC", 1000))
            .getMessage().contains("slot capacity must be a power of two"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> parse("g", "a", new String[] {"b=h2:1"}, "SYNC", 1024))
            .getMessage().contains("member a is not among the initial members"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> parse("g", "a", new String[] {"a:h1:1"}, "SYNC", 1024))
            .getMessage().contains("member 'a:h1:1' is not id=host:port"));
    }
}
