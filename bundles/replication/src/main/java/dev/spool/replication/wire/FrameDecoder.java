package dev.spool.replication.wire;

import static dev.spool.replication.wire.WireFormat.APPEND_SUCCESS;
import static dev.spool.replication.wire.WireFormat.APPEND_SUSPECT;
import static dev.spool.replication.wire.WireFormat.HANDSHAKE_MAGIC;
import static dev.spool.replication.wire.WireFormat.LENGTH_PREFIX_BYTES;
import static dev.spool.replication.wire.WireFormat.MEMBER_VOTING;
import static dev.spool.replication.wire.WireFormat.SNAPSHOT_COMPLETE;
import static dev.spool.replication.wire.WireFormat.SNAPSHOT_DONE;
import static dev.spool.replication.wire.WireFormat.VOTE_GRANTED;
import static dev.spool.replication.wire.WireFormat.VOTE_LEADERSHIP_TRANSFER;
import static dev.spool.replication.wire.WireFormat.VOTE_PRE_VOTE;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.journal.RecordDescriptor;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.AppendResponse;
import dev.spool.api.spi.raft.ForwardOutcome;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.ForwardResult;
import dev.spool.api.spi.raft.Heartbeat;
import dev.spool.api.spi.raft.HeartbeatResponse;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.raft.MembershipEntry;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.raft.ReadIndexRequest;
import dev.spool.api.spi.raft.ReadIndexResponse;
import dev.spool.api.spi.raft.SnapshotResponse;
import dev.spool.api.spi.raft.TimeoutNow;
import dev.spool.api.spi.raft.VoteRequest;
import dev.spool.api.spi.raft.VoteResponse;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes one whole frame, treating every byte as hostile: each length, count and string is bounded before it is
 * used, each value a message would refuse is refused here, and any failure is a {@link WireFormatException} naming
 * the frame type, field and offset; no other exception escapes. The format is specified in
 * {@code docs/wire-protocol.md}.
 *
 * <p>The bytes an AppendEntries, InstallSnapshot or ForwardProposal frame carries are handed out as a slice of the
 * frame, not copied. Messages take their sender and receiver from the caller (the members the handshake named), never from the
 * frame, so a peer cannot speak for another member.
 *
 * <p>Not thread-safe: one decoder per connection, used by its event loop.
 */
public final class FrameDecoder {

    private final WireLimits limits;
    private final FrameReader in = new FrameReader();
    /** The group ids this connection carried: every group frame names one, and few distinct ones. */
    private final KnownNames groups = new KnownNames();

    /**
     * Creates a decoder.
     *
     * @param limits the bounds to enforce
     */
    public FrameDecoder(WireLimits limits) {
        this.limits = limits;
    }

    /**
     * Decodes a frame.
     *
     * @param frame exactly one frame, from its length prefix to its end (its readable bytes); read entirely on success
     * @param sender the member the frame comes from, which group messages name as their sender
     * @param receiver the member receiving it, which group messages name as their receiver
     * @return the frame
     * @throws WireFormatException if the bytes are not one well-formed frame
     */
    public Frame decode(ByteBuf frame, String sender, String receiver) throws WireFormatException {
        in.begin(frame);
        final long length = in.readUnsignedInt("length");
        if (length < 1 || length > limits.maxFrameBytes() - LENGTH_PREFIX_BYTES) {
            throw in.malformed(
                    "length",
                    0,
                    "frame length " + length + " outside 1.." + (limits.maxFrameBytes() - LENGTH_PREFIX_BYTES));
        }
        if (length != frame.readableBytes()) {
            throw in.malformed(
                    "length",
                    0,
                    "frame length " + length + " but " + frame.readableBytes() + " bytes follow the prefix");
        }
        final int typeCode = in.readUnsignedByte("type");
        final FrameType type = FrameType.ofCode(typeCode);
        if (type == null) {
            throw in.malformed("type", LENGTH_PREFIX_BYTES, String.format("unknown frame type 0x%02x", typeCode));
        }
        in.typeIs(type);
        final Frame decoded = type.groupScoped()
                ? groupFrame(type, in.readIdentifier("group", WireLimits.MAX_GROUP_ID_LENGTH, groups), sender, receiver)
                : connectionFrame(type);
        in.expectEnd();
        return decoded;
    }

