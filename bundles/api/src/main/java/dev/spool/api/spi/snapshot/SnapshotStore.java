package dev.spool.api.spi.snapshot;

import java.io.IOException;
import java.util.Optional;

/**
 * Keeps the snapshots of Raft groups in one storage location. Published as an OSGi service by the snapshot bundle;
 * may also be constructed directly from plain Java.
 *
 * <p>A group name identifies one group's snapshots: letters, digits, {@code .}, {@code _} and {@code -}, starting
 * with a letter or digit, at most 128 characters. The first time a group is used, whatever a crash left behind
 * (unpublished snapshot files) is removed. After each publication the store keeps the newest snapshots that verify,
 * as many as its retention says, and never deletes the only one that verifies.
 *
 * <p>All methods are thread-safe.
 */
public interface SnapshotStore {

    /**
     * Starts a new snapshot of {@code group}.
     *
     * @param group the group's name
     * @param metadata what the snapshot stands for
     * @return a writer for its bytes, to be committed or closed by the caller
     * @throws IOException if the snapshot file cannot be created
     * @throws IllegalArgumentException if the group name is not valid
     */
    SnapshotWriter create(String group, SnapshotMetadata metadata) throws IOException;

    /**
     * Opens the newest snapshot of {@code group} that verifies: header and body checksums, length. Each newer one that
     * does not verify is skipped and logged with the reason; it stays on disk.
     *
     * @param group the group's name
     * @return the newest valid snapshot, open, to be closed by the caller; empty if there is none
     * @throws IOException if the snapshot directory cannot be read
     * @throws IllegalArgumentException if the group name is not valid
     */
    Optional<Snapshot> latest(String group) throws IOException;

    /**
     * Starts or resumes receiving a snapshot of {@code group} from a leader. Partial bytes of the same descriptor are
     * resumed; partial bytes of any other descriptor are discarded. A receiver open for the group is superseded.
     *
     * @param group the group's name
     * @param descriptor what the leader announced
     * @return the receiver, positioned at the first byte still missing
     * @throws IOException if the partial file cannot be opened or created
     * @throws IllegalArgumentException if the group name is not valid
     */
    SnapshotReceiver receive(String group, SnapshotDescriptor descriptor) throws IOException;
}
