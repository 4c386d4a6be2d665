package dev.spool.replication;

import static dev.spool.replication.Loopback.member;
import static dev.spool.replication.Loopback.sendWhenCredited;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.Heartbeat;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.replication.wire.Credit;
import dev.spool.replication.wire.Frame;
import dev.spool.replication.wire.Goodbye;
import dev.spool.replication.wire.GroupMessage;
import dev.spool.testing.LogCapture;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Per-group credit between streamers on loopback, and against a raw peer that breaks the rules. */
@Timeout(60)
@ExtendWith(LeakDetection.class)
class CreditFlowTest {

    /** A window of 4 entries per group: a few one-entry AppendEntries exhaust it. */
    private static final FlowWindow SMALL = new FlowWindow(4, 64 << 10, 1 << 20);

    private static final byte[] ONE_RECORD = new byte[40];

    private final Loopback loopback = new Loopback();
    private final LogCapture log = loopback.closeLater(new LogCapture(Loopback.PEER_STAGE_LOGGER));

    @AfterEach
    void closeAll() throws Exception {
        loopback.close();
    }

    @Test
    @DisplayName("a group whose follower holds its records stalls alone: its bulk sends fail, another group's flow on")
    void stalledGroupDoesNotStarveAnother() throws Exception {
        final NettyReplicationStreamer b = loopback.acceptingB(settings -> settings.withWindow(SMALL));
        final NettyReplicationStreamer a = loopback.dialingA(b, settings -> settings.withWindow(SMALL));
        final RecordingInbox slow = loopback.closeLater(RecordingInbox.holding());
        final RecordingInbox fast = new RecordingInbox();
        b.join("slow", member("b"), slow);
        b.join("fast", member("b"), fast);
        final GroupLink toSlow = a.join("slow", member("a"), new RecordingInbox());
        final GroupLink toFast = a.join("fast", member("a"), new RecordingInbox());

        sendWhenCredited(toSlow, member("b"), append(1), ONE_RECORD);
        for (long index = 2; index <= SMALL.entries(); index++) {
            assertTrue(toSlow.sendRecords(member("b"), append(index), TestRecords.of(append(index))));
        }
        for (long index = 1; index <= SMALL.entries(); index++) {
            assertEquals(append(index), slow.take().message());
        }
        final long refusedBefore = a.droppedWithoutCredit();
        for (int attempt = 0; attempt < 3; attempt++) {
            final TestRecords refused = TestRecords.of(append(5));
            assertFalse(toSlow.sendRecords(member("b"), append(5), refused), "the window is spent");
            assertEquals(0, 1 - refused.releases(), "a refused view is released at once");
        }
        assertEquals(refusedBefore + 3, a.droppedWithoutCredit());
        // Small messages spend no credit: the stalled group still hears its heartbeats.
        final Heartbeat heartbeat = new Heartbeat("a", "b", 1, 0, 7);
        assertTrue(toSlow.send(member("b"), heartbeat));
        assertEquals(heartbeat, slow.take().message());

        // The other group on the same connection sends three windows' worth meanwhile.
        for (long index = 1; index <= 3L * SMALL.entries(); index++) {
            sendWhenCredited(toFast, member("b"), append(index), ONE_RECORD);
            assertEquals(append(index), fast.take().message());
        }
        assertTrue(slow.received.isEmpty(), "nothing more reached the stalled group");

        // Its log task catches up: the credit comes back and the group resumes.
        slow.releaseHeld();
        sendWhenCredited(toSlow, member("b"), append(5), ONE_RECORD);
        assertEquals(append(5), slow.take().message());
    }