    private Frame connectionFrame(FrameType type) throws WireFormatException {
        switch (type) {
            case HANDSHAKE:
                return handshake();
            case HANDSHAKE_ACCEPTED:
                return new HandshakeAccepted(version("wire version"), version("record format"));
            case GOODBYE:
                return goodbye();
            case KEEP_ALIVE:
                return KeepAlive.INSTANCE;
            default:
                throw new IllegalStateException("not a connection frame type: " + type);
        }
    }

    private Handshake handshake() throws WireFormatException {
        final int at = in.offset();
        final long magic = in.readUnsignedInt("magic");
        if (magic != HANDSHAKE_MAGIC) {
            throw in.malformed("magic", at, String.format("0x%08x is not the Spool wire magic", magic));
        }
        final String cluster = in.readIdentifier("cluster", WireLimits.MAX_CLUSTER_NAME_LENGTH);
        final String initiator = in.readIdentifier("initiator", Member.MAX_ID_LENGTH);
        final String acceptor = in.readIdentifier("acceptor", Member.MAX_ID_LENGTH);
        final VersionRange wire = versionRange("wire versions");
        final VersionRange records = versionRange("record formats");
        return new Handshake(cluster, initiator, acceptor, wire, records);
    }

    private VersionRange versionRange(String field) throws WireFormatException {
        final int at = in.offset();
        final int min = in.readUnsignedShort(field);
        final int max = in.readUnsignedShort(field);
        try {
            return new VersionRange(min, max);
        } catch (IllegalArgumentException e) {
            throw in.invalid(field, at, e);
        }
    }

    private int version(String field) throws WireFormatException {
        final int at = in.offset();
        final int version = in.readUnsignedShort(field);
        if (version == 0) {
            throw in.malformed(field, at, "version 0 does not exist");
        }
        return version;
    }

    private Goodbye goodbye() throws WireFormatException {
        final int at = in.offset();
        final int code = in.readUnsignedByte("reason");
        final Goodbye.Reason reason = Goodbye.Reason.ofCode(code);
        if (reason == null) {
            throw in.malformed("reason", at, "unknown reason code " + code);
        }
        return new Goodbye(reason, in.readString("detail", WireLimits.MAX_DETAIL_LENGTH));
    }

    private Frame groupFrame(FrameType type, String group, String from, String to) throws WireFormatException {
        switch (type) {
            case CREDIT:
                return credit(group);
            case VOTE_REQUEST:
                return message(group, voteRequest(from, to));
            case VOTE_RESPONSE:
                return message(group, voteResponse(from, to));
            case APPEND_ENTRIES:
                return appendEntries(group, from, to);
            case APPEND_RESPONSE:
                return message(group, appendResponse(from, to));
            case HEARTBEAT:
                return message(
                        group,
                        new Heartbeat(
                                from,
                                to,
                                in.readNonNegativeLong("term"),
                                in.readNonNegativeLong("commit index"),
                                in.readNonNegativeLong("context")));
            case HEARTBEAT_RESPONSE:
                return message(
                        group,
                        new HeartbeatResponse(
                                from,
                                to,
                                in.readNonNegativeLong("term"),
                                in.readNonNegativeLong("context"),
                                in.readNonNegativeLong("match index")));
            case INSTALL_SNAPSHOT:
                return installSnapshot(group, from, to);
            case SNAPSHOT_RESPONSE:
                return message(group, snapshotResponse(from, to));
            case TIMEOUT_NOW:
                return message(group, new TimeoutNow(from, to, in.readNonNegativeLong("term")));
            case FORWARD_PROPOSAL:
                return forwardProposal(group, from, to);
            case FORWARD_RESULT:
                return message(group, forwardResult(from, to));
            case READ_INDEX_REQUEST:
                return message(group, new ReadIndexRequest(from, to, in.readNonNegativeLong("term"), requestId()));
            case READ_INDEX_RESPONSE:
                return message(group, readIndexResponse(from, to));
            default:
                throw new IllegalStateException("not a group frame type: " + type);
        }
    }

    private static GroupMessage message(String group, RaftMessage message) {
        return new GroupMessage(group, message, Unpooled.EMPTY_BUFFER);
    }

    private Credit credit(String group) throws WireFormatException {
        final int entries = grant("entries");
        return new Credit(group, entries, grant("bytes"));
    }

    private int grant(String field) throws WireFormatException {
        final int at = in.offset();
        final long grant = in.readUnsignedInt(field);
        if (grant < 1 || grant > Integer.MAX_VALUE) {
            throw in.malformed(
                    field, at, "credit grant of " + grant + " " + field + " outside 1.." + Integer.MAX_VALUE);
        }
        return (int) grant;
    }

