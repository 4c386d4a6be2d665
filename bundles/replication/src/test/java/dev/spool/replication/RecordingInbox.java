package dev.spool.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.replication.GroupInbox;
import dev.spool.api.spi.replication.ReceivedBytes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * An inbox that keeps what arrives, copying the bytes. It releases received records at once, as a group whose log
 * task keeps up does, or, {@linkplain #holding() holding}, keeps them until {@link #releaseHeld()}, as a group whose
 * log task fell behind does. Closing it releases what it holds, as a stopping group does.
 */
final class RecordingInbox implements GroupInbox, AutoCloseable {

    /** A received message with a copy of its bytes. */
    record Received(RaftMessage message, byte[] bytes) {}

    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final boolean holds;
    private final List<RawRecords> held = new ArrayList<>();

    RecordingInbox() {
        this(false);
    }

    private RecordingInbox(boolean holds) {
        this.holds = holds;
    }

    /** Returns an inbox that keeps received records unreleased until {@link #releaseHeld()}. */
    static RecordingInbox holding() {
        return new RecordingInbox(true);
    }

    Received take() throws InterruptedException {
        return received.take();
    }

    /** Releases the records held so far, as a group does once its log task appended them. */
    synchronized void releaseHeld() {
        held.forEach(RawRecords::release);
        held.clear();
    }

    @Override
    public void close() {
        releaseHeld();
    }

    @Override
    public boolean deliver(RaftMessage message) {
        return received.add(new Received(message, new byte[0]));
    }

    @Override
    public synchronized boolean deliverRecords(RaftMessage message, RawRecords records) {
        final AppendEntries append = (AppendEntries) message;
        assertEquals(append.firstIndex(), records.firstIndex());
        assertEquals(append.lastIndex(), records.lastIndex());
        assertEquals(append.entryTerm(), records.lastTerm());
        final byte[] bytes = new byte[records.buffer().remaining()];
        records.buffer().duplicate().get(bytes);
        if (holds) {
            held.add(records);
        } else {
            records.release();
        }
        return received.add(new Received(message, bytes));
    }

    @Override
    public boolean deliverSnapshotChunk(RaftMessage message, ReceivedBytes chunk) {
        return received.add(new Received(message, copyAndRelease(chunk)));
    }

    @Override
    public boolean deliverForwardedProposal(ForwardProposal message, ReceivedBytes payload) {
        return received.add(new Received(message, copyAndRelease(payload)));
    }

    private static byte[] copyAndRelease(ReceivedBytes bytes) {
        final byte[] copy = new byte[bytes.buffer().remaining()];
        bytes.buffer().duplicate().get(copy);
        bytes.release();
        return copy;
    }
}
