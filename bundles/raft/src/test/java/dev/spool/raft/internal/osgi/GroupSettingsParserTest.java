package dev.spool.raft.internal.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.group.Durability;
import dev.spool.raft.group.GroupSettings;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A group's configuration becomes checked settings; a wrong value fails naming the group and the value. */
class GroupSettingsParserTest {

    /**
     * A configuration as Declarative Services hands it over: the values given, the metatype defaults for the rest.
     *
     * @param values alternately a property's method name and its value
     */
    static GroupConfiguration config(Object... values) {
        final Map<String, Object> given = new HashMap<>();
        for (int i = 0; i < values.length; i += 2) {
            given.put((String) values[i], values[i + 1]);
        }
        return (GroupConfiguration) Proxy.newProxyInstance(
                GroupConfiguration.class.getClassLoader(),
                new Class<?>[] {GroupConfiguration.class},
                (proxy, method, arguments) -> {
                    if (method.getName().equals("annotationType")) {
                        return GroupConfiguration.class;
                    }
                    return given.containsKey(method.getName()) ? given.get(method.getName()) : method.getDefaultValue();
                });
    }

    private static GroupSettings parse(
            String group, String memberId, String[] members, String durability, int slotCapacity) {
        return GroupSettingsParser.parse(config(
                "spool_group",
                group,
                "memberId",
                memberId,
                "members",
                members == null ? new String[0] : members,
                "durability",
                durability,
                "slotCapacity",
                slotCapacity));
    }

    @Test
    @DisplayName("no members configured: this member alone; durability is case-insensitive; ticks in nanoseconds")
    void singleMemberByDefault() {
        final GroupSettings settings = parse("default", "member-1", new String[0], "sync", 4096);
        assertEquals(
                java.util.List.of(Member.voter("member-1", "")),
                settings.bootstrap().members());
        assertEquals(Durability.SYNC, settings.durability());
        assertEquals(10_000_000, settings.tickNanos());
    }

    @Test
    @DisplayName("forwarding to the leader is the configured value")
    void forwardToLeader() {
        assertTrue(parse("g", "a", null, "SYNC", 1024).forwardToLeader());
        assertFalse(GroupSettingsParser.parse(config("spool_group", "g", "memberId", "a", "forwardToLeader", false))
                .forwardToLeader());
    }

    @Test
    @DisplayName("members are id=host:port, ';learner' makes a non-voting member")
    void parsesMembers() {
        final GroupSettings settings =
                parse("g", "a", new String[] {"a=h1:7400", " b = h2:7400 ", "c=h3:7400;learner"}, "NONE", 1024);
        assertEquals(
                Member.voter("b", "h2:7400"), settings.bootstrap().member("b").orElseThrow());
        assertFalse(settings.bootstrap().isVoter("c"));
        assertEquals("h3:7400", settings.bootstrap().member("c").orElseThrow().address());
    }

    @Test
    @DisplayName("members given as one comma-separated string, as a .cfg line arrives, are split")
    void splitsCommaSeparatedMembers() {
        final GroupSettings settings =
                parse("g", "a", new String[] {"a=h1:7400, b=h2:7400,c=h3:7400;learner"}, "NONE", 1024);
        assertEquals(3, settings.bootstrap().members().size());
        assertEquals(
                Member.voter("b", "h2:7400"), settings.bootstrap().member("b").orElseThrow());
        assertFalse(settings.bootstrap().isVoter("c"));
    }

    @Test
    @DisplayName("wrong values fail with a message naming the group and what is wrong")
    void rejectsWrongValues() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(" ", "a", null, "SYNC", 1024))
                .getMessage()
                .contains("spool.group"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("g", "a", null, "ALWAYS", 1024))
                .getMessage()
                .contains("durability must be SYNC or NONE, not 'ALWAYS'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("g", "a", null, "SYNC", 1000))
                .getMessage()
                .contains("slot capacity must be a power of two"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> parse("g", "a", new String[] {"b=h2:1"}, "SYNC", 1024))
                .getMessage()
                .contains("member a is not among the initial members"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class, () -> parse("g", "a", new String[] {"a:h1:1"}, "SYNC", 1024))
                .getMessage()
                .contains("member 'a:h1:1' is not id=host:port"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> GroupSettingsParser.parse(config("spool_group", "g", "sessionIdleSeconds", 0L)))
                .getMessage()
                .contains("group g: sessionIdleSeconds must be between 1 and 31536000, not 0"));
        assertTrue(assertThrows(
                        IllegalArgumentException.class,
                        () -> GroupSettingsParser.parse(config("spool_group", "g", "maxSessions", 0)))
                .getMessage()
                .contains("group g: the most client sessions must be between 1 and"));
    }

    @Test
    @DisplayName("sessions expire after ten minutes idle and at most 65,536 are kept, unless configured")
    void sessionExpiry() {
        final GroupSettings defaults = GroupSettingsParser.parse(config("spool_group", "g"));
        assertEquals(GroupSettings.DEFAULT_SESSION_IDLE_TIMEOUT, defaults.sessionIdleTimeout());
        assertEquals(GroupSettings.DEFAULT_MAX_SESSIONS, defaults.maxSessions());
        final GroupSettings configured =
                GroupSettingsParser.parse(config("spool_group", "g", "sessionIdleSeconds", 30L, "maxSessions", 100));
        assertEquals(Duration.ofSeconds(30), configured.sessionIdleTimeout());
        assertEquals(100, configured.maxSessions());
    }

    @Test
    @DisplayName("a joining member lists the running group's members without itself; listing itself or none is refused")
    void join() {
        final String[] running = {"a=h:1", "b=h:2"};
        final GroupSettings joining = GroupSettingsParser.parse(
                config("spool_group", "g", "memberId", "c", "members", running, "join", true));
        assertTrue(joining.join());
        assertEquals(
                java.util.List.of(Member.voter("a", "h:1"), Member.voter("b", "h:2")),
                joining.bootstrap().members());
        final var listed = assertThrows(
                IllegalArgumentException.class,
                () -> GroupSettingsParser.parse(
                        config("spool_group", "g", "memberId", "a", "members", running, "join", true)));
        assertTrue(listed.getMessage().contains("joins a running group"), listed.getMessage());
        final var none = assertThrows(
                IllegalArgumentException.class,
                () -> GroupSettingsParser.parse(config("spool_group", "g", "memberId", "c", "join", true)));
        assertTrue(none.getMessage().contains("join=true needs members"), none.getMessage());
    }
}
