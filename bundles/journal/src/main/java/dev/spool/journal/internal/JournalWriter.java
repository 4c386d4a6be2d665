package dev.spool.journal.internal;

import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.group.Durability;
import dev.spool.api.spi.journal.EntryTooLargeException;
import dev.spool.api.spi.journal.EntryWriter;
import dev.spool.api.spi.journal.RecordDescriptor;
import dev.spool.api.spi.journal.RejectedRecordsException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The single writer of a {@link SegmentedJournal}, and the owner of everything that changes its content: appends,
 * rolls, truncation, compaction, reset. Confined to one thread.
 *
 * <p>An append streams the payload through an {@link MappedEntrySink} straight into the active segment, then writes
 * the record header with the checksum last, indexes the record and publishes its index. Durability bookkeeping is a
 * range of the active segment not yet forced, plus the sealed segments rolled since the last force: one force per
 * flush point covers them all (group commit). Nothing on the append path forces, unless asked to by an
 * always-durable record.
 */
final class JournalWriter implements EntryWriter {
    private final SegmentedJournal journal;
    private final Durability durability;
    private final int maxEntrySize;
    private final MappedEntrySink sink;
    private final CRC32C crc = new CRC32C();
    /** Sealed segments with unforced bytes (each knows where its unforced range starts). */
    private final List<Segment> unforcedSealed = new ArrayList<>();

    private Segment active;
    private ByteBuffer buffer;
    private ByteBuffer checksumView;
    private int writeOffset;
    private long nextIndex;
    private long lastTerm;
    private int unforcedFrom;
    private int unforcedTo;
    private boolean directoryChanged;
    private long forces;

    JournalWriter(SegmentedJournal journal, Segment active, long nextIndex, long lastTerm) {
        this.journal = journal;
        this.durability = journal.spec().durability();
        this.maxEntrySize = journal.spec().maxEntrySize();
        this.sink = new MappedEntrySink(this, maxEntrySize);
        this.nextIndex = nextIndex;
        this.lastTerm = lastTerm;
        activate(active, active.dataEnd());
        this.unforcedFrom = writeOffset;
        this.unforcedTo = writeOffset;
    }

    private void activate(Segment segment, int offset) {
        active = segment;
        buffer = segment.buffer();
        checksumView = buffer.duplicate();
        writeOffset = offset;
    }

    @Override
    public long nextIndex() {
        return nextIndex;
    }

    @Override
    public <T> long append(long term, PayloadCodec<T> codec, T payload) throws IOException {
        return appendEntry(term, codec, payload, 0);
    }

    @Override
    public <T> long appendDurable(long term, PayloadCodec<T> codec, T payload) throws IOException {
        long index = appendEntry(term, codec, payload, RecordDescriptor.FLAG_DURABLE);
        forceAll();
        return index;
    }

    private <T> long appendEntry(long term, PayloadCodec<T> codec, T payload, int flags) throws IOException {
        journal.checkOpen();
        if (term < lastTerm) {
            throw new IllegalArgumentException("term " + term + " is below the last entry's term " + lastTerm);
        }
        int size = codec.encodedSize(payload);
        if (size > maxEntrySize) {
            throw new EntryTooLargeException(size, maxEntrySize);
        }
        // Roll first if the known size does not fit, or not even the record header does.
        if ((long) writeOffset + RecordDescriptor.HEADER_LENGTH + Math.max(size, 0) > active.size()) {
            roll();
        }
        sink.begin(buffer, writeOffset + RecordDescriptor.HEADER_LENGTH, active.size());
        try {
            codec.encode(payload, sink);
        } catch (IOException | RuntimeException | Error e) {
            sink.abandon();
            throw e;
        }
        return commit(writeOffset, RecordDescriptor.HEADER_LENGTH + sink.position(), term, flags);
    }

    /** Writes the record header (checksum last), indexes the record and publishes it. */
    private long commit(int offset, int length, long term, int flags) {
        ByteBuffer target = buffer;
        long index = nextIndex;
        target.putInt(offset + RecordDescriptor.LENGTH_OFFSET, length);
        target.putLong(offset + RecordDescriptor.INDEX_OFFSET, index);
        target.putLong(offset + RecordDescriptor.TERM_OFFSET, term);
        target.putInt(offset + RecordDescriptor.FLAGS_OFFSET, flags);
        target.putInt(
                offset + RecordDescriptor.CRC_OFFSET, RecordDescriptor.checksum(crc, checksumView, offset, length));
        active.addRecord(offset, length, term);
        writeOffset = offset + length;
        lastTerm = term;
        nextIndex = index + 1;
        journal.publishLastIndex(index);
        return index;
    }

