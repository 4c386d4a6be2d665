package dev.spool.journal.internal;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * The files of one journal's compacted segments, kept allocated and mapped (with their offset index buffers) so that
 * later segments reuse them instead of newly allocated files: a recycled file costs no zero-writing, no force of its
 * allocation, no new mapping and no page faults. Confined to the service's preparer thread, which hands segments
 * here once their last reference is released, so no reader ever sees a recycled file's new content.
 *
 * <p>A recycled file still holds the records of its earlier lives. That is safe because it only becomes a segment
 * whose first index is above every index it ever held ({@link SegmentPreparer.Prepared#reusableAt}): recovery and
 * readers accept a record only with the exact index expected next, so an old record is never taken for a live one.
 */
final class SegmentRecycler {
    /** At most this many files wait for reuse; compacting more frees their disk space. */
    static final int CAPACITY = 4;

    private final int segmentSize;
    private final ArrayDeque<SegmentPreparer.Prepared> files = new ArrayDeque<>(CAPACITY);
    private boolean closed;

    SegmentRecycler(int segmentSize) {
        this.segmentSize = segmentSize;
    }

    /**
     * Takes a segment nobody references any more: keeps its file for reuse if it was compacted and has the journal's
     * segment size (discarding the oldest waiting file if there are too many); otherwise unmaps it, and deletes its
     * file if it was compacted.
     */
    void reclaim(Segment segment) {
        if (!segment.recyclable()) {
            segment.unmap();
            return;
        }
        SegmentPreparer.Prepared file = segment.recycled();
        if (closed || segment.size() != segmentSize) {
            discardQuietly(file);
            return;
        }
        if (files.size() == CAPACITY) {
            discardQuietly(files.pollFirst());
        }
        files.addLast(file);
    }

    /**
     * Returns the most recently compacted file (the one whose pages are likeliest still in memory), or {@code null}
     * if none waits.
     */
    SegmentPreparer.Prepared poll() {
        return files.pollLast();
    }

    /** Discards every waiting file, and every file reclaimed from now on: the journal is closed. */
    void close() {
        closed = true;
        for (SegmentPreparer.Prepared file = files.poll(); file != null; file = files.poll()) {
            discardQuietly(file);
        }
    }

    private static void discardQuietly(SegmentPreparer.Prepared file) {
        try {
            file.discard();
        } catch (IOException e) {
            // Nobody waits for this outcome; a file left behind is not part of the journal, the next open deletes it.
        }
    }
}