    private VoteRequest voteRequest(String from, String to) throws WireFormatException {
        final long term = in.readNonNegativeLong("term");
        final long lastLogIndex = in.readNonNegativeLong("last log index");
        final long lastLogTerm = in.readNonNegativeLong("last log term");
        final int flags = in.readFlags("flags", VOTE_PRE_VOTE | VOTE_LEADERSHIP_TRANSFER);
        return new VoteRequest(
                from,
                to,
                term,
                lastLogIndex,
                lastLogTerm,
                (flags & VOTE_PRE_VOTE) != 0,
                (flags & VOTE_LEADERSHIP_TRANSFER) != 0);
    }

    private VoteResponse voteResponse(String from, String to) throws WireFormatException {
        final long term = in.readNonNegativeLong("term");
        final int flags = in.readFlags("flags", VOTE_PRE_VOTE | VOTE_GRANTED);
        return new VoteResponse(from, to, term, (flags & VOTE_PRE_VOTE) != 0, (flags & VOTE_GRANTED) != 0);
    }

    private AppendResponse appendResponse(String from, String to) throws WireFormatException {
        final long term = in.readNonNegativeLong("term");
        final int flags = in.readFlags("flags", APPEND_SUCCESS | APPEND_SUSPECT);
        return new AppendResponse(
                from,
                to,
                term,
                (flags & APPEND_SUCCESS) != 0,
                in.readNonNegativeLong("match index"),
                in.readNonNegativeLong("conflict term"),
                in.readNonNegativeLong("conflict index"),
                (flags & APPEND_SUSPECT) != 0);
    }

    private SnapshotResponse snapshotResponse(String from, String to) throws WireFormatException {
        final long term = in.readNonNegativeLong("term");
        final long lastIndex = in.readNonNegativeLong("last index");
        final long nextOffset = in.readNonNegativeLong("next offset");
        final int flags = in.readFlags("flags", SNAPSHOT_COMPLETE);
        return new SnapshotResponse(from, to, term, lastIndex, nextOffset, (flags & SNAPSHOT_COMPLETE) != 0);
    }

    private GroupMessage appendEntries(String group, String from, String to) throws WireFormatException {
        final int start = in.offset();
        final long term = in.readNonNegativeLong("term");
        final long prevLogIndex = in.readNonNegativeLong("prev log index");
        final long prevLogTerm = in.readNonNegativeLong("prev log term");
        final long lastIndex = in.readNonNegativeLong("last index");
        final long entryTerm = in.readNonNegativeLong("entry term");
        final long leaderCommit = in.readNonNegativeLong("leader commit");
        if (lastIndex < prevLogIndex) {
            throw in.malformed(
                    "last index", start + 24, "last index " + lastIndex + " below prev log index " + prevLogIndex);
        }
        final long entryCount = lastIndex - prevLogIndex;
        final int countAt = in.offset();
        final int membershipCount = in.readUnsignedShort("membership entry count");
        if (membershipCount > entryCount) {
            throw in.malformed(
                    "membership entry count",
                    countAt,
                    membershipCount + " membership entries in a range of " + entryCount + " entries");
        }
        // Usually none: no list to allocate. Not presized: a hostile count only makes the loop run into the end of
        // the frame.
        final List<MembershipEntry> memberships = membershipCount == 0 ? List.of() : new ArrayList<>();
        for (int i = 0; i < membershipCount; i++) {
            final int at = in.offset();
            final long index = in.readNonNegativeLong("membership entry index");
            final Membership membership = membership();
            try {
                memberships.add(new MembershipEntry(index, membership));
            } catch (IllegalArgumentException e) {
                throw in.invalid("membership entry index", at, e);
            }
        }
        final int recordsAt = in.offset();
        final ByteBuf records = in.readRest();
        // Each record has at least a header: a count the bytes cannot hold is a lie (and an empty range has none).
        if (entryCount > records.readableBytes() / RecordDescriptor.HEADER_LENGTH
                || (entryCount == 0) != (records.readableBytes() == 0)) {
            throw in.malformed(
                    "records",
                    recordsAt,
                    records.readableBytes() + " record bytes cannot hold " + entryCount + " records");
        }
        try {
            return new GroupMessage(
                    group,
                    new AppendEntries(
                            from, to, term, prevLogIndex, prevLogTerm, lastIndex, entryTerm, leaderCommit, memberships),
                    records);
        } catch (IllegalArgumentException e) {
            throw in.invalid("membership entries", countAt, e);
        }
    }

