package dev.spool.journal.internal;

import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.spi.codec.ByteBufferEntrySource;
import dev.spool.api.spi.journal.CorruptJournalException;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.EntryVisitor;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.journal.RecordDescriptor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * An {@link EntryReader} over a {@link SegmentedJournal}. It holds a reference on the segment it is positioned in,
 * so that segment stays mapped even if it is compacted away, and moves to the next segment (taking a reference
 * on it first) when it runs past the end of its own. Every read verifies the record's index and checksum. A read
 * allocates nothing: the segment lookup, the checksum and the payload source are reused.
 *
 * <p>Sequential reads take the next record's offset from the previous record's length rather than from the segment's
 * index, and read the journal's published last index only when they reach the last one seen (a batch of appends
 * published at once costs one acquire, not one per entry).
 *
 * <p>Confined to one thread at a time. Entries a concurrent truncation removes while they are being read may be
 * reported corrupt; the reader notices every truncation and finds its position again before its next read.
 */
final class JournalReader implements EntryReader {
    private final SegmentedJournal journal;
    private final ByteBufferEntrySource source = new ByteBufferEntrySource();
    private final CRC32C crc = new CRC32C();
    private Segment segment;
    private ByteBuffer buffer;
    private ByteBuffer checksumView;
    /** The segment's last index when last looked at: its own once sealed, {@link Long#MAX_VALUE} while active. */
    private long segmentLast;
    /** The journal's last index when last looked at. */
    private long knownLast;

    private long next;
    /** The offset of the record at {@link #next} when known from the record before it, else -1. */
    private int nextOffset = -1;

    private int seenTruncations;
    private boolean closed;

    JournalReader(SegmentedJournal journal) {
        this.journal = journal;
    }

    @Override
    public long nextIndex() {
        return next;
    }

    @Override
    public void seek(long index) throws IOException {
        checkOpen();
        long first = journal.firstIndex();
        long last = journal.lastIndex();
        if (index < first || index > last + 1) {
            throw new IndexOutOfBoundsException(
                    "cannot seek to " + index + ": entries are [" + first + ", " + last + "]");
        }
        position(index);
    }

    /** Finds the segment of {@code index} and holds it; O(log segments). */
    private void position(long index) throws IOException {
        for (; ; ) {
            checkOpen();
            int truncations = journal.truncations();
            Segment[] segments = journal.segments();
            if (index < segments[0].firstIndex()) {
                throw new IndexOutOfBoundsException(
                        "entry " + index + " was compacted away; the first entry is " + segments[0].firstIndex());
            }
            Segment found = SegmentedJournal.find(segments, index);
            if (found != segment) {
                if (!found.tryAcquire()) {
                    continue; // compacted meanwhile: the next lookup no longer finds it
                }
                if (segment != null) {
                    segment.release();
                }
                segment = found;
                buffer = found.buffer();
                checksumView = buffer.duplicate();
            }
            seenTruncations = truncations;
            knownLast = journal.lastIndex();
            segmentLast = found.lastIndex();
            next = index;
            nextOffset = -1;
            return;
        }
    }

    /**
     * Returns the verified offset of the record at {@link #next}, or -1 at the end of the journal. The segment is
     * looked at again only after a truncation or once the reader reaches the last index it saw: an index published
     * after the segment was sealed makes the seal visible.
     */
    private int locate() throws IOException {
        checkOpen();
        if (seenTruncations != journal.truncations()) {
            position(next);
        }
        if (next > knownLast) {
            knownLast = journal.lastIndex();
            if (next > knownLast) {
                return -1;
            }
            segmentLast = segment.lastIndex();
        }
        if (next > segmentLast) {
            position(next);
        }
        int offset = nextOffset >= 0 ? nextOffset : segment.offsetOf(next);
        verify(offset, next);
        return offset;
    }

    private void verify(int offset, long index) throws CorruptJournalException {
        String problem = RecordDescriptor.headerProblem(buffer, offset, buffer.capacity(), index);
        if (problem == null
                && buffer.getInt(offset + RecordDescriptor.CRC_OFFSET)
                        != RecordDescriptor.checksum(
                                crc, checksumView, offset, buffer.getInt(offset + RecordDescriptor.LENGTH_OFFSET))) {
            problem = "record checksum mismatch (index " + index + ")";
        }
        if (problem != null) {
            throw new CorruptJournalException(segment.file(), offset, problem);
        }
    }

    @Override
    public boolean read(EntryVisitor visitor) throws IOException {
        int offset = locate();
        if (offset < 0) {
            return false;
        }
        long index = next;
        advance(offset);
        visitor.visit(index, buffer.getLong(offset + RecordDescriptor.TERM_OFFSET), source);
        return true;
    }

    @Override
    public <T> T read(PayloadCodec<T> codec) throws IOException {
        int offset = locate();
        if (offset < 0) {
            return null;
        }
        advance(offset);
        return codec.decode(source);
    }

    /** Points the payload source at the verified record at {@code offset} and moves past it. */
    private void advance(int offset) {
        int end = offset + buffer.getInt(offset + RecordDescriptor.LENGTH_OFFSET);
        source.wrap(buffer, offset + RecordDescriptor.HEADER_LENGTH, end);
        nextOffset = end;
        next++;
    }

    @Override
    public RawRecords readRaw(int maxRecords, int maxBytes) throws IOException {
        if (maxRecords < 1) {
            throw new IllegalArgumentException("maxRecords " + maxRecords + " is below 1");
        }
        int start = locate();
        if (start < 0) {
            return null;
        }
        // Once per batch. The segment's last index too: an index published past this segment makes its seal visible,
        // and the next batch must then move on to the next segment instead of reading past this one's records.
        knownLast = journal.lastIndex();
        segmentLast = segment.lastIndex();
        long last = Math.min(knownLast, segmentLast);
        long index = next;
        int end = start + buffer.getInt(start + RecordDescriptor.LENGTH_OFFSET);
        long term = buffer.getLong(start + RecordDescriptor.TERM_OFFSET);
        int bytesBeyondFirst = 0;
        for (int records = 1; records < maxRecords && index < last; records++) {
            int length = RecordDescriptor.headerProblem(buffer, end, buffer.capacity(), index + 1) == null
                    ? buffer.getInt(end + RecordDescriptor.LENGTH_OFFSET)
                    : 0;
            if (length > 0 && (long) bytesBeyondFirst + length > maxBytes) {
                break;
            }
            verify(end, index + 1);
            bytesBeyondFirst += length;
            term = buffer.getLong(end + RecordDescriptor.TERM_OFFSET);
            end += length;
            index++;
        }
        if (!segment.tryAcquire()) {
            throw new IllegalStateException("segment " + segment + " released while a reader held it");
        }
        RawView view = new RawView(segment, buffer.slice(start, end - start).asReadOnlyBuffer(), next, index, term);
        next = index + 1;
        nextOffset = end;
        return view;
    }

    private void checkOpen() throws IOException {
        if (closed) {
            throw new IllegalStateException("reader is closed");
        }
        journal.checkOpen();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (segment != null) {
                segment.release();
                segment = null;
            }
        }
    }
}
