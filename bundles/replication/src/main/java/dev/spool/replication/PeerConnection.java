package dev.spool.replication;

import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.replication.link.ProtocolViolationException;
import dev.spool.replication.wire.Credit;
import dev.spool.replication.wire.FrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One established connection to a peer and its flow control: the credit each group of this member may still spend
 * on bulk frames to the peer ({@link SendCredit}) and the window each group of this member grants the peer
 * ({@link ReceiveWindow}). Both exist only as long as the connection: a new connection starts with fresh windows.
 *
 * <p>Threads: groups send from their own threads; grants, admissions and windows are handled on the connection's
 * event loop.
 */
final class PeerConnection {

    private final Channel channel;
    private final FrameEncoder encoder;
    private final FlowWindow window;
    private final BurstWriter writer;
    private final Map<String, SendCredit> sendCredits = new ConcurrentHashMap<>();
    /** The event loop's alone. */
    private final Map<String, ReceiveWindow> receiveWindows = new HashMap<>();

    PeerConnection(Channel channel, FrameEncoder encoder, FlowWindow window) {
        this.channel = channel;
        this.encoder = encoder;
        this.window = window;
        this.writer = new BurstWriter(channel);
    }

    /**
     * Returns what a message's frame spends of its group's credit in entries.
     *
     * @param message the message
     * @return the entries of an AppendEntries with records, 1 for an InstallSnapshot chunk, 0 for a message that
     *     spends no credit
     */
    static int creditEntries(RaftMessage message) {
        if (message instanceof AppendEntries) {
            // At most the frame limit over the record header size: an int.
            return (int) ((AppendEntries) message).entryCount();
        }
        return message instanceof InstallSnapshot ? 1 : 0;
    }

    Channel channel() {
        return channel;
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /**
     * Tells whether the connection is open and holds less than its send buffer unsent.
     *
     * @return whether a frame may be queued now
     */
    boolean writable() {
        return channel.isWritable();
    }

    /**
     * Queues a frame that spends no credit (a vote, a heartbeat, a response).
     *
     * @param frame the frame, owned by the connection from now on
     */
    void send(ByteBuf frame) {
        writer.write(frame);
    }

    /**
     * Queues a group's bulk frame if the group has the credit for it; otherwise releases it.
     *
     * @param group the group
     * @param entries the frame's entries (a snapshot chunk counts as one)
     * @param frame the frame, owned by the connection from now on
     * @return whether the frame was queued
     */
    boolean sendBulk(String group, int entries, ByteBuf frame) {
        final SendCredit credit = sendCredits.get(group);
        if (credit == null || !credit.trySpend(entries, frame.readableBytes())) {
            frame.release();
            return false;
        }
        writer.write(frame);
        return true;
    }

    /**
     * Adds the peer's grant to a group's credit. Event loop.
     *
     * @param credit the grant
     * @throws ProtocolViolationException if the credit held would exceed any window
     */
    void credited(Credit credit) throws ProtocolViolationException {
        sendCredits
                .computeIfAbsent(credit.group(), group -> new SendCredit())
                .grant(credit.group(), credit.entries(), credit.bytes());
    }

    /**
     * Grants the peer a group's whole window, unless it was granted on this connection already. Event loop.
     *
     * @param group the group of this member
     */
    void openWindow(String group) {
        if (!receiveWindows.containsKey(group)) {
            final ReceiveWindow opened = new ReceiveWindow(group, this, window);
            receiveWindows.put(group, opened);
            opened.open();
        }
    }

    /**
     * Opens a group's window from any thread: on the event loop, soon.
     *
     * @param group the group of this member
     */
    void openWindowLater(String group) {
        writer.execute(() -> openWindow(group));
    }

    /**
     * Returns the window a group granted the peer, which a received bulk frame of the group is charged to. Event
     * loop.
     *
     * @param group the group the frame names
     * @return the window
     * @throws ProtocolViolationException if no credit was ever granted for the group on this connection
     */
    ReceiveWindow grantedWindow(String group) throws ProtocolViolationException {
        final ReceiveWindow granted = receiveWindows.get(group);
        if (granted == null) {
            throw new ProtocolViolationException(
                    "group " + group + ": a bulk frame without any credit granted for" + " the group");
        }
        return granted;
    }

    /**
     * Sends a grant. Event loop.
     *
     * @param group the group
     * @param granted the packed entries and bytes
     */
    void sendCredit(String group, long granted) {
        if (channel.isActive()) {
            writer.write(encoder.encode(
                    channel.alloc(), new Credit(group, Credits.entries(granted), Credits.bytes(granted))));
        }
    }

    /**
     * Runs a task on the connection's event loop, unless the member is closing.
     *
     * @param task the task
     */
    void execute(Runnable task) {
        writer.execute(task);
    }
}
