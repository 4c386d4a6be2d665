package dev.spool.replication;

import static dev.spool.replication.Loopback.ANY_PORT;
import static dev.spool.replication.Loopback.CLUSTER;
import static dev.spool.replication.Loopback.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.spi.raft.TimeoutNow;
import dev.spool.api.spi.replication.GroupLink;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The transport learns its peers from the groups' memberships ({@link GroupLink#membersChanged}): configured peers
 * only bootstrap it. A member a group's log adds is dialled (by the member whose id sorts first) and accepted; one
 * that no group and no configured peer names any more is disconnected.
 */
@Timeout(60)
@ExtendWith(LeakDetection.class)
class LearnedPeersTest {

    private final Loopback loopback = new Loopback();

    @AfterEach
    void closeAll() throws Exception {
        loopback.close();
    }

    private static Member at(String id, NettyReplicationStreamer streamer) {
        final InetSocketAddress address = streamer.localAddress();
        return Member.voter(id, address.getHostString() + ":" + address.getPort());
    }

    @Test
    @DisplayName("two members configured with no peers connect once their groups' membership names each other")
    void membershipMakesPeers() throws Exception {
        final NettyReplicationStreamer b = loopback.start(CLUSTER, "b", ANY_PORT, Map.of());
        final NettyReplicationStreamer a = loopback.start(CLUSTER, "a", ANY_PORT, Map.of());
        final RecordingInbox inbox = new RecordingInbox();
        final GroupLink fromB = b.join("g", at("b", b), inbox);
        final GroupLink fromA = a.join("g", at("a", a), new RecordingInbox());
        fromA.membersChanged(List.of(at("a", a), at("b", b)));
        fromB.membersChanged(List.of(at("a", a), at("b", b)));
        awaitTrue(() -> a.connected("b") && b.connected("a"));
        awaitTrue(() -> fromA.send(at("b", b), new TimeoutNow("a", "b", 3)));
        assertEquals(3, inbox.take().message().term());
    }

    @Test
    @DisplayName(
            "a member whose id sorts first dials the address its group learned; it is accepted once the peer's group names it")
    void acceptedOnceNamed() throws Exception {
        final NettyReplicationStreamer b = loopback.start(CLUSTER, "b", ANY_PORT, Map.of());
        final NettyReplicationStreamer a = loopback.start(CLUSTER, "a", ANY_PORT, Map.of());
        final GroupLink fromA = a.join("g", at("a", a), new RecordingInbox());
        final GroupLink fromB = b.join("g", at("b", b), new RecordingInbox());
        fromA.membersChanged(List.of(at("a", a), at("b", b)));
        // b does not know a yet: a's attempts are refused (UNKNOWN_MEMBER) until b's group names it.
        fromB.membersChanged(List.of(Member.voter("a", ""), at("b", b)));
        awaitTrue(() -> a.connected("b") && b.connected("a"));
    }

    @Test
    @DisplayName("a member no group names any more is disconnected and no longer dialled; a configured peer stays")
    void removedMemberDisconnected() throws Exception {
        final NettyReplicationStreamer c = loopback.start(CLUSTER, "c", ANY_PORT, Map.of());
        final NettyReplicationStreamer b = loopback.start(CLUSTER, "b", ANY_PORT, Map.of("a", Loopback.NOT_DIALED));
        final NettyReplicationStreamer a = loopback.start(CLUSTER, "a", ANY_PORT, Map.of("b", b.localAddress()));
        final GroupLink fromA = a.join("g", at("a", a), new RecordingInbox());
        c.join("g", at("c", c), new RecordingInbox()).membersChanged(List.of(at("a", a), at("c", c)));
        fromA.membersChanged(List.of(at("a", a), at("b", b), at("c", c)));
        awaitTrue(() -> a.connected("b") && a.connected("c") && c.connected("a"));

        fromA.membersChanged(List.of(at("a", a), at("b", b)));
        awaitTrue(() -> !a.connected("c") && !c.connected("a"));
        fromA.membersChanged(List.of(at("a", a)));
        // b is a configured peer: it stays whatever the groups say.
        assertTrue(a.connected("b"));
        assertEquals(0, a.learnedPeers());
    }

    @Test
    @DisplayName("a group that leaves the transport no longer names its members; another group naming one keeps it")
    void leavingGroupForgetsItsMembers() throws Exception {
        final NettyReplicationStreamer b = loopback.start(CLUSTER, "b", ANY_PORT, Map.of());
        final NettyReplicationStreamer a = loopback.start(CLUSTER, "a", ANY_PORT, Map.of());
        b.join("g1", at("b", b), new RecordingInbox()).membersChanged(List.of(at("a", a), at("b", b)));
        final GroupLink first = a.join("g1", at("a", a), new RecordingInbox());
        final GroupLink second = a.join("g2", at("a", a), new RecordingInbox());
        first.membersChanged(List.of(at("a", a), at("b", b)));
        second.membersChanged(List.of(at("a", a), at("b", b)));
        awaitTrue(() -> a.connected("b"));
        first.close();
        assertTrue(a.connected("b"));
        assertEquals(1, a.learnedPeers());
        second.close();
        awaitTrue(() -> !a.connected("b"));
        assertEquals(0, a.learnedPeers());
    }

    @Test
    @DisplayName("an address that is not host:port is not dialled; the member is still known and the transport goes on")
    void badAddressNotDialled() throws Exception {
        final NettyReplicationStreamer a = loopback.start(CLUSTER, "a", ANY_PORT, Map.of());
        final GroupLink link = a.join("g", at("a", a), new RecordingInbox());
        link.membersChanged(List.of(at("a", a), Member.voter("b", "nowhere"), Member.voter("c", "")));
        assertEquals(2, a.learnedPeers());
        assertEquals(0, a.dialledPeers());
    }
}
