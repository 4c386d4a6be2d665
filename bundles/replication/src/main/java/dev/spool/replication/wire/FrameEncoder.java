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
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.AppendResponse;
import dev.spool.api.spi.raft.ForwardMessage;
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
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.List;

/**
 * Encodes frames in the format of {@code docs/wire-protocol.md}. A message's sender and receiver are not encoded:
 * the connection's handshake fixed them. The encoder refuses (with {@link IllegalArgumentException}) any frame the
 * decoder would refuse, so a member never sends what its peer must reject.
 *
 * <p>Stateless and thread-safe.
 */
public final class FrameEncoder {

    /** What a header buffer starts with; it grows if memberships need more. */
    private static final int HEADER_CAPACITY = 128;

    private final WireLimits limits;

    /**
     * Creates an encoder.
     *
     * @param limits the bounds frames must respect
     */
    public FrameEncoder(WireLimits limits) {
        this.limits = limits;
    }

    /**
     * Encodes a frame, copying the bytes a group message carries; for small frames and tests.
     *
     * @param frame the frame
     * @param out where to append it
     * @throws IllegalArgumentException if the frame breaks a limit of the wire format
     */
    public void encode(Frame frame, ByteBuf out) {
        final ByteBuf attachment =
                frame instanceof GroupMessage ? ((GroupMessage) frame).attachment() : Unpooled.EMPTY_BUFFER;
        writeHeader(frame, attachment.readableBytes(), out);
        out.writeBytes(attachment, attachment.readerIndex(), attachment.readableBytes());
    }

