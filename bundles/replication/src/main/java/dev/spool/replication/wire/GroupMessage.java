package dev.spool.replication.wire;

import dev.spool.api.spi.raft.RaftMessage;
import io.netty.buffer.ByteBuf;
import java.util.Objects;

/**
 * A Raft message of one group, with the bytes the transport attaches to it: for an
 * {@link dev.spool.api.spi.raft.AppendEntries} the raw journal records of its range, for an
 * {@link dev.spool.api.spi.raft.InstallSnapshot} the chunk's bytes, for a
 * {@link dev.spool.api.spi.raft.ForwardProposal} the proposal's encoded payload, for every other message nothing.
 *
 * <p>A decoded message's attachment is a slice of the received frame (no copy): it is valid only while the frame
 * is handled; a consumer that keeps it longer retains it.
 *
 * @param group the group the message belongs to
 * @param message the message; its sender and receiver are the members the connection's handshake named
 * @param attachment the attached bytes, empty if the message carries none
 */
public record GroupMessage(String group, RaftMessage message, ByteBuf attachment) implements Frame {

    /** Checks that nothing is missing. */
    public GroupMessage {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(attachment, "attachment");
    }

    @Override
    public FrameType type() {
        return FrameType.of(message);
    }
}
