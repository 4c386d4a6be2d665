package dev.spool.api.spi.replication;

import java.nio.ByteBuffer;

/**
 * Bytes a peer sent that outlive the call delivering them: an InstallSnapshot chunk, or the payload of a proposal a
 * follower forwarded. The transport hands them to a group, which then owns them: it reads them on whichever thread it
 * likes (a snapshot store, a journal writer) and gives them back with {@link #release()} once it is done, on any
 * thread. What the transport holds for them (its receive buffer, the sender's flow-control credit) is returned only
 * then, so a group that falls behind holds up its own sender and nothing else.
 *
 * <p>The rule for every holder: release exactly once, on every path (stored, written, refused, dropped, stopped);
 * never touch {@link #buffer()} after releasing. Releasing is idempotent, so a holder that cannot tell whether
 * another path released already may release again.
 */
public interface ReceivedBytes extends AutoCloseable {

    /**
     * Returns the bytes: a read-only buffer whose position and limit enclose them exactly. Each call returns the same
     * buffer; the holder may move its position and limit (a duplicate leaves them alone).
     *
     * @return the bytes, valid until {@link #release()}
     */
    ByteBuffer buffer();

    /** Gives the bytes back to the transport; the first call does, later ones do nothing. Any thread. */
    void release();

    /** Same as {@link #release()}. */
    @Override
    default void close() {
        release();
    }
}
