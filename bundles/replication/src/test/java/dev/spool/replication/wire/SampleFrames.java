package dev.spool.replication.wire;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.AppendResponse;
import dev.spool.api.spi.raft.ForwardOutcome;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.ForwardResult;
import dev.spool.api.spi.raft.Heartbeat;
import dev.spool.api.spi.raft.HeartbeatResponse;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.raft.MembershipEntry;
import dev.spool.api.spi.raft.ReadIndexRequest;
import dev.spool.api.spi.raft.ReadIndexResponse;
import dev.spool.api.spi.raft.SnapshotResponse;
import dev.spool.api.spi.raft.TimeoutNow;
import dev.spool.api.spi.raft.VoteRequest;
import dev.spool.api.spi.raft.VoteResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Frames of every type with ordinary and edge values, shared by the round-trip tests and the fuzz corpus. */
final class SampleFrames {

    static final String SENDER = "m1";
    static final String RECEIVER = "m2";
    static final String GROUP = "default";
    static final long MAX = Long.MAX_VALUE;
    /** A group id of the longest length (255 characters), with characters of 1 to 4 UTF-8 bytes. */
    static final String LONG_GROUP = "é€😀a".repeat(WireLimits.MAX_GROUP_ID_LENGTH / 5);

    private SampleFrames() {}

    static Membership membership(int members) {
        final var list = new ArrayList<Member>();
        for (int i = 0; i < members; i++) {
            list.add(new Member("member-" + i, i % 3 == 0, "10.0.0." + (i % 256) + ":" + (7000 + i)));
        }
        return new Membership(list);
    }