    @Test
    @DisplayName("an AppendEntries larger than the whole window goes when nothing is in flight, and takes all of it")
    void frameLargerThanWindowGoesAlone() throws Exception {
        final NettyReplicationStreamer b = loopback.acceptingB(settings -> settings.withWindow(SMALL));
        final NettyReplicationStreamer a = loopback.dialingA(b, settings -> settings);
        final RecordingInbox inbox = loopback.closeLater(RecordingInbox.holding());
        b.join("g", member("b"), inbox);
        final GroupLink link = a.join("g", member("a"), new RecordingInbox());

        final AppendEntries large = new AppendEntries("a", "b", 1, 0, 0, 10, 1, 0, List.of());
        sendWhenCredited(link, member("b"), large, new byte[10 * 40]);
        assertEquals(large, inbox.take().message());
        assertFalse(
                link.sendRecords(member("b"), append(11), TestRecords.of(append(11))),
                "the large frame took the whole window");
        inbox.releaseHeld();
        sendWhenCredited(link, member("b"), append(11), ONE_RECORD);
        assertEquals(append(11), inbox.take().message());
    }

    @Test
    @DisplayName("a peer sending beyond its credit is disconnected with a logged reason; that frame is not delivered")
    void overrunDisconnects() throws Exception {
        final NettyReplicationStreamer b = loopback.acceptingB(settings -> settings.withWindow(SMALL));
        final RecordingInbox inbox = loopback.closeLater(RecordingInbox.holding());
        b.join("g", member("b"), inbox);
        try (RawPeer a = RawPeer.handshake("a", "b", b.localAddress())) {
            assertEquals(new Credit("g", SMALL.entries(), SMALL.bytes()), a.readOtherThanKeepAlive());
            final AppendEntries within = new AppendEntries("a", "b", 1, 0, 0, 3, 1, 0, List.of());
            a.send(new GroupMessage("g", within, Unpooled.wrappedBuffer(new byte[3 * 40])));
            assertEquals(within, inbox.take().message());

            // One entry of credit is left; this frame carries two.
            final AppendEntries beyond = new AppendEntries("a", "b", 1, 3, 1, 5, 1, 0, List.of());
            a.send(new GroupMessage("g", beyond, Unpooled.wrappedBuffer(new byte[2 * 40])));
            final Goodbye goodbye = assertInstanceOf(Goodbye.class, a.readOtherThanKeepAlive());
            assertEquals(Goodbye.Reason.PROTOCOL_VIOLATION, goodbye.reason());
            assertNull(a.readOtherThanKeepAlive(), "the connection is closed");
            assertTrue(inbox.received.isEmpty(), "nothing of the overrunning frame was delivered");
            final List<String> reasons = log.matching("(PROTOCOL_VIOLATION)");
            assertEquals(1, reasons.size(), String.valueOf(reasons));
            assertTrue(
                    reasons.get(0).startsWith("WARNING closing the connection to member a at ")
                            && reasons.get(0).contains("group g: a frame of 2 entries"),
                    reasons.get(0));
            assertTrue(reasons.get(0).contains("overruns the credit of 1 entries"), reasons.get(0));
        }
    }

    @Test
    @DisplayName("a bulk frame for a group that granted no credit (not joined) is a protocol violation")
    void bulkFrameWithoutCreditDisconnects() throws Exception {
        final NettyReplicationStreamer b = loopback.acceptingB(settings -> settings);
        try (RawPeer a = RawPeer.handshake("a", "b", b.localAddress())) {
            final InstallSnapshot chunk =
                    new InstallSnapshot("a", "b", 1, 10, 1, Membership.of(member("a"), member("b")), 0, 3, false);
            a.send(new GroupMessage("elsewhere", chunk, Unpooled.wrappedBuffer(new byte[3])));
            final Frame answer = a.readOtherThanKeepAlive();
            assertEquals(
                    Goodbye.Reason.PROTOCOL_VIOLATION,
                    assertInstanceOf(Goodbye.class, answer).reason());
            assertTrue(
                    ((Goodbye) answer).detail().contains("group elsewhere: a bulk frame without any credit"),
                    ((Goodbye) answer).detail());
            assertNull(a.readOtherThanKeepAlive());
        }
    }

    /** A one-entry AppendEntries of term 1 for an index. */
    private static AppendEntries append(long index) {
        return new AppendEntries("a", "b", 1, index - 1, index == 1 ? 0 : 1, index, 1, 0, List.of());
    }
}
