package dev.spool.journal.internal;

import dev.spool.api.group.Durability;
import dev.spool.api.spi.journal.CorruptJournalException;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.EntryWriter;
import dev.spool.api.spi.journal.Journal;
import dev.spool.api.spi.journal.JournalClosedException;
import dev.spool.api.spi.journal.JournalSpec;
import dev.spool.api.spi.journal.RecordDescriptor;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A journal in one directory: its segments, its lock and its suspect-log state. Segment files are named
 * {@code seg-<epoch>-<firstIndex>.log} (10 and 20 zero-padded decimal digits); the next segment is prepared ahead
 * as {@code next-segment.tmp}; a compacted segment's file is renamed {@code <segment name>.free} and kept for reuse
 * (see {@link SegmentRecycler}); {@code journal.lock} is held locked while the journal is open.
 *
 * <p>The writer thread changes the segment list (roll, truncation, compaction, reset) and publishes it as an
 * immutable array; the last index is published with release semantics after the entry it names is fully written,
 * and read with acquire semantics, so a reader that sees an index sees its bytes and its segment.
 */
public final class SegmentedJournal implements Journal {
    static final String LOCK_FILE = "journal.lock";
    static final String SPARE_FILE = "next-segment.tmp";
    /** Appended to the name of a compacted segment's file that waits for reuse. */
    static final String FREE_SUFFIX = ".free";

    private static final System.Logger LOG = System.getLogger(SegmentedJournal.class.getName());
    private static final Pattern SEGMENT_NAME = Pattern.compile("seg-(\\d{10})-(\\d{20})\\.log");
    private static final VarHandle LAST_INDEX;

