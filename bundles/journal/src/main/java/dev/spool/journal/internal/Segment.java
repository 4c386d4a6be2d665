package dev.spool.journal.internal;

import dev.spool.api.spi.journal.CorruptJournalException;
import dev.spool.api.spi.journal.RecordDescriptor;
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
    private String stopProblem;
    /** The view and checksum {@link #verifiedTermOf} uses, made on first use; guarded by this segment's monitor. */
    private ByteBuffer termView;

    private CRC32C termCrc;
    private boolean retired;
    private int unforcedFrom;
    private Path reuseFile;

    private Segment(
            Path file,
            SegmentHeader header,
            MappedByteBuffer map,
            SegmentIndex index,
            long lastIndex,
            boolean indexed,
            Consumer<Segment> reclaimer) {
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
    static Segment createActive(
            Path file, SegmentHeader header, MappedByteBuffer map, SegmentIndex index, Consumer<Segment> reclaimer) {
        return new Segment(file, header, map, index, ACTIVE, true, reclaimer);
    }

    /** Wraps a sealed segment found at open, whose last index is known from the segment after it. */
    static Segment openSealed(
            Path file, SegmentHeader header, MappedByteBuffer map, long lastIndex, Consumer<Segment> reclaimer) {
        return new Segment(file, header, map, new SegmentIndex(), lastIndex, false, reclaimer);
    }

    /**
     * Wraps a segment found at open, scanning its records and verifying every checksum, up to {@code lastIndex} or to
     * the first record that is torn, corrupt, or whose index or term goes backwards; {@link #stopProblem()} tells
     * which.
     * The result is the active segment (the caller seals it if it holds all its records). Nothing is changed on disk.
     *
     * @param previousTerm the term that records must not go below
     * @param lastIndex the segment's last index if it is known from the segment after it, else {@link Long#MAX_VALUE}
     */
    static Segment recover(
            Path file,
            SegmentHeader header,
            MappedByteBuffer map,
            long previousTerm,
            long lastIndex,
            Consumer<Segment> reclaimer) {
        Segment segment = new Segment(file, header, map, new SegmentIndex(), ACTIVE, true, reclaimer);
        ByteBuffer view = map.duplicate();
        CRC32C crc = new CRC32C();
        int offset = SegmentHeader.SIZE;
        long term = previousTerm;
        long expected = header.firstIndex();
        String problem = null;
        while (expected <= lastIndex) {
            problem = RecordDescriptor.headerProblem(map, offset, map.capacity(), expected);
            if (problem != null) {
                break;
            }
            int length = map.getInt(offset + RecordDescriptor.LENGTH_OFFSET);
            long recordTerm = map.getLong(offset + RecordDescriptor.TERM_OFFSET);
            if (map.getInt(offset + RecordDescriptor.CRC_OFFSET)
                    != RecordDescriptor.checksum(crc, view, offset, length)) {
                problem = "record checksum mismatch (index " + expected + ")";
                break;
            }
            if (recordTerm < term) {
                problem = "term " + recordTerm + " of index " + expected + " goes below the previous term " + term;
                break;
            }
            segment.index.add(offset, recordTerm);
            term = recordTerm;
            expected++;
            offset += length;
        }
        segment.dataEnd = offset;
        segment.stopProblem = problem;
        return segment;
    }

    /**
     * Why {@link #recover} stopped before the segment's known last index (for the last segment: why its records end
     * where they do), or {@code null} if it reached that index.
     */
    String stopProblem() {
        return stopProblem;
    }

    /**
     * Whether the records of a recovered segment end the way written records end: at zeros (a new file, or a zeroed
     * tail) or at a record of the file's earlier life, whose index is below this segment's first (a recycled file). If
     * not, the record at {@link #dataEnd()} is torn or damaged.
     */
    boolean endsCleanly() {
        if (stopProblem == null
                || map.capacity() - dataEnd < RecordDescriptor.HEADER_LENGTH
                || map.getInt(dataEnd + RecordDescriptor.LENGTH_OFFSET) == 0) {
            return true;
        }
        return map.getLong(dataEnd + RecordDescriptor.INDEX_OFFSET) < firstIndex();
    }

    /** Intact records found behind a damaged one: from {@code offset}, indexes {@code first} to {@code last}. */
    record Intact(int offset, long first, long last) {}

    /**
     * Looks behind the damaged record at {@link #dataEnd()} for intact records of later indexes (a valid header and
     * checksum), trying every byte offset since the damaged record's length cannot be trusted; follows the first one
     * found record by record. Used at open only, when the segment does not end cleanly.
     *
     * @return what was found, or {@code null}
     */
    Intact intactBehind() {
        long damaged = firstIndex() + index.count();
        long highest = damaged + map.capacity() / RecordDescriptor.HEADER_LENGTH;
        ByteBuffer view = map.duplicate();
        CRC32C crc = new CRC32C();
        for (int offset = dataEnd + 1; offset <= map.capacity() - RecordDescriptor.HEADER_LENGTH; offset++) {
            long candidate = map.getLong(offset + RecordDescriptor.INDEX_OFFSET);
            if (candidate > damaged && candidate <= highest && intactAt(view, crc, offset, candidate)) {
                long last = candidate;
                int next = offset + map.getInt(offset + RecordDescriptor.LENGTH_OFFSET);
                while (intactAt(view, crc, next, last + 1)) {
                    last++;
                    next += map.getInt(next + RecordDescriptor.LENGTH_OFFSET);
                }
                return new Intact(offset, candidate, last);
            }
        }
        return null;
    }

    private boolean intactAt(ByteBuffer view, CRC32C crc, int offset, long expected) {
        return RecordDescriptor.headerProblem(map, offset, map.capacity(), expected) == null
                && map.getInt(offset + RecordDescriptor.CRC_OFFSET)
                        == RecordDescriptor.checksum(
                                crc, view, offset, map.getInt(offset + RecordDescriptor.LENGTH_OFFSET));
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

    /**
     * Returns the term of the entry with {@code entryIndex}, which must be in this segment, from its record once the
     * record passed its checks (header and checksum): a damaged record's term is never given out.
     *
     * @throws CorruptJournalException if the record, or the walk of the segment up to it, fails a check
     */
    synchronized long verifiedTermOf(long entryIndex) throws CorruptJournalException {
        int offset = offsetOf(entryIndex);
        if (termView == null) {
            termView = map.duplicate();
            termCrc = new CRC32C();
        }
        String problem = RecordDescriptor.headerProblem(map, offset, map.capacity(), entryIndex);
        if (problem == null
                && map.getInt(offset + RecordDescriptor.CRC_OFFSET)
                        != RecordDescriptor.checksum(
                                termCrc, termView, offset, map.getInt(offset + RecordDescriptor.LENGTH_OFFSET))) {
            problem = "record checksum mismatch (index " + entryIndex + ")";
        }
        if (problem != null) {
            throw new CorruptJournalException(file, offset, problem);
        }
        return map.getLong(offset + RecordDescriptor.TERM_OFFSET);
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
            String problem = RecordDescriptor.headerProblem(map, offset, map.capacity(), expected);
            long recordTerm = problem == null ? map.getLong(offset + RecordDescriptor.TERM_OFFSET) : 0;
            if (problem == null && recordTerm < term) {
                problem = "term " + recordTerm + " goes below the previous record's term " + term;
            }
            if (problem != null) {
                failureOffset = offset;
                failureReason = problem + " (index " + expected + " of a sealed segment)";
                break;
            }
            int length = map.getInt(offset + RecordDescriptor.LENGTH_OFFSET);
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
        for (; ; ) {
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