    /** A byte range standing in for journal records (the codec does not look inside them). */
    static ByteBuf records(int count) {
        final byte[] bytes = new byte[count * 40];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 31);
        }
        return Unpooled.wrappedBuffer(bytes);
    }

    /** Every frame type, keyed by the fuzz target name it seeds; several samples per type. */
    static Map<String, List<Frame>> byTarget() {
        final var frames = new LinkedHashMap<String, List<Frame>>();
        final var widest = new Membership(List.of(
                new Member("é".repeat(Member.MAX_ID_LENGTH), true, "€".repeat(Member.MAX_ADDRESS_LENGTH)),
                Member.learner("x", "")));
        frames.put(
                "handshake",
                List.of(
                        new Handshake("cluster-a", SENDER, RECEIVER, VersionRange.only(1), VersionRange.only(1)),
                        new Handshake(
                                "c".repeat(WireLimits.MAX_CLUSTER_NAME_LENGTH),
                                "é".repeat(Member.MAX_ID_LENGTH),
                                "😀".repeat(Member.MAX_ID_LENGTH / 2),
                                new VersionRange(1, 0xFFFF),
                                new VersionRange(7, 9))));
        frames.put("handshakeAccepted", List.of(new HandshakeAccepted(1, 1), new HandshakeAccepted(0xFFFF, 0xFFFF)));
        frames.put(
                "goodbye",
                List.of(
                        new Goodbye(Goodbye.Reason.SHUTDOWN, ""),
                        new Goodbye(Goodbye.Reason.PROTOCOL_VIOLATION, "€".repeat(WireLimits.MAX_DETAIL_LENGTH)),
                        new Goodbye(Goodbye.Reason.WRONG_CLUSTER, "cluster 'b' is not 'a'")));
        frames.put("keepAlive", List.of(KeepAlive.INSTANCE));
        frames.put(
                "credit",
                List.of(
                        new Credit(GROUP, 1, 1),
                        new Credit(GROUP, 8192, 4 << 20),
                        new Credit(LONG_GROUP, Integer.MAX_VALUE, Integer.MAX_VALUE)));
        frames.put(
                "voteRequest",
                List.of(
                        message(new VoteRequest(SENDER, RECEIVER, 0, 0, 0, false, false)),
                        message(new VoteRequest(SENDER, RECEIVER, MAX, MAX, MAX, true, true)),
                        new GroupMessage(
                                LONG_GROUP,
                                new VoteRequest(SENDER, RECEIVER, 5, 17, 4, true, false),
                                Unpooled.EMPTY_BUFFER)));
        frames.put(
                "voteResponse",
                List.of(
                        message(new VoteResponse(SENDER, RECEIVER, 0, false, false)),
                        message(new VoteResponse(SENDER, RECEIVER, MAX, true, true))));
        frames.put(
                "appendEntries",
                List.of(
                        message(new AppendEntries(SENDER, RECEIVER, 3, 10, 2, 10, 0, 9, List.of())),
                        new GroupMessage(
                                GROUP,
                                new AppendEntries(
                                        SENDER,
                                        RECEIVER,
                                        3,
                                        10,
                                        2,
                                        13,
                                        3,
                                        9,
                                        List.of(
                                                new MembershipEntry(11, membership(3)),
                                                new MembershipEntry(13, widest))),
                                records(3)),
                        new GroupMessage(
                                GROUP,
                                new AppendEntries(SENDER, RECEIVER, MAX, MAX - 1, MAX, MAX, MAX, MAX, List.of()),
                                records(1)),
                        new GroupMessage(
                                GROUP,
                                new AppendEntries(
                                        SENDER,
                                        RECEIVER,
                                        1,
                                        0,
                                        0,
                                        1,
                                        1,
                                        0,
                                        List.of(new MembershipEntry(1, membership(Membership.MAX_MEMBERS)))),
                                records(1))));
        frames.put(
                "appendResponse",
                List.of(
                        message(new AppendResponse(SENDER, RECEIVER, 0, false, 0, 0, 0, false)),
                        message(new AppendResponse(SENDER, RECEIVER, MAX, true, MAX, MAX, MAX, true))));
        frames.put(
                "heartbeat",
                List.of(
                        message(new Heartbeat(SENDER, RECEIVER, 0, 0, 0)),
                        message(new Heartbeat(SENDER, RECEIVER, MAX, MAX, MAX))));
        frames.put(
                "heartbeatResponse",
                List.of(
                        message(new HeartbeatResponse(SENDER, RECEIVER, 0, 0, 0)),
                        message(new HeartbeatResponse(SENDER, RECEIVER, MAX, MAX, MAX))));
        frames.put(
                "installSnapshot",
                List.of(
                        new GroupMessage(
                                GROUP,
                                new InstallSnapshot(SENDER, RECEIVER, 4, 100, 3, membership(3), 0, 0, false),
                                Unpooled.EMPTY_BUFFER),
                        new GroupMessage(
                                GROUP,
                                new InstallSnapshot(SENDER, RECEIVER, MAX, MAX, MAX, widest, MAX - 120, 120, true),
                                records(3))));
        frames.put(
                "snapshotResponse",
                List.of(
                        message(new SnapshotResponse(SENDER, RECEIVER, 0, 0, 0, false)),
                        message(new SnapshotResponse(SENDER, RECEIVER, MAX, MAX, MAX, true))));
        frames.put(
                "timeoutNow",
                List.of(message(new TimeoutNow(SENDER, RECEIVER, 0)), message(new TimeoutNow(SENDER, RECEIVER, MAX))));
        frames.put(
                "forwardProposal",
                List.of(
                        message(new ForwardProposal(SENDER, RECEIVER, 0, 1, 0, 0, 0)),
                        new GroupMessage(
                                GROUP,
                                new ForwardProposal(SENDER, RECEIVER, 7, 42, Long.MIN_VALUE, 3, 120),
                                records(3)),
                        new GroupMessage(
                                LONG_GROUP, new ForwardProposal(SENDER, RECEIVER, MAX, MAX, -1, MAX, 40), records(1))));
        frames.put(
                "forwardResult",
                List.of(
                        message(new ForwardResult(SENDER, RECEIVER, 0, 1, ForwardOutcome.SUCCEEDED, 1)),
                        message(new ForwardResult(SENDER, RECEIVER, MAX, MAX, ForwardOutcome.SUCCEEDED, MAX)),
                        message(new ForwardResult(SENDER, RECEIVER, 3, 9, ForwardOutcome.OUTCOME_UNKNOWN, 0)),
                        message(new ForwardResult(SENDER, RECEIVER, 3, 9, ForwardOutcome.REJECTED, 0))));
        frames.put(
                "readIndexRequest",
                List.of(
                        message(new ReadIndexRequest(SENDER, RECEIVER, 0, 1)),
                        message(new ReadIndexRequest(SENDER, RECEIVER, MAX, MAX))));
        frames.put(
                "readIndexResponse",
                List.of(
                        message(new ReadIndexResponse(SENDER, RECEIVER, 0, 1, ForwardOutcome.SUCCEEDED, 0)),
                        message(new ReadIndexResponse(SENDER, RECEIVER, MAX, MAX, ForwardOutcome.SUCCEEDED, MAX)),
                        message(new ReadIndexResponse(SENDER, RECEIVER, 2, 5, ForwardOutcome.BUSY, 0))));
        return frames;
    }

    static GroupMessage message(dev.spool.api.spi.raft.RaftMessage message) {
        return new GroupMessage(GROUP, message, Unpooled.EMPTY_BUFFER);
    }

    static byte[] encode(Frame frame) {
        final ByteBuf out = Unpooled.buffer();
        new FrameEncoder(WireLimits.DEFAULT).encode(frame, out);
        return ByteBufUtil.getBytes(out);
    }
}
