package dev.spool.replication;

import dev.spool.api.spi.journal.ReleasableRecords;
import dev.spool.api.spi.raft.AppendEntries;
import io.netty.buffer.ByteBuf;

/**
 * The records of a received AppendEntries, handed to the group without a copy: the view holds a reference to the
 * received frame's bytes, which the group releases (once its log task appended them, or when it drops the message),
 * on any thread. The group keeps the records beyond the delivery call, so the reference is its own. Releasing them
 * also gives their credit back to the group's window, which grants it to the sender again.
 */
final class ReceivedRecords extends ReleasableRecords {

    private final ByteBuf bytes;
    private final ReceiveWindow window;
    private final long charge;

    /**
     * Creates the view.
     *
     * @param message the AppendEntries naming the records (a non-empty range)
     * @param bytes the records, a reference the view takes over
     * @param window the window the frame was charged to
     * @param charge what it was charged
     */
    ReceivedRecords(AppendEntries message, ByteBuf bytes, ReceiveWindow window, long charge) {
        super(bytes.nioBuffer().asReadOnlyBuffer(), message.firstIndex(), message.lastIndex(), message.entryTerm());
        this.bytes = bytes;
        this.window = window;
        this.charge = charge;
    }

    @Override
    protected void releaseMemory() {
        bytes.release();
        window.release(charge);
    }
}