    /**
     * Called by the sink when the payload outgrew the space left in the segment: rolls, and moves the bytes written
     * so far to the new segment, once. The old segment's copy is zeroed so its tail stays clean.
     */
    void moveEntryToNextSegment() throws IOException {
        ByteBuffer oldBuffer = buffer;
        int oldPayload = writeOffset + RecordDescriptor.HEADER_LENGTH;
        int written = sink.position();
        roll();
        int newPayload = writeOffset + RecordDescriptor.HEADER_LENGTH;
        buffer.put(newPayload, oldBuffer, oldPayload, written);
        Zeros.fill(oldBuffer, oldPayload, oldPayload + written);
        sink.relocate(buffer, newPayload, active.size());
    }

    @Override
    public long appendRaw(ByteBuffer records) throws IOException {
        return appendRaw(records, true);
    }

    @Override
    public long appendRawVerified(ByteBuffer records) throws IOException {
        return appendRaw(records, false);
    }

    private long appendRaw(ByteBuffer records, boolean verifyChecksums) throws IOException {
        journal.checkOpen();
        int durableRecords = checkRaw(records, verifyChecksums);
        int offset = records.position();
        int end = records.limit();
        while (offset < end) {
            int length = records.getInt(offset + RecordDescriptor.LENGTH_OFFSET);
            if (writeOffset + length > active.size()) {
                roll();
            }
            buffer.put(writeOffset, records, offset, length);
            long term = records.getLong(offset + RecordDescriptor.TERM_OFFSET);
            active.addRecord(writeOffset, length, term);
            writeOffset += length;
            lastTerm = term;
            journal.publishLastIndex(nextIndex++);
            offset += length;
        }
        records.position(end);
        if (durableRecords > 0) {
            forceAll();
        }
        return nextIndex - 1;
    }

    /**
     * Verifies a batch of raw records completely before any is appended (their checksums only if asked: a caller
     * may have verified them); returns how many are always-durable.
     */
    private int checkRaw(ByteBuffer records, boolean verifyChecksums) throws IOException {
        ByteBuffer view = records.duplicate();
        int offset = records.position();
        int end = records.limit();
        long expected = nextIndex;
        long term = lastTerm;
        int durableRecords = 0;
        while (offset < end) {
            String problem = RecordDescriptor.headerProblem(records, offset, end, expected);
            int length = problem == null ? records.getInt(offset + RecordDescriptor.LENGTH_OFFSET) : 0;
            if (problem == null && length - RecordDescriptor.HEADER_LENGTH > maxEntrySize) {
                throw new EntryTooLargeException(length - RecordDescriptor.HEADER_LENGTH, maxEntrySize);
            }
            long recordTerm = problem == null ? records.getLong(offset + RecordDescriptor.TERM_OFFSET) : 0;
            if (problem == null && recordTerm < term) {
                problem = "term " + recordTerm + " goes below the previous term " + term;
            }
            if (problem == null
                    && verifyChecksums
                    && records.getInt(offset + RecordDescriptor.CRC_OFFSET)
                            != RecordDescriptor.checksum(crc, view, offset, length)) {
                problem = "record checksum mismatch";
            }
            if (problem != null) {
                throw new RejectedRecordsException(journal.name(), expected, offset - records.position(), problem);
            }
            durableRecords += records.getInt(offset + RecordDescriptor.FLAGS_OFFSET) & RecordDescriptor.FLAG_DURABLE;
            term = recordTerm;
            expected++;
            offset += length;
        }
        return durableRecords;
    }

    @Override
    public long flush() throws IOException {
        journal.checkOpen();
        if (durability == Durability.SYNC) {
            forceAll();
        }
        return nextIndex - 1;
    }

    /** Forces everything written and zeroed since the last force: the sealed segments rolled since, then the active. */
    private void forceAll() throws IOException {
        forces++;
        for (int i = 0; i < unforcedSealed.size(); i++) {
            Segment sealed = unforcedSealed.get(i);
            int from = sealed.unforcedFrom();
            if (!sealed.retired() && sealed.dataEnd() > from) {
                sealed.buffer().force(from, sealed.dataEnd() - from);
            }
        }
        unforcedSealed.clear();
        int to = Math.max(unforcedTo, writeOffset);
        if (to > unforcedFrom) {
            active.buffer().force(unforcedFrom, to - unforcedFrom);
        }
        unforcedFrom = writeOffset;
        unforcedTo = writeOffset;
        if (directoryChanged) {
            journal.syncDirectory();
            directoryChanged = false;
        }
    }

    /** How many times the journal was forced (each force covering everything written before it). */
    long forces() {
        return forces;
    }

