package dev.spool.journal.internal;

import dev.spool.api.codec.PayloadCodec;
import dev.spool.api.journal.CorruptJournalException;
import dev.spool.api.journal.EntryReader;
import dev.spool.api.journal.EntryVisitor;
import dev.spool.api.journal.RawRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * An {@link EntryReader} over a {@link SegmentedJournal}. It holds a reference on the segment it is positioned in,
 * so that segment stays mapped even if it is compacted away, and moves to the next segment (taking a reference
 * on it first) when it runs past the end of its own. Every read verifies the record's index and checksum. A read
 * allocates nothing: the segment lookup, the checksum and the payload source are reused.
 *
 * <p>Confined to one thread at a time. Entries a concurrent truncation removes while they are being read may be
 * reported corrupt; the reader notices every truncation and finds its position again before its next read.
 */
final class JournalReader implements EntryReader {
    private final SegmentedJournal journal;
    private final MappedEntrySource source = new MappedEntrySource();
    private final CRC32C crc = new CRC32C();
    private Segment segment;
    private ByteBuffer checksumView;
    private long next;
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
            throw new IndexOutOfBoundsException("cannot seek to " + index + ": entries are [" + first + ", " + last
                + "]");
        }
        position(index);
    }

    /** Finds the segment of {@code index} and holds it; O(log segments). */
    private void position(long index) throws IOException {
        for (;;) {
            checkOpen();
            int truncations = journal.truncations();
            Segment[] segments = journal.segments();
            if (index < segments[0].firstIndex()) {
                throw new IndexOutOfBoundsException("entry " + index + " was compacted away; the first entry is "
                    + segments[0].firstIndex());
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
                checksumView = found.buffer().duplicate();
            }
            seenTruncations = truncations;
            next = index;
            return;
        }
    }

    /** Returns the verified offset of the record at {@link #next}, or -1 at the end of the journal. */
    private int locate() throws IOException {
        checkOpen();
        if (next > journal.lastIndex()) {
            return -1;
        }
        if (seenTruncations != journal.truncations() || next > segment.lastIndex()) {
            position(next);
        }
        int offset = segment.offsetOf(next);
        verify(offset, next);
        return offset;
    }

    private void verify(int offset, long index) throws CorruptJournalException {
        ByteBuffer buffer = segment.buffer();
        String problem = RecordFormat.headerProblem(buffer, offset, segment.size(), index);
        if (problem == null && buffer.getInt(offset + RecordFormat.CRC_OFFSET) != RecordFormat.checksum(crc,
                checksumView, offset, buffer.getInt(offset + RecordFormat.LENGTH_OFFSET))) {
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
        wrapPayload(offset);
        visitor.visit(next, segment.buffer().getLong(offset + RecordFormat.TERM_OFFSET), source);
        next++;
        return true;
    }

    @Override
    public <T> T read(PayloadCodec<T> codec) throws IOException {
        int offset = locate();
        if (offset < 0) {
            return null;
        }
        wrapPayload(offset);
        T value = codec.decode(source);
        next++;
        return value;
    }

    private void wrapPayload(int offset) {
        ByteBuffer buffer = segment.buffer();
        source.wrap(buffer, offset + RecordFormat.HEADER_SIZE,
            offset + buffer.getInt(offset + RecordFormat.LENGTH_OFFSET));
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
        ByteBuffer buffer = segment.buffer();
        long last = Math.min(journal.lastIndex(), segment.lastIndex());
        long index = next;
        int end = start + buffer.getInt(start + RecordFormat.LENGTH_OFFSET);
        long term = buffer.getLong(start + RecordFormat.TERM_OFFSET);
        int bytesBeyondFirst = 0;
        for (int records = 1; records < maxRecords && index < last; records++) {
            int length = RecordFormat.headerProblem(buffer, end, segment.size(), index + 1) == null
                ? buffer.getInt(end + RecordFormat.LENGTH_OFFSET) : 0;
            if (length > 0 && (long) bytesBeyondFirst + length > maxBytes) {
                break;
            }
            verify(end, index + 1);
            bytesBeyondFirst += length;
            term = buffer.getLong(end + RecordFormat.TERM_OFFSET);
            end += length;
            index++;
        }
        if (!segment.tryAcquire()) {
            throw new IllegalStateException("segment " + segment + " released while a reader held it");
        }
        RawView view = new RawView(segment, buffer.slice(start, end - start).asReadOnlyBuffer(), next, index, term);
        next = index + 1;
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
