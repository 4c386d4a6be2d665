package dev.spool.journal.internal;

import dev.spool.api.journal.CorruptJournalException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * One mapped segment file: its header, its records' offset index, and a reference count that decides when the
 * mapping may be unmapped.
 *
 * <p>The journal holds one reference while the segment belongs to it; every reader positioned in it and every raw
 * view over it holds another. The mapping is unmapped when the last reference is released, never earlier, so no
 * thread ever touches an unmapped region. A segment is <em>active</em> (the writer appends to it; its last index is
 * the journal's) or <em>sealed</em> (its last index is fixed). A sealed segment found at open is indexed lazily, on
 * first use, by walking its record headers; a record that cannot be walked is remembered and reported as a
 * {@link CorruptJournalException} to whoever asks for it or anything after it.
 *
 * <p>The last release hands the segment to its owner's reclaimer (the service's preparer thread), which unmaps it,
 * or keeps its file and mapping for reuse if it was {@linkplain #retireForReuse compacted}.
 */
public final class Segment {
    private static final long ACTIVE = Long.MAX_VALUE;

    private final Path file;
    private final SegmentHeader header;
    private final MappedByteBuffer map;
    private final SegmentIndex index;
    private final Consumer<Segment> reclaimer;
    private final AtomicInteger references = new AtomicInteger(1);

    private volatile long lastIndex;
    private volatile boolean indexed;
    private int dataEnd = SegmentHeader.SIZE;
    private long failureOffset = -1;
    private String failureReason;
    private boolean retired;
    private int unforcedFrom;
    private Path reuseFile;

    private Segment(Path file, SegmentHeader header, MappedByteBuffer map, SegmentIndex index, long lastIndex,
            boolean indexed, Consumer<Segment> reclaimer) {
        this.file = file;
        this.header = header;
        this.map = map;
        this.index = index;
        this.lastIndex = lastIndex;
        this.indexed = indexed;
        this.reclaimer = reclaimer;
    }

    /**
     * Wraps a new segment whose header is written into {@code map}: it becomes the active segment.
     *
     * @param index an empty offset index
     * @param reclaimer takes the segment when its last reference is released
     */
    static Segment createActive(Path file, SegmentHeader header, MappedByteBuffer map, SegmentIndex index,
            Consumer<Segment> reclaimer) {
        return new Segment(file, header, map, index, ACTIVE, true, reclaimer);
    }

    /** Wraps a sealed segment found at open, whose last index is known from the segment after it. */
    static Segment openSealed(Path file, SegmentHeader header, MappedByteBuffer map, long lastIndex,
            Consumer<Segment> reclaimer) {
        return new Segment(file, header, map, new SegmentIndex(), lastIndex, false, reclaimer);
    }

    /**
     * Wraps the last segment found at open: scans its records, verifying every checksum, up to the first one that
     * is torn, corrupt, or whose index or term goes backwards. Nothing is changed on disk here.
     *
     * @param previousTerm the term that records must not go below
     */
    static Segment recoverLast(Path file, SegmentHeader header, MappedByteBuffer map, long previousTerm,
            Consumer<Segment> reclaimer) {
        Segment segment = new Segment(file, header, map, new SegmentIndex(), ACTIVE, true, reclaimer);
        ByteBuffer view = map.duplicate();
        CRC32C crc = new CRC32C();
        int offset = SegmentHeader.SIZE;
        long term = previousTerm;
        long expected = header.firstIndex();
        while (RecordFormat.headerProblem(map, offset, map.capacity(), expected) == null) {
            int length = map.getInt(offset + RecordFormat.LENGTH_OFFSET);
            long recordTerm = map.getLong(offset + RecordFormat.TERM_OFFSET);
            if (recordTerm < term
                || map.getInt(offset + RecordFormat.CRC_OFFSET) != RecordFormat.checksum(crc, view, offset, length)) {
                break;
            }
            segment.index.add(offset, recordTerm);
            term = recordTerm;
            expected++;
            offset += length;
        }
        segment.dataEnd = offset;
        return segment;
    }

    public Path file() {
        return file;
    }

    public long epoch() {
        return header.epoch();
    }

    public long firstIndex() {
        return header.firstIndex();
    }

    /** The mapping; valid while the caller holds a reference. */
    public MappedByteBuffer buffer() {
        return map;
    }

    public int size() {
        return map.capacity();
    }

    /** The last index of a sealed segment, or {@link Long#MAX_VALUE} for the active one. */
    long lastIndex() {
        return lastIndex;
    }

    /** Offset just past the last indexed record. Writer thread (or after indexing). */
    int dataEnd() {
        return dataEnd;
    }

    /** Number of records indexed. Writer thread (or after indexing). */
    int recordCount() {
        return index.count();
    }

    /** Term of the last indexed record, or {@code fallback} if none. */
    long lastTerm(long fallback) {
        int count = index.count();
        return count == 0 ? fallback : index.term(count - 1);
    }

    /** Records an appended record: writer thread, before the journal publishes its index. */
    void addRecord(int offset, int length, long term) {
        index.add(offset, term);
        dataEnd = offset + length;
    }

    /** Fixes the last index: the writer rolled to the next segment. */
    void seal(long last) {
        lastIndex = last;
    }

    /** Drops the records from {@code index} on (which must be indexed) and makes this the active segment again. */
    void truncateFrom(long firstRemoved) {
        int keep = (int) (firstRemoved - firstIndex());
        dataEnd = keep < index.count() ? index.offset(keep) : dataEnd;
        index.truncate(keep);
        lastIndex = ACTIVE;
    }

    /**
     * Returns the offset of the record with {@code entryIndex}, which must be in this segment.
     *
     * @throws CorruptJournalException if the segment's records could not be walked up to that record
     */
    public int offsetOf(long entryIndex) throws CorruptJournalException {
        return index.offset(indexed(entryIndex));
    }

    /**
     * Returns the term of the entry with {@code entryIndex}, which must be in this segment.
     *
     * @throws CorruptJournalException if the segment's records could not be walked up to that record
     */
    public long termOf(long entryIndex) throws CorruptJournalException {
        return index.term(indexed(entryIndex));
    }

    /** Returns the position of {@code entryIndex} in the index, indexing the segment first if needed. */
    private int indexed(long entryIndex) throws CorruptJournalException {
        int entry = (int) (entryIndex - firstIndex());
        if (!indexed) {
            indexSealed();
        }
        if (failureReason != null && entry >= index.count()) {
            throw new CorruptJournalException(file, failureOffset, failureReason);
        }
        return entry;
    }

    private synchronized void indexSealed() {
        if (indexed) {
            return;
        }
        long expected = firstIndex();
        long last = lastIndex;
        int offset = SegmentHeader.SIZE;
        long term = Long.MIN_VALUE;
        while (expected <= last) {
            String problem = RecordFormat.headerProblem(map, offset, map.capacity(), expected);
            long recordTerm = problem == null ? map.getLong(offset + RecordFormat.TERM_OFFSET) : 0;
            if (problem == null && recordTerm < term) {
                problem = "term " + recordTerm + " goes below the previous record's term " + term;
            }
            if (problem != null) {
                failureOffset = offset;
                failureReason = problem + " (index " + expected + " of a sealed segment)";
                break;
            }
            int length = map.getInt(offset + RecordFormat.LENGTH_OFFSET);
            index.add(offset, recordTerm);
            term = recordTerm;
            expected++;
            offset += length;
        }
        dataEnd = offset;
        indexed = true;
    }

    /**
     * Takes a reference, unless the segment is already unmapped.
     *
     * @return whether the reference was taken
     */
    public boolean tryAcquire() {
        for (;;) {
            int current = references.get();
            if (current == 0) {
                return false;
            }
            if (references.compareAndSet(current, current + 1)) {
                return true;
            }
        }
    }

    /** Gives up a reference; the last one hands the segment to its reclaimer. */
    public void release() {
        if (references.decrementAndGet() == 0) {
            reclaimer.accept(this);
        }
    }

    /** Unmaps the segment and frees its index. Only once no reference is left. */
    void unmap() {
        Unmapper.unmap(map);
        index.free();
    }

    /**
     * Marks the segment compacted: its file was renamed to {@code renamedFile}, outside the journal, and may be
     * reused once the last reference is released. Writer thread, before it releases the journal's reference.
     */
    void retireForReuse(Path renamedFile) {
        retired = true;
        reuseFile = renamedFile;
    }

    /** Whether the segment's file waits for reuse. Only once no reference is left. */
    boolean recyclable() {
        return reuseFile != null;
    }

    /** The segment's file, mapping and emptied index, to be reused. Only once no reference is left. */
    SegmentPreparer.Prepared recycled() {
        index.truncate(0);
        return new SegmentPreparer.Prepared(reuseFile, map, index, lastIndex);
    }

    /** Where the bytes not yet forced start, once the segment is sealed. Writer thread. */
    int unforcedFrom() {
        return unforcedFrom;
    }

    void unforcedFrom(int offset) {
        unforcedFrom = offset;
    }

    /** Marks the segment as no longer part of the journal. Writer thread. */
    void retire() {
        retired = true;
    }

    /** Whether the segment was removed from the journal. Writer thread. */
    boolean retired() {
        return retired;
    }

    @Override
    public String toString() {
        return file.getFileName() + "[" + firstIndex() + ".." + (lastIndex == ACTIVE ? "" : lastIndex) + "]";
    }
}