    /**
     * Encodes a frame into a new buffer, copying the bytes a group message carries.
     *
     * @param alloc the allocator of the buffer
     * @param frame the frame
     * @return the frame's bytes, owned by the caller
     * @throws IllegalArgumentException if the frame breaks a limit of the wire format (nothing is left allocated)
     */
    public ByteBuf encode(ByteBufAllocator alloc, Frame frame) {
        final ByteBuf out = alloc.buffer();
        try {
            encode(frame, out);
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Encodes an AppendEntries frame whose records are sent from the journal view itself: the frame is a small
     * pooled header followed by the view's buffer, not copied. The frame owns the view from now on and releases it
     * when Netty releases the frame (after the write succeeded, failed, or was dropped on close), or at once if this
     * method throws.
     *
     * @param alloc the allocator for the header
     * @param group the group
     * @param message the message, whose range the view must cover exactly
     * @param records the records of the range
     * @return the frame, to be written to a channel
     * @throws IllegalArgumentException if the view does not match the range, or the frame would exceed the limit
     */
    public ByteBuf encodeAppendEntries(
            ByteBufAllocator alloc, String group, AppendEntries message, RawRecords records) {
        final ByteBuf header = alloc.directBuffer(HEADER_CAPACITY);
        try {
            if (records.firstIndex() != message.firstIndex() || records.lastIndex() != message.lastIndex()) {
                throw new IllegalArgumentException("records " + records.firstIndex() + ".." + records.lastIndex()
                        + " do not match the range " + message.firstIndex() + ".." + message.lastIndex());
            }
            writeHeader(
                    new GroupMessage(group, message, Unpooled.EMPTY_BUFFER),
                    records.buffer().remaining(),
                    header);
        } catch (RuntimeException e) {
            header.release();
            records.release();
            throw e;
        }
        return new ReleaseHookByteBuf(alloc, header, Unpooled.wrappedBuffer(records.buffer()), records);
    }

    /**
     * Writes a frame's prefix, type and fields; the attached bytes are left to the caller.
     *
     * @param frame the frame
     * @param attachmentBytes how many attached bytes will follow
     * @param out where to write
     */
    private void writeHeader(Frame frame, int attachmentBytes, ByteBuf out) {
        final int start = out.writerIndex();
        out.writeInt(0);
        out.writeByte(frame.type().code());
        if (frame instanceof Handshake) {
            handshake((Handshake) frame, out);
        } else if (frame instanceof HandshakeAccepted) {
            out.writeShort(((HandshakeAccepted) frame).wireVersion());
            out.writeShort(((HandshakeAccepted) frame).recordFormat());
        } else if (frame instanceof Goodbye) {
            out.writeByte(((Goodbye) frame).reason().code());
            writeString(((Goodbye) frame).detail(), WireLimits.MAX_DETAIL_LENGTH, "detail", out);
        } else if (frame instanceof Credit) {
            writeIdentifier(((Credit) frame).group(), WireLimits.MAX_GROUP_ID_LENGTH, "group", out);
            out.writeInt(((Credit) frame).entries());
            out.writeInt(((Credit) frame).bytes());
        } else if (!(frame instanceof KeepAlive)) {
            final GroupMessage message = (GroupMessage) frame;
            writeIdentifier(message.group(), WireLimits.MAX_GROUP_ID_LENGTH, "group", out);
            message(message.message(), attachmentBytes, out);
        }
        final long frameBytes = (long) out.writerIndex() - start + attachmentBytes;
        if (frameBytes > limits.maxFrameBytes()) {
            out.writerIndex(start);
            throw new IllegalArgumentException(frame.type().displayName() + " frame of " + frameBytes
                    + " bytes exceeds the limit of " + limits.maxFrameBytes());
        }
        out.setInt(start, (int) frameBytes - LENGTH_PREFIX_BYTES);
    }

    private static void handshake(Handshake hello, ByteBuf out) {
        out.writeInt(HANDSHAKE_MAGIC);
        writeIdentifier(hello.cluster(), WireLimits.MAX_CLUSTER_NAME_LENGTH, "cluster", out);
        writeIdentifier(hello.initiator(), Member.MAX_ID_LENGTH, "initiator", out);
        writeIdentifier(hello.acceptor(), Member.MAX_ID_LENGTH, "acceptor", out);
        out.writeShort(hello.wireVersions().min());
        out.writeShort(hello.wireVersions().max());
        out.writeShort(hello.recordFormats().min());
        out.writeShort(hello.recordFormats().max());
    }

    private static void message(RaftMessage message, int attachmentBytes, ByteBuf out) {
        if (!(message instanceof AppendEntries
                        || message instanceof InstallSnapshot
                        || message instanceof ForwardProposal)
                && attachmentBytes != 0) {
            throw new IllegalArgumentException(message.getClass().getSimpleName() + " carries no bytes");
        }
        if (message instanceof ForwardMessage && ((ForwardMessage) message).requestId() <= 0) {
            throw new IllegalArgumentException(
                    message.getClass().getSimpleName() + " with request id " + ((ForwardMessage) message).requestId());
        }
        out.writeLong(message.term());
        if (message instanceof VoteRequest) {
            final VoteRequest request = (VoteRequest) message;
            out.writeLong(request.lastLogIndex());
            out.writeLong(request.lastLogTerm());
            out.writeByte(flag(request.preVote(), VOTE_PRE_VOTE)
                    | flag(request.leadershipTransfer(), VOTE_LEADERSHIP_TRANSFER));
        } else if (message instanceof VoteResponse) {
            final VoteResponse response = (VoteResponse) message;
            out.writeByte(flag(response.preVote(), VOTE_PRE_VOTE) | flag(response.granted(), VOTE_GRANTED));
        } else if (message instanceof AppendEntries) {
            appendEntries((AppendEntries) message, attachmentBytes, out);
        } else if (message instanceof AppendResponse) {
            final AppendResponse response = (AppendResponse) message;
            out.writeByte(flag(response.success(), APPEND_SUCCESS) | flag(response.suspect(), APPEND_SUSPECT));
            out.writeLong(response.matchIndex());
            out.writeLong(response.conflictTerm());
            out.writeLong(response.conflictIndex());
        } else if (message instanceof Heartbeat) {
            out.writeLong(((Heartbeat) message).commitIndex());
            out.writeLong(((Heartbeat) message).context());
        } else if (message instanceof HeartbeatResponse) {
            out.writeLong(((HeartbeatResponse) message).context());
            out.writeLong(((HeartbeatResponse) message).matchIndex());
        } else if (message instanceof InstallSnapshot) {
            installSnapshot((InstallSnapshot) message, attachmentBytes, out);
        } else if (message instanceof SnapshotResponse) {
            final SnapshotResponse response = (SnapshotResponse) message;
            out.writeLong(response.lastIndex());
            out.writeLong(response.nextOffset());
            out.writeByte(flag(response.complete(), SNAPSHOT_COMPLETE));
        } else if (message instanceof ForwardProposal) {
            forwardProposal((ForwardProposal) message, attachmentBytes, out);
        } else if (message instanceof ForwardResult) {
            final ForwardResult result = (ForwardResult) message;
            out.writeLong(result.requestId());
            out.writeByte(result.outcome().code());
            out.writeLong(result.index());
        } else if (message instanceof ReadIndexRequest) {
            out.writeLong(((ReadIndexRequest) message).requestId());
        } else if (message instanceof ReadIndexResponse) {
            final ReadIndexResponse response = (ReadIndexResponse) message;
            out.writeLong(response.requestId());
            out.writeByte(response.outcome().code());
            out.writeLong(response.readIndex());
        } else if (!(message instanceof TimeoutNow)) {
            throw new IllegalArgumentException(
                    "not a known Raft message type: " + message.getClass().getName());
        }
    }

    private static void appendEntries(AppendEntries message, int recordBytes, ByteBuf out) {
        if ((message.entryCount() == 0) != (recordBytes == 0)) {
            throw new IllegalArgumentException(recordBytes + " record bytes for " + message.entryCount() + " entries");
        }
        out.writeLong(message.prevLogIndex());
        out.writeLong(message.prevLogTerm());
        out.writeLong(message.lastIndex());
        out.writeLong(message.entryTerm());
        out.writeLong(message.leaderCommit());
        if (message.memberships().size() > Math.min(message.entryCount(), 0xFFFF)) {
            throw new IllegalArgumentException(message.memberships().size() + " membership entries in a range of "
                    + message.entryCount() + " entries");
        }
        final List<MembershipEntry> memberships = message.memberships();
        out.writeShort(memberships.size());
        // Indexed: no iterator per AppendEntries (the list is random-access and nearly always empty).
        for (int i = 0; i < memberships.size(); i++) {
            out.writeLong(memberships.get(i).index());
            membership(memberships.get(i).membership(), out);
        }
    }

    private static void installSnapshot(InstallSnapshot message, int chunkBytes, ByteBuf out) {
        if (message.length() != chunkBytes) {
            throw new IllegalArgumentException(
                    "chunk of " + chunkBytes + " bytes for a declared length of " + message.length());
        }
        out.writeLong(message.lastIndex());
        out.writeLong(message.lastTerm());
        out.writeLong(message.offset());
        out.writeByte(flag(message.done(), SNAPSHOT_DONE));
        membership(message.membership(), out);
    }

    private static void forwardProposal(ForwardProposal message, int payloadBytes, ByteBuf out) {
        if (message.length() != payloadBytes) {
            throw new IllegalArgumentException(
                    "payload of " + payloadBytes + " bytes for a declared length of " + message.length());
        }
        out.writeLong(message.requestId());
        out.writeLong(message.sessionId());
        out.writeLong(message.sequence());
    }

    private static void membership(Membership membership, ByteBuf out) {
        out.writeShort(membership.members().size());
        for (Member member : membership.members()) {
            writeString(member.id(), Member.MAX_ID_LENGTH, "member id", out);
            out.writeByte(flag(member.voting(), MEMBER_VOTING));
            writeString(member.address(), Member.MAX_ADDRESS_LENGTH, "member address", out);
        }
    }

    private static int flag(boolean set, int bit) {
        return set ? bit : 0;
    }

    private static void writeIdentifier(String name, int maxLength, String field, ByteBuf out) {
        final String problem = Identifiers.problem(name, maxLength);
        if (problem != null) {
            throw new IllegalArgumentException(field + " '" + name + "' " + problem);
        }
        writeString(name, maxLength, field, out);
    }

    private static void writeString(String value, int maxLength, String field, ByteBuf out) {
        if (value.length() > maxLength) {
            throw new IllegalArgumentException(field + " longer than " + maxLength + " characters");
        }
        final int lengthAt = out.writerIndex();
        out.writeShort(0);
        final int bytes = ByteBufUtil.writeUtf8(out, value);
        out.setShort(lengthAt, bytes);
    }
}
