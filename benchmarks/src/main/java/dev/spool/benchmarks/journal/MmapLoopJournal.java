package dev.spool.benchmarks.journal;

import dev.spool.api.group.Durability;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The least a memory-mapped journal can do, as the lower baseline: records of {@code length, CRC32C, payload} in
 * fresh sparse segment files of {@link JournalShape#SEGMENT_SIZE}, mapped whole, rolled when the next record does not
 * fit. No segment header, no index, no term, no recovery; a zero length marks the end of a segment's records.
 *
 * <p>Under {@code SYNC} a flush point forces exactly the range written since the previous one.
 */
final class MmapLoopJournal implements JournalUnderTest {

    private static final int RECORD_HEADER = 8;
    private static final int LENGTH_OFFSET = 0;
    private static final int CHECKSUM_OFFSET = 4;

    private final Path directory;
    private final boolean sync;
    private final CRC32C checksum = new CRC32C();
    /** Oldest first; the last is the one appended to. */
    private final List<Segment> segments = new ArrayList<>();

    private Segment active;
    private int writePosition;
    private int forcedPosition;
    private long nextIndex = 1;

    MmapLoopJournal(Path directory, Durability durability) throws IOException {
        this.directory = directory;
        this.sync = durability == Durability.SYNC;
        startSegment();
    }

    @Override
    public long append(ByteBuffer payload) throws IOException {
        int length = payload.limit();
        if (writePosition + RECORD_HEADER + length > JournalShape.SEGMENT_SIZE) {
            forceUnforced();
            startSegment();
        }
        int payloadStart = writePosition + RECORD_HEADER;
        active.map.put(payloadStart, payload, 0, length);
        active.map.putInt(writePosition + CHECKSUM_OFFSET, checksum(active.writeView, payloadStart, length));
        active.map.putInt(writePosition + LENGTH_OFFSET, length);
        writePosition = payloadStart + length;
        return nextIndex++;
    }

    @Override
    public void flush() {
        forceUnforced();
    }

    @Override
    public void discardBefore(long index) throws IOException {
        while (segments.size() > 1 && segments.get(1).firstIndex <= index) {
            segments.remove(0).delete();
        }
    }

    @Override
    public SequentialReader openReader(ByteBuffer into) {
        return new Reader(into);
    }

    @Override
    public void close() throws IOException {
        forceUnforced();
        for (Segment segment : segments) {
            segment.unmap();
        }
        segments.clear();
    }

    private void forceUnforced() {
        if (sync && writePosition > forcedPosition) {
            active.map.force(forcedPosition, writePosition - forcedPosition);
            forcedPosition = writePosition;
        }
    }

    private void startSegment() throws IOException {
        active = new Segment(directory.resolve("segment-" + nextIndex), nextIndex);
        segments.add(active);
        writePosition = 0;
        forcedPosition = 0;
    }

    private int checksum(ByteBuffer view, int offset, int length) {
        checksum.reset();
        view.limit(offset + length).position(offset);
        checksum.update(view);
        return (int) checksum.getValue();
    }

    /** Reads the records in order and wraps to the first after the last. */
    private final class Reader implements SequentialReader {
        private final ByteBuffer into;
        private int segmentIndex;
        private int readPosition;

        Reader(ByteBuffer into) {
            this.into = into;
        }

        @Override
        public long readNext() throws IOException {
            Segment segment = segments.get(segmentIndex);
            int length = lengthAt(segment, readPosition);
            if (length == 0) {
                segmentIndex = segmentIndex + 1 == segments.size() ? 0 : segmentIndex + 1;
                segment = segments.get(segmentIndex);
                readPosition = 0;
                length = lengthAt(segment, readPosition);
            }
            int payloadStart = readPosition + RECORD_HEADER;
            if (checksum(segment.readView, payloadStart, length)
                    != segment.map.getInt(readPosition + CHECKSUM_OFFSET)) {
                throw new IOException("checksum mismatch in " + segment.file + " at offset " + readPosition);
            }
            into.put(0, segment.map, payloadStart, length);
            readPosition = payloadStart + length;
            return into.getLong(0);
        }

        private int lengthAt(Segment segment, int position) {
            return position + RECORD_HEADER > JournalShape.SEGMENT_SIZE
                    ? 0
                    : segment.map.getInt(position + LENGTH_OFFSET);
        }
    }

    /** One sparse segment file, mapped whole. */
    private static final class Segment {
        private final Path file;
        private final long firstIndex;
        private final MappedByteBuffer map;
        /** Moved by the writer's checksum computation. */
        private final ByteBuffer writeView;
        /** Moved by the reader's checksum computation. */
        private final ByteBuffer readView;

        Segment(Path file, long firstIndex) throws IOException {
            this.file = file;
            this.firstIndex = firstIndex;
            try (var raf = new RandomAccessFile(file.toFile(), "rw");
                    FileChannel channel = raf.getChannel()) {
                raf.setLength(JournalShape.SEGMENT_SIZE);
                this.map = channel.map(FileChannel.MapMode.READ_WRITE, 0, JournalShape.SEGMENT_SIZE);
            }
            this.writeView = map.duplicate();
            this.readView = map.duplicate();
        }

        void delete() throws IOException {
            unmap();
            Files.delete(file);
        }

        /** Unmaps at once: a run writes far more segments than garbage collection (which never runs) would unmap. */
        void unmap() {
            Unmapper.UNSAFE.invokeCleaner(map);
        }
    }

    /** {@code sun.misc.Unsafe}, the only way to unmap a buffer on Java 17 without waiting for a GC. */
    private static final class Unmapper {
        private static final sun.misc.Unsafe UNSAFE = load();

        private static sun.misc.Unsafe load() {
            try {
                Field field = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
                field.setAccessible(true);
                return (sun.misc.Unsafe) field.get(null);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }
}
