package dev.spool.journal;

import dev.spool.api.group.Durability;
import dev.spool.api.spi.journal.JournalSpec;
import dev.spool.journal.internal.FileCreator;
import dev.spool.journal.internal.FreeSpaceProbe;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

/** Builds services with a fake free-space probe and boot identity, and pokes at journal files. */
final class TestJournals {
    /** 64 KiB segments, 16 KiB entries: many rolls with little data. */
    static final JournalSpec SMALL_SYNC = new JournalSpec(Durability.SYNC, 64 << 10, 16 << 10);

    static final JournalSpec SMALL_NONE = SMALL_SYNC.withDurability(Durability.NONE);

    final AtomicLong usableBytes = new AtomicLong(Long.MAX_VALUE / 2);
    final AtomicReference<String> bootId = new AtomicReference<>("boot-1");
    final FreeSpaceProbe probe = directory -> usableBytes.get();
    final DurableNames durableNames = new DurableNames();
    /** When set, creating a segment file fails with a FileSystemException of this reason (ENOSPC, EDQUOT). */
    final AtomicReference<String> creationRefusal = new AtomicReference<>();

    MappedJournalService service(Path base, JournalSpec spec) {
        return new MappedJournalService(base, spec, 1 << 20, probe, bootId::get, durableNames, this::createFile);
    }

    private FileChannel createFile(Path file) throws IOException {
        String refusal = creationRefusal.get();
        if (refusal != null) {
            throw new FileSystemException(file.toString(), null, refusal);
        }
        return FileCreator.fileSystem().create(file);
    }

    static List<Path> segmentFiles(Path journalDirectory) throws IOException {
        try (Stream<Path> files = Files.list(journalDirectory)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".log"))
                    .sorted()
                    .toList();
        }
    }

    static byte[] readBytes(Path file, long offset, int length) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buffer = ByteBuffer.allocate(length);
            channel.read(buffer, offset);
            return buffer.array();
        }
    }

    /** Flips every bit of one byte, through the file system (a live mapping sees it too). */
    static void flipByte(Path file, long offset) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer one = ByteBuffer.allocate(1);
            channel.read(one, offset);
            one.put(0, (byte) ~one.get(0)).rewind();
            channel.write(one, offset);
        }
    }

    static void writeBytes(Path file, long offset, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), offset);
        }
    }

    /** Offsets of the records in a segment file, then the offset just past the last one. */
    static List<Integer> recordOffsets(Path segment) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(segment));
        List<Integer> offsets = new java.util.ArrayList<>();
        int offset = 64;
        offsets.add(offset);
        while (offset + 28 <= bytes.capacity() && bytes.getInt(offset + 4) != 0) {
            offset += bytes.getInt(offset + 4);
            offsets.add(offset);
        }
        return offsets;
    }

    static int countRecords(Path segment) throws IOException {
        return recordOffsets(segment).size() - 1;
    }

    static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
