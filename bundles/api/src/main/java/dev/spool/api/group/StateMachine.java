package dev.spool.api.group;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The application's replicated state: the group applies every committed entry to it, in log order, exactly once
 * per member run (a restart rebuilds it from the latest snapshot and the log after it). Published by the
 * application as an OSGi service with the property {@value RaftGroup#GROUP_PROPERTY} naming its group.
 *
 * <p>Threads: every method runs on the group's apply thread, one at a time, so the state machine needs no lock for
 * its own writes; readers on other threads (after a {@link RaftGroup#readBarrier read barrier}) need the state to
 * be safely published (a concurrent map, volatile fields). The apply thread serves every group of the member: a
 * method must not block on anything but its own computation and must never call back into the group with a waiting
 * deadline. {@link #apply} must be deterministic: the same entries give the same state on every member.
 *
 * @param <T> the payload type, which the group's {@link dev.spool.api.codec.PayloadCodec} encodes
 */
public interface StateMachine<T> {

    /**
     * Applies one committed entry. For an entry proposed on this member while it leads, the payload is the object
     * the client proposed (not decoded); for every other entry (a follower's, one a follower forwarded to this
     * leader, one recovered after a restart) it is decoded from the journal, and is valid only during the call if
     * the codec reuses its objects ({@link dev.spool.api.codec.PayloadCodec#decode}). Keep a copy of what outlives
     * the call, not the payload.
     *
     * @param index the entry's index
     * @param payload the entry's payload
     * @return the result handed to the proposer's {@link ProposalCallback#applied}; may be {@code null}
     */
    Object apply(long index, T payload);

    /**
     * Writes the whole state to {@code out}, between two applies: the snapshot then stands for every entry applied
     * so far. Must not close the stream.
     *
     * @param out where to write
     * @throws IOException if the stream fails
     */
    void writeSnapshot(OutputStream out) throws IOException;

    /**
     * Replaces the whole state by what {@link #writeSnapshot} wrote.
     *
     * @param in the snapshot's bytes, checked by the snapshot store
     * @param formatVersion the {@link #snapshotFormatVersion()} of the state machine that wrote it
     * @throws IOException if the bytes cannot be read or are not a snapshot of this state machine
     */
    void restore(InputStream in, int formatVersion) throws IOException;

    /** Forgets all state: the group is about to replay its log from the start (there is no snapshot). */
    void reset();

    /**
     * Returns the version of the snapshot encoding {@link #writeSnapshot} produces.
     *
     * @return the version, 0 unless the encoding changed
     */
    default int snapshotFormatVersion() {
        return 0;
    }
}