    /** Seals the active segment and continues in the prepared next one. */
    private void roll() throws IOException {
        Segment next = journal.nextSegment(nextIndex);
        Segment old = active;
        old.seal(nextIndex - 1);
        unforcedSealed.removeIf(Segment::retired);
        old.unforcedFrom(unforcedFrom);
        unforcedSealed.add(old);
        Segment[] current = journal.segments();
        Segment[] grown = Arrays.copyOf(current, current.length + 1);
        grown[current.length] = next;
        journal.publishSegments(grown);
        activate(next, SegmentHeader.SIZE);
        unforcedFrom = 0;
        unforcedTo = SegmentHeader.SIZE;
        directoryChanged = true;
    }

    void truncateAfter(long index) throws IOException {
        long first = journal.firstIndex();
        if (index < first - 1) {
            throw new IllegalArgumentException(
                    "cannot truncate after " + index + ": entries before " + first + " were compacted away");
        }
        if (index >= nextIndex - 1) {
            return;
        }
        long firstRemoved = index + 1;
        Segment[] current = journal.segments();
        int keep = Arrays.asList(current).indexOf(SegmentedJournal.find(current, firstRemoved));
        Segment target = current[keep];
        int cut = target.offsetOf(firstRemoved);
        // A sealed segment may hold bytes past what could be indexed (a damaged record and what followed it):
        // zero up to its last non-zero byte, so nothing removed can ever be walked into again.
        int oldEnd = target == active ? writeOffset : Zeros.endOfNonZero(target.buffer(), cut, target.size());
        long newLastTerm = index < first
                ? 0
                : index >= target.firstIndex() ? target.termOf(index) : current[keep - 1].termOf(index);

        journal.publishLastIndex(index);
        // Later segments go first, newest first: a crash part way leaves a consistent, longer log.
        if (keep < current.length - 1) {
            journal.publishSegments(Arrays.copyOf(current, keep + 1));
            for (int i = current.length - 1; i > keep; i--) {
                current[i].retire();
                Files.deleteIfExists(current[i].file());
            }
            directoryChanged = true;
        }
        journal.entriesRemoved();
        Zeros.fill(target.buffer(), cut, oldEnd);
        target.truncateFrom(firstRemoved);

        if (target == active) {
            unforcedFrom = Math.min(unforcedFrom, cut);
            unforcedTo = Math.max(unforcedTo, oldEnd);
        } else {
            unforcedFrom = unforcedSealed.remove(target) ? Math.min(cut, target.unforcedFrom()) : cut;
            unforcedTo = oldEnd;
            activate(target, cut);
        }
        writeOffset = cut;
        nextIndex = firstRemoved;
        lastTerm = newLastTerm;
        for (int i = current.length - 1; i > keep; i--) {
            current[i].release();
        }
        if (durability == Durability.SYNC) {
            // At once, not at the next flush point: a removed record left on disk behind a new, torn one would pass
            // for flushed data that recovery must not drop, and the journal would refuse to open.
            forceAll();
        }
    }

    void compactBefore(long index) throws IOException {
        Segment[] current = journal.segments();
        int remove = 0;
        while (remove < current.length - 1 && current[remove + 1].firstIndex() <= index) {
            remove++;
        }
        if (remove == 0) {
            return;
        }
        journal.publishSegments(Arrays.copyOfRange(current, remove, current.length));
        directoryChanged = true;
        try {
            for (int i = 0; i < remove; i++) {
                journal.retireForReuse(current[i]);
            }
        } finally {
            for (int i = 0; i < remove; i++) {
                current[i].release();
            }
        }
    }

    void resetTo(long newNextIndex, long newEpoch) throws IOException {
        if (newNextIndex < 1) {
            throw new IllegalArgumentException("next index " + newNextIndex + " is below 1");
        }
        Segment fresh = journal.nextSegment(newEpoch, newNextIndex);
        fresh.buffer().force(0, SegmentHeader.SIZE);
        journal.syncDirectory();
        // The new epoch wins at the next open even if a crash leaves older segments behind.
        Segment[] old = journal.segments();
        journal.publishSegments(new Segment[] {fresh});
        journal.entriesRemoved();
        journal.publishLastIndex(newNextIndex - 1);
        activate(fresh, SegmentHeader.SIZE);
        unforcedSealed.clear();
        unforcedFrom = SegmentHeader.SIZE;
        unforcedTo = SegmentHeader.SIZE;
        nextIndex = newNextIndex;
        lastTerm = 0;
        try {
            for (Segment segment : old) {
                segment.retire();
                Files.deleteIfExists(segment.file());
            }
            journal.syncDirectory();
        } finally {
            for (Segment segment : old) {
                segment.release();
            }
        }
    }
}
