package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.api.spi.snapshot.Snapshot;
import dev.spool.api.spi.snapshot.SnapshotStore;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The leader side of a snapshot transfer (the follower side is {@link SnapshotIntake}): sends each chunk the core
 * asks for, read from the stored snapshot it offers, which stays open while the core sends it. If the store's latest
 * snapshot is not the one offered, nothing is sent: the core moves on to a newer one.
 *
 * <p>Threads: the core agent only.
 */
final class SnapshotSender implements AutoCloseable {

    private final String group;
    private final SnapshotStore snapshots;
    private final GroupLink link;
    /** The stored snapshot being sent, or {@code null}. */
    private Snapshot outgoing;

    /**
     * @param context the group's context: its name and snapshot store
     * @param link the group's transport; not {@code null}
     */
    SnapshotSender(GroupContext<?> context, GroupLink link) {
        this.group = context.group;
        this.snapshots = context.snapshots;
        this.link = link;
    }

    /** Sends a chunk of the stored snapshot to {@code to}; nothing if the store's latest is not the one offered. */
    void send(Member to, InstallSnapshot chunk) throws IOException {
        if (outgoing == null || outgoing.metadata().lastIndex() != chunk.lastIndex()) {
            if (outgoing != null) {
                outgoing.close();
            }
            outgoing = snapshots.latest(group).orElse(null);
            if (outgoing == null || outgoing.metadata().lastIndex() != chunk.lastIndex()) {
                return; // the core offers a snapshot the store no longer holds: it moves on to a newer one
            }
        }
        final ByteBuffer bytes = ByteBuffer.allocate((int) chunk.length());
        while (bytes.hasRemaining() && outgoing.read(chunk.offset() + bytes.position(), bytes) > 0) {
            // read until the chunk is whole
        }
        link.sendSnapshotChunk(to, chunk, bytes.flip());
    }

    /** Closes the snapshot being sent. */
    @Override
    public void close() throws IOException {
        if (outgoing != null) {
            final Snapshot open = outgoing;
            outgoing = null;
            open.close();
        }
    }
}