    static {
        try {
            LAST_INDEX = MethodHandles.lookup().findVarHandle(SegmentedJournal.class, "lastIndex", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final String name;
    private final Path directory;
    private final Path spareFile;
    private final DirectorySync directorySync;
    private final JournalSpec spec;
    private final SegmentPreparer preparer;
    private final FileLockHolder lock;
    private final JournalMeta meta;
    private final Runnable onClose;
    private final SegmentRecycler recycler;
    private final Consumer<Segment> reclaimer;
    private final JournalWriter writer;

    private volatile Segment[] segments;
    private volatile int truncations;
    private volatile boolean closed;

    @SuppressWarnings("unused") // accessed through LAST_INDEX
    private long lastIndex;

    private long epoch;
    private Future<SegmentPreparer.Prepared> spare;

    private SegmentedJournal(
            String name,
            Path directory,
            JournalSpec spec,
            SegmentPreparer preparer,
            FileLockHolder lock,
            DirectorySync directorySync,
            JournalMeta meta,
            SegmentRecycler recycler,
            Consumer<Segment> reclaimer,
            Segment[] segments,
            long epoch,
            long lastTerm,
            Runnable onClose) {
        this.name = name;
        this.directory = directory;
        this.spareFile = directory.resolve(SPARE_FILE);
        this.directorySync = directorySync;
        this.spec = spec;
        this.preparer = preparer;
        this.lock = lock;
        this.meta = meta;
        this.segments = segments;
        this.epoch = epoch;
        this.onClose = onClose;
        this.recycler = recycler;
        this.reclaimer = reclaimer;
        Segment last = segments[segments.length - 1];
        long next = last.firstIndex() + last.recordCount();
        LAST_INDEX.setRelease(this, next - 1);
        this.writer = new JournalWriter(this, last, next, lastTerm);
    }

    /**
     * Opens or creates the journal in {@code directory}: locks it, checks every segment header, recovers the last
     * segment (every segment after a machine restart that may have lost unforced writes), decides what may be cut,
     * and only then (when nothing failed) cleans up: deletes the segments a cut dropped, zeroes the torn tail, deletes
     * leftovers of an interrupted reset, records the boot identity, and forces the directory.
     *
     * @throws IllegalArgumentException if the spec's entry limit leaves no room for the framing in a segment
     */
    public static SegmentedJournal open(
            String name,
            Path directory,
            JournalSpec spec,
            SegmentPreparer preparer,
            DirectorySync directorySync,
            Supplier<String> bootId,
            Runnable onClose)
            throws IOException {
        if (spec.maxEntrySize() > largestEntry(spec.segmentSize())) {
            throw new IllegalArgumentException("maximum entry size " + spec.maxEntrySize() + " leaves no room for the "
                    + SegmentHeader.SIZE + "-byte segment header and the " + RecordDescriptor.HEADER_LENGTH
                    + "-byte record header in a segment of " + spec.segmentSize() + " bytes; at most "
                    + largestEntry(spec.segmentSize()) + " fits");
        }
        directorySync.createDirectories(directory);
        FileLockHolder lock = FileLockHolder.lock(directory.resolve(LOCK_FILE));
        List<Segment> opened = new ArrayList<>();
        SegmentRecycler recycler = new SegmentRecycler(spec.segmentSize());
        Consumer<Segment> reclaimer = segment -> preparer.execute(() -> recycler.reclaim(segment));
        JournalMeta meta = null;
        try {
            List<Found> found = findSegments(directory);
            long epoch = found.stream().mapToLong(f -> f.header.epoch()).max().orElse(0);
            List<Found> current = found.stream()
                    .filter(f -> f.header.epoch() == epoch)
                    .sorted(Comparator.comparingLong(f -> f.header.firstIndex()))
                    .toList();
            for (int i = 1; i < current.size(); i++) {
                if (current.get(i).header.firstIndex()
                        == current.get(i - 1).header.firstIndex()) {
                    throw new CorruptJournalException(
                            current.get(i).file,
                            16,
                            "two segments start at index "
                                    + current.get(i).header.firstIndex());
                }
            }
            meta = JournalMeta.read(directory);
            String boot = bootId.get();
            boolean lostWrites = meta.unforcedWritesOfAnotherBoot(boot);
            recoverSegments(current, lostWrites, reclaimer, opened);
            List<Found> dropped = current.subList(opened.size(), current.size());
            boolean lenient = lostWrites || spec.durability() == Durability.NONE;
            boolean entriesLost = !opened.isEmpty() && checkCut(name, opened.get(opened.size() - 1), dropped, lenient);
            // Nothing above changed a file. From here on the open has succeeded and may clean up.
            for (int i = dropped.size() - 1; i >= 0; i--) { // newest first: a crash part way leaves the same cut
                Unmapper.unmap(dropped.get(i).map);
                Files.deleteIfExists(dropped.get(i).file);
            }
            for (Found stale : found) {
                if (stale.header.epoch() != epoch) {
                    Unmapper.unmap(stale.map);
                    Files.deleteIfExists(stale.file);
                }
            }
            Files.deleteIfExists(directory.resolve(SPARE_FILE));
            deleteFreeFiles(directory);
            if (opened.isEmpty()) {
                boolean sync = spec.durability() == Durability.SYNC;
                opened.add(install(
                        directory,
                        preparer.prepare(directory.resolve(SPARE_FILE), spec.segmentSize(), sync),
                        sync,
                        epoch,
                        1,
                        reclaimer));
            } else {
                zeroTornTail(opened.get(opened.size() - 1), spec.durability());
                if (spec.durability() == Durability.SYNC) {
                    forceRecovered(opened);
                }
            }
            meta.opened(boot, spec.durability(), entriesLost);
            // The names the open created, renamed or deleted (the meta file, a first segment, leftovers, a cut) are
            // durable before anything is appended, let alone acknowledged.
            directorySync.force(directory);
            SegmentedJournal journal = new SegmentedJournal(
                    name,
                    directory,
                    spec,
                    preparer,
                    lock,
                    directorySync,
                    meta,
                    recycler,
                    reclaimer,
                    opened.toArray(new Segment[0]),
                    epoch,
                    lastTerm(opened),
                    onClose);
            journal.requestSpare();
            return journal;
        } catch (IOException | RuntimeException | Error e) {
            for (Segment segment : opened) {
                segment.release();
            }
            if (meta != null) {
                meta.close();
            }
            lock.close();
            throw e;
        }
    }

    /**
     * Wraps the segments of the current epoch into {@code opened}, oldest first, scanning the last one's records to
     * find the end of the log. After a machine restart ({@code lostWrites}: unforced writes were made under another
     * boot) write-back may have been lost anywhere, so every segment is scanned up to its last index and the log ends
     * at the first record missing or failing a check: the segments after that one are left out of {@code opened}.
     */
    private static void recoverSegments(
            List<Found> current, boolean lostWrites, Consumer<Segment> reclaimer, List<Segment> opened) {
        for (int i = 0; i < current.size(); i++) {
            Found segment = current.get(i);
            boolean last = i == current.size() - 1;
            long lastIndex = last ? Long.MAX_VALUE : current.get(i + 1).header.firstIndex() - 1;
            if (!last && !lostWrites) {
                opened.add(Segment.openSealed(segment.file, segment.header, segment.map, lastIndex, reclaimer));
                continue;
            }
            Segment recovered = Segment.recover(
                    segment.file, segment.header, segment.map, termBefore(opened), lastIndex, reclaimer);
            opened.add(recovered);
            if (recovered.stopProblem() != null) {
                return;
            }
            recovered.seal(lastIndex);
        }
    }

    /**
     * Decides what recovery may do where the records of the last segment kept end short: at a torn or damaged record,
     * or (after a machine restart) at a hole that lost write-back left, with {@code dropped} the later segments behind
     * it. A clean end (zeros, or an earlier life's record of a recycled file) needs nothing. Otherwise what is cut is
     * logged; records found intact behind the damage were flushed, so dropping them is only allowed where
     * flushes do not force ({@code lenient}: a NONE journal, or writes that were never forced) and makes the journal
     * suspect; for a SYNC journal they are acknowledged entries and the open fails instead.
     *
     * @return whether entries that may have counted as flushed are dropped
     * @throws CorruptJournalException for intact records behind the damage of a journal that must not lose them
     */
    private static boolean checkCut(String name, Segment tail, List<Found> dropped, boolean lenient)
            throws CorruptJournalException {
        long cutIndex = tail.firstIndex() + tail.recordCount();
        String cut = "journal " + name + ": cut the log at " + tail.file() + " offset " + tail.dataEnd() + " (index "
                + cutIndex + ": " + tail.stopProblem() + ")";
        if (!dropped.isEmpty()) {
            List<String> names =
                    dropped.stream().map(f -> f.file.getFileName().toString()).toList();
            LOG.log(
                    Level.WARNING,
                    cut + ", a hole left by write-back lost in a machine restart: the entries from "
                            + "index " + cutIndex + " on are dropped, with the later segment files " + names
                            + "; the journal is suspect");
            return true;
        }
        if (tail.endsCleanly()) {
            return false;
        }
        Segment.Intact intact = tail.intactBehind();
        if (intact == null) {
            LOG.log(
                    Level.INFO,
                    cut + ": a torn record (an append never flushed) or bytes of a recycled file's earlier "
                            + "life; nothing intact follows");
            return false;
        }
        if (!lenient) {
            throw new CorruptJournalException(
                    tail.file(),
                    tail.dataEnd(),
                    tail.stopProblem() + "; intact records "
                            + intact.first() + " to " + intact.last() + " follow at offset " + intact.offset()
                            + ", so flushed "
                            + "entries would be lost: the journal is not opened");
        }
        LOG.log(
                Level.WARNING,
                cut + ": the entries " + cutIndex + " to " + intact.last() + " there are dropped, "
                        + "including intact ones from offset " + intact.offset() + "; the journal is suspect");
        return true;
    }

    /**
     * The term the last segment's records must not go below: the last term of the segment before it, found by
     * walking that segment's record headers; no bound if there is none or it cannot be walked (a damaged earlier
     * segment is reported to whoever reads it, it does not fail the open).
     */
    private static long termBefore(List<Segment> earlier) {
        if (earlier.isEmpty()) {
            return Long.MIN_VALUE;
        }
        Segment previous = earlier.get(earlier.size() - 1);
        if (previous.lastIndex() < previous.firstIndex()) {
            return Long.MIN_VALUE;
        }
        try {
            return previous.termOf(previous.lastIndex());
        } catch (CorruptJournalException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Deletes the files of compacted segments that waited for reuse when the journal was last closed or killed. */
    private static void deleteFreeFiles(Path directory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "seg-*" + FREE_SUFFIX)) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The term of the last entry, which may lie in the segment before an empty last segment; 0 if unknown. */
    private static long lastTerm(List<Segment> segments) {
        Segment last = segments.get(segments.size() - 1);
        if (last.recordCount() > 0 || segments.size() == 1) {
            return last.lastTerm(0);
        }
        try {
            return segments.get(segments.size() - 2).termOf(last.firstIndex() - 1);
        } catch (CorruptJournalException e) {
            // Reported to whoever reads that entry; the term check on appends only guards callers' mistakes.
            return 0;
        }
    }

    /**
     * Returns the largest payload one segment of {@code segmentSize} bytes can hold, after its header and one
     * record header.
     *
     * @param segmentSize the segment size
     * @return the largest possible maximum entry size
     */
    public static int largestEntry(int segmentSize) {
        return segmentSize - SegmentHeader.SIZE - RecordDescriptor.HEADER_LENGTH;
    }

    private record Found(Path file, SegmentHeader header, MappedByteBuffer map) {}

    private static List<Found> findSegments(Path directory) throws IOException {
        List<Found> found = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "seg-*.log")) {
            for (Path file : files) {
                Matcher matcher = SEGMENT_NAME.matcher(file.getFileName().toString());
                if (!matcher.matches()) {
                    continue;
                }
                MappedByteBuffer map;
                long size;
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                    size = channel.size();
                    if (size < SegmentHeader.SIZE || size > JournalSpec.MAX_SEGMENT_SIZE) {
                        throw new CorruptJournalException(file, 0, "segment file of " + size + " bytes");
                    }
                    map = channel.map(FileChannel.MapMode.READ_WRITE, 0, size);
                }
                try {
                    SegmentHeader header = SegmentHeader.read(map, file, size);
                    if (header.epoch() != Long.parseLong(matcher.group(1))
                            || header.firstIndex() != Long.parseLong(matcher.group(2))) {
                        throw new CorruptJournalException(
                                file,
                                8,
                                "header (epoch " + header.epoch() + ", first index " + header.firstIndex()
                                        + ") does not match the file name");
                    }
                    found.add(new Found(file, header, map));
                } catch (CorruptJournalException e) {
                    Unmapper.unmap(map);
                    throw e;
                }
            }
        } catch (IOException | RuntimeException e) {
            for (Found f : found) {
                Unmapper.unmap(f.map);
            }
            throw e;
        }
        return found;
    }

    /**
     * Makes what recovery found durable. A process that died between an append and its flush point leaves entries
     * that only the page cache holds; a Raft member counts every entry its journal holds at start as flushed, so under
     * {@code SYNC} they must reach the disk before the open returns. Segments with nothing dirty cost little.
     */
    private static void forceRecovered(List<Segment> segments) {
        for (Segment segment : segments) {
            segment.buffer().force();
        }
    }

    private static void zeroTornTail(Segment last, Durability durability) {
        MappedByteBuffer map = last.buffer();
        int from = last.dataEnd();
        int to = Zeros.endOfNonZero(map, from, map.capacity());
        if (to > from) {
            Zeros.fill(map, from, to);
            if (durability == Durability.SYNC) {
                map.force(from, to - from);
            }
        }
    }

    static String segmentFileName(long epoch, long firstIndex) {
        StringBuilder name = new StringBuilder(40).append("seg-");
        appendPadded(name, epoch, 10);
        name.append('-');
        appendPadded(name, firstIndex, 20);
        return name.append(".log").toString();
    }

    private static void appendPadded(StringBuilder name, long value, int digits) {
        String decimal = Long.toString(value);
        for (int i = decimal.length(); i < digits; i++) {
            name.append('0');
        }
        name.append(decimal);
    }

    /**
     * Writes the header into a prepared file and gives it its segment name. Under {@code SYNC} the header is forced
     * first, so a segment name that survives a power loss never comes with a stale or missing header.
     */
    private static Segment install(
            Path directory,
            SegmentPreparer.Prepared prepared,
            boolean sync,
            long epoch,
            long firstIndex,
            Consumer<Segment> reclaimer)
            throws IOException {
        SegmentHeader header =
                new SegmentHeader(epoch, firstIndex, prepared.map().capacity());
        Path file = directory.resolve(segmentFileName(epoch, firstIndex));
        try {
            header.writeTo(prepared.map());
            if (sync) {
                prepared.map().force(0, SegmentHeader.SIZE);
            }
            Files.move(prepared.file(), file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            prepared.discard();
            throw e;
        }
        return Segment.createActive(file, header, prepared.map(), prepared.index(), reclaimer);
    }

    // ---- segment list, used by the writer thread ----

    /** Hands over the prepared spare as the segment starting at {@code firstIndex}; asks for the next spare. */
    Segment nextSegment(long firstIndex) throws IOException {
        return nextSegment(epoch, firstIndex);
    }

    /** Like {@link #nextSegment(long)} for a new epoch (a reset). */
    Segment nextSegment(long segmentEpoch, long firstIndex) throws IOException {
        SegmentPreparer.Prepared prepared = awaitSpare();
        if (prepared == null) {
            // The spare's preparation failed (a full disk, typically): prepare again, now, taking a file compacted
            // since if one waits (a kept file needs no space), and report if this fails too.
            prepared =
                    awaitPreparation(preparer.prepareAsync(recycler, spareFile, spec.segmentSize(), forcesSegments()));
        }
        if (!prepared.reusableAt(firstIndex)) {
            // A recycled file that once held this index or a later one (after a truncation or a reset to a lower
            // index): its old records could pass for new ones, so it is not used.
            prepared.discard();
            prepared = preparer.prepare(spareFile, spec.segmentSize(), forcesSegments());
        }
        Segment segment = install(directory, prepared, forcesSegments(), segmentEpoch, firstIndex, reclaimer);
        epoch = segmentEpoch;
        requestSpare();
        return segment;
    }

    private SegmentPreparer.Prepared awaitSpare() throws IOException {
        Future<SegmentPreparer.Prepared> pending = spare;
        spare = null;
        if (pending == null) {
            return null;
        }
        try {
            return pending.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the next segment of journal " + name);
        } catch (ExecutionException e) {
            // The preparation failed (a full disk, typically): the caller prepares again, now, and reports.
            return null;
        }
    }

    private SegmentPreparer.Prepared awaitPreparation(Future<SegmentPreparer.Prepared> preparation) throws IOException {
        try {
            return preparation.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while preparing the next segment of journal " + name);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IOException("preparing the next segment of journal " + name + " failed", e.getCause());
        }
    }

    private void requestSpare() {
        spare = preparer.prepareAsync(recycler, spareFile, spec.segmentSize(), forcesSegments());
    }

    /** Whether new segment files are forced when prepared: only for journals that force at all. */
    private boolean forcesSegments() {
        return spec.durability() == Durability.SYNC;
    }

    Segment[] segments() {
        return segments;
    }

    /** Publishes a new segment list. Writer thread. */
    void publishSegments(Segment[] newSegments) {
        segments = newSegments;
    }

    /** Publishes the last fully written index (release). Writer thread. */
    void publishLastIndex(long index) {
        LAST_INDEX.setRelease(this, index);
    }

    /** Tells readers that entries they may have positioned on were removed. Writer thread. */
    void entriesRemoved() {
        truncations++;
    }

    int truncations() {
        return truncations;
    }

    Path directory() {
        return directory;
    }

    /**
     * Takes a compacted segment's file out of the journal: renames it to {@code <name>.free}, where it waits until
     * the segment's last reference is released and then becomes a later segment or is deleted. Writer thread.
     */
    void retireForReuse(Segment segment) throws IOException {
        Path free = segment.file().resolveSibling(segment.file().getFileName() + FREE_SUFFIX);
        Files.move(segment.file(), free, StandardCopyOption.ATOMIC_MOVE);
        segment.retireForReuse(free);
    }

    /** Forces the directory, so renames and deletions of segment files survive a power loss. */
    void syncDirectory() throws IOException {
        directorySync.force(directory);
    }

    /** Finds the segment that holds {@code index}, or would hold it next: binary search over first indexes. */
    static Segment find(Segment[] segments, long index) {
        int low = 0;
        int high = segments.length - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (segments[middle].firstIndex() <= index) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return segments[low];
    }

    void checkOpen() throws JournalClosedException {
        if (closed) {
            throw new JournalClosedException(name);
        }
    }

    // ---- Journal ----

    @Override
    public String name() {
        return name;
    }

    @Override
    public JournalSpec spec() {
        return spec;
    }

    @Override
    public long firstIndex() {
        return segments[0].firstIndex();
    }

    @Override
    public long lastIndex() {
        return (long) LAST_INDEX.getAcquire(this);
    }

    @Override
    public long termAt(long index) {
        long last = lastIndex();
        Segment[] current = segments;
        Segment segment = find(current, index);
        if (index < current[0].firstIndex() || index > last || !segment.tryAcquire()) {
            if (closed) {
                throw new UncheckedIOException(new JournalClosedException(name));
            }
            throw new IndexOutOfBoundsException(
                    "index " + index + " is outside the journal's entries [" + firstIndex() + ", " + lastIndex() + "]");
        }
        try {
            return segment.verifiedTermOf(index);
        } catch (CorruptJournalException e) {
            if (index > lastIndex()) {
                // Removed by a concurrent truncation, whose zeroing the check saw: gone, not corrupt.
                throw new IndexOutOfBoundsException("index " + index + " was removed by a truncation; the journal's "
                        + "entries are [" + firstIndex() + ", " + lastIndex() + "]");
            }
            throw new UncheckedIOException(e);
        } finally {
            segment.release();
        }
    }

    @Override
    public EntryWriter writer() {
        return writer;
    }

    @Override
    public EntryReader openReader(long index) throws IOException {
        checkOpen();
        JournalReader reader = new JournalReader(this);
        try {
            reader.seek(index);
        } catch (IOException | RuntimeException e) {
            reader.close();
            throw e;
        }
        return reader;
    }

    @Override
    public void truncateAfter(long index) throws IOException {
        checkOpen();
        writer.truncateAfter(index);
    }

    @Override
    public void compactBefore(long index) throws IOException {
        checkOpen();
        writer.compactBefore(index);
    }

    @Override
    public void resetTo(long nextIndex) throws IOException {
        checkOpen();
        writer.resetTo(nextIndex, epoch + 1);
    }

    @Override
    public boolean isSuspect() {
        return meta.suspect();
    }

    @Override
    public long spaceAboveFloor() throws IOException {
        return preparer.spaceAboveFloor(directory);
    }

    @Override
    public int segmentCount() {
        return segments.length;
    }

    @Override
    public long sizeBytes() {
        long bytes = 0;
        for (Segment segment : segments) {
            bytes += segment.size();
        }
        return bytes;
    }

    @Override
    public void clearSuspect() throws IOException {
        checkOpen();
        meta.clearSuspect();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        try {
            if (spec.durability() == Durability.SYNC) {
                writer.flush();
            }
        } finally {
            closed = true;
            try {
                discardSpare();
            } finally {
                for (Segment segment : segments) {
                    segment.release();
                }
                try (lock;
                        meta) { // closed in reverse order
                    preparer.awaitTask(recycler::close);
                } finally {
                    onClose.run();
                }
            }
        }
    }

    private void discardSpare() throws IOException {
        Future<SegmentPreparer.Prepared> pending = spare;
        spare = null;
        if (pending == null) {
            return;
        }
        try {
            pending.get().discard();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while closing journal " + name);
        } catch (ExecutionException e) {
            Files.deleteIfExists(spareFile);
        }
    }

    /**
     * Returns how many times this journal was forced to disk since it opened: flush points under {@code SYNC},
     * always-durable records under any level. An observability counter; read it on the writer thread.
     *
     * @return the number of forces
     */
    public long forceCount() {
        return writer.forces();
    }

    @Override
    public String toString() {
        return "journal " + name + " in " + directory;
    }
}