    private GroupMessage installSnapshot(String group, String from, String to) throws WireFormatException {
        final long term = in.readNonNegativeLong("term");
        final long lastIndex = in.readNonNegativeLong("last index");
        final long lastTerm = in.readNonNegativeLong("last term");
        final int offsetAt = in.offset();
        final long offset = in.readNonNegativeLong("offset");
        final int flags = in.readFlags("flags", SNAPSHOT_DONE);
        final Membership membership = membership();
        final ByteBuf chunk = in.readRest();
        if (offset > Long.MAX_VALUE - chunk.readableBytes()) {
            throw in.malformed(
                    "offset",
                    offsetAt,
                    "chunk of " + chunk.readableBytes() + " bytes at " + offset + " ends beyond the largest offset");
        }
        return new GroupMessage(
                group,
                new InstallSnapshot(
                        from,
                        to,
                        term,
                        lastIndex,
                        lastTerm,
                        membership,
                        offset,
                        chunk.readableBytes(),
                        (flags & SNAPSHOT_DONE) != 0),
                chunk);
    }

    private GroupMessage forwardProposal(String group, String from, String to) throws WireFormatException {
        final long term = in.readNonNegativeLong("term");
        final long requestId = requestId();
        final int sessionAt = in.offset();
        final long sessionId = in.readLong("session id");
        final long sequence = in.readNonNegativeLong("sequence");
        final ByteBuf payload = in.readRest();
        try {
            return new GroupMessage(
                    group,
                    new ForwardProposal(from, to, term, requestId, sessionId, sequence, payload.readableBytes()),
                    payload);
        } catch (IllegalArgumentException e) {
            throw in.invalid("session id", sessionAt, e);
        }
    }

    private ForwardResult forwardResult(String from, String to) throws WireFormatException {
        final long term = in.readNonNegativeLong("term");
        final long requestId = requestId();
        final ForwardOutcome outcome = outcome();
        final int indexAt = in.offset();
        final long index = in.readNonNegativeLong("index");
        try {
            return new ForwardResult(from, to, term, requestId, outcome, index);
        } catch (IllegalArgumentException e) {
            throw in.invalid("index", indexAt, e);
        }
    }

    private ReadIndexResponse readIndexResponse(String from, String to) throws WireFormatException {
        final long term = in.readNonNegativeLong("term");
        final long requestId = requestId();
        final ForwardOutcome outcome = outcome();
        final int indexAt = in.offset();
        final long readIndex = in.readNonNegativeLong("read index");
        try {
            return new ReadIndexResponse(from, to, term, requestId, outcome, readIndex);
        } catch (IllegalArgumentException e) {
            throw in.invalid("read index", indexAt, e);
        }
    }

    private long requestId() throws WireFormatException {
        final int at = in.offset();
        final long requestId = in.readNonNegativeLong("request id");
        if (requestId == 0) {
            throw in.malformed("request id", at, "request id 0 is not used");
        }
        return requestId;
    }

    private ForwardOutcome outcome() throws WireFormatException {
        final int at = in.offset();
        final int code = in.readUnsignedByte("outcome");
        final ForwardOutcome outcome = ForwardOutcome.ofCode(code);
        if (outcome == null) {
            throw in.malformed("outcome", at, "unknown outcome code " + code);
        }
        return outcome;
    }

    private Membership membership() throws WireFormatException {
        final int countAt = in.offset();
        final int count = in.readUnsignedShort("member count");
        if (count > Membership.MAX_MEMBERS) {
            throw in.malformed(
                    "member count", countAt, count + " members exceed the limit of " + Membership.MAX_MEMBERS);
        }
        final List<Member> members = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            final int at = in.offset();
            final String id = in.readString("member id", Member.MAX_ID_LENGTH);
            final int flags = in.readFlags("member flags", MEMBER_VOTING);
            final String address = in.readString("member address", Member.MAX_ADDRESS_LENGTH);
            try {
                members.add(new Member(id, (flags & MEMBER_VOTING) != 0, address));
            } catch (IllegalArgumentException e) {
                throw in.invalid("member id", at, e);
            }
        }
        try {
            return new Membership(members);
        } catch (IllegalArgumentException e) {
            throw in.invalid("member count", countAt, e);
        }
    }
}
