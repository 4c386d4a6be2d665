package dev.spool.raft.group;

import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.snapshot.SnapshotDescriptor;
import dev.spool.api.spi.snapshot.SnapshotReceiver;
import dev.spool.api.spi.snapshot.SnapshotStore;
import dev.spool.raft.core.RaftCore;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;

/**
 * The follower side of a snapshot transfer: stores the chunks the core hands over into the store's
 * {@link SnapshotReceiver}, and turns whatever a leader's bytes can get wrong into a refusal, never a failure of the
 * group: a chunk without its bytes or with fewer or more than it announces, a first chunk whose header does not
 * describe the announced snapshot, a chunk without its start, one the receiver refuses (a gap, past the announced
 * size), a last chunk that leaves the transfer short or whose whole does not verify, or a store that cannot take
 * the bytes. A refusal discards the partial transfer, logs the leader, snapshot and offset with the reason, and counts;
 * the core then answers the leader so that it restarts the transfer at offset 0.
 *
 * <p>Threads: the core agent's.
 */
final class SnapshotIntake implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(SnapshotIntake.class.getName());

    private final String group;
    private final SnapshotStore snapshots;
    /** The transfer in progress, or {@code null}. */
    private SnapshotReceiver receiver;
    /** The last index of the snapshot the last chunk completed, verified and published; 0 if none. */
    private long published;
    /** Whether the outcome of a chunk is still to be reported to the core, and which. */
    private boolean outcomePending;

    private boolean stored;
    private long refused;

    SnapshotIntake(String group, SnapshotStore snapshots) {
        this.group = group;
        this.snapshots = snapshots;
    }

    /**
     * Stores a chunk; the last one completes the transfer, which the store verifies and publishes. A chunk not
     * stored discards the transfer and is logged and counted. The outcome waits for {@link #reportTo}.
     *
     * @param chunk the chunk, as the core took it
     * @param bytes its bytes, from position to limit, or {@code null} if none arrived with it
     */
    void store(InstallSnapshot chunk, ByteBuffer bytes) {
        outcomePending = true;
        stored = false;
        try {
            final String wrong = accept(chunk, bytes);
            if (wrong == null) {
                stored = true;
                return;
            }
            refuse(chunk, wrong);
        } catch (IOException | RuntimeException e) {
            refuse(chunk, e.toString());
        }
    }

    /**
     * Reports the outcome of the chunk stored last, if not reported yet, to the core, which answers the leader.
     *
     * @param core the group's core, whose Ready holding the store command was advanced
     * @return whether there was an outcome to report
     */
    boolean reportTo(RaftCore core) {
        if (!outcomePending) {
            return false;
        }
        outcomePending = false;
        core.snapshotChunkStored(stored);
        return true;
    }

    /** Stores the chunk; returns what is wrong with it, or {@code null}. */
    private String accept(InstallSnapshot chunk, ByteBuffer bytes) throws IOException {
        if (bytes == null) {
            return "the chunk arrived without its bytes";
        }
        if (bytes.remaining() != chunk.length()) {
            return "the chunk carries " + bytes.remaining() + " bytes, it announces " + chunk.length();
        }
        if (chunk.offset() == 0) {
            closeReceiver();
            final SnapshotDescriptor header = StoredSnapshotHeader.descriptor(bytes.duplicate());
            if (header.lastIndex() != chunk.lastIndex() || header.lastTerm() != chunk.lastTerm()) {
                return "its header describes " + header + ", the leader announced last index " + chunk.lastIndex()
                        + " of term " + chunk.lastTerm();
            }
            receiver = snapshots.receive(group, header);
        }
        if (receiver == null || receiver.descriptor().lastIndex() != chunk.lastIndex()) {
            return "the chunk came without the start of its transfer";
        }
        receiver.accept(chunk.offset(), bytes.duplicate());
        if (chunk.done()) {
            final SnapshotReceiver complete = receiver;
            receiver = null;
            try {
                complete.complete().close();
            } catch (IOException | RuntimeException e) {
                complete.abort();
                throw e;
            }
            published = chunk.lastIndex();
        }
        return null;
    }

    private void refuse(InstallSnapshot chunk, String reason) {
        refused++;
        LOG.log(
                Level.WARNING,
                "group " + group + ": refused the snapshot chunk from leader " + chunk.from()
                        + " of snapshot " + chunk.lastIndex() + " (term " + chunk.lastTerm() + ") at offset "
                        + chunk.offset()
                        + ": " + reason + "; the transfer restarts at offset 0");
        if (receiver != null) {
            try {
                receiver.abort();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "group " + group + ": discarding the refused snapshot transfer failed", e);
            }
            receiver = null;
        }
    }

    /**
     * Confirms the install the core asks for once the last chunk was stored.
     *
     * @param lastIndex the last index of the snapshot the core installs
     * @throws IllegalStateException if the last stored chunk did not publish that snapshot: the core and this
     *     intake are out of step, which no input can cause
     */
    void install(long lastIndex) {
        if (published != lastIndex) {
            throw new IllegalStateException("group " + group + ": install of snapshot " + lastIndex + ", but "
                    + (published == 0 ? "none was received" : "snapshot " + published + " was"));
        }
        published = 0;
    }

    /** @return the chunks refused so far */
    long refused() {
        return refused;
    }

    /** Stops the transfer in progress, keeping its bytes for a resumed one. */
    @Override
    public void close() throws IOException {
        closeReceiver();
    }

    private void closeReceiver() throws IOException {
        if (receiver != null) {
            final SnapshotReceiver open = receiver;
            receiver = null;
            open.close();
        }
    }
}
