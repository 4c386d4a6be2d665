package dev.spool.itests.cluster.member;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * A set of sequence numbers kept as sorted, disjoint, non-adjacent ranges {@code [first, last]}. Proposers number
 * their entries consecutively, so the set is a handful of ranges however many entries were applied, and adding the
 * next number extends a range in place: no allocation unless a new gap opens.
 *
 * <p>Not thread-safe: its owner synchronizes.
 */
final class SequenceRanges {

    private long[] firsts = new long[16];
    private long[] lasts = new long[16];
    private int count;

    /**
     * Adds a sequence number (adding one already present changes nothing).
     *
     * @param sequence the number
     */
    void add(long sequence) {
        // The range with the greatest first <= sequence, or -1.
        final int below = floor(sequence);
        if (below >= 0 && sequence <= lasts[below]) {
            return;
        }
        final boolean joinsBelow = below >= 0 && lasts[below] == sequence - 1;
        final boolean joinsAbove = below + 1 < count && firsts[below + 1] == sequence + 1;
        if (joinsBelow && joinsAbove) {
            lasts[below] = lasts[below + 1];
            remove(below + 1);
        } else if (joinsBelow) {
            lasts[below] = sequence;
        } else if (joinsAbove) {
            firsts[below + 1] = sequence;
        } else {
            insert(below + 1, sequence);
        }
    }

    /** Empties the set. */
    void clear() {
        count = 0;
    }

    /**
     * Appends the ranges as text, one {@code first-last} per line.
     *
     * @param out where to append
     */
    void appendTo(StringBuilder out) {
        for (int i = 0; i < count; i++) {
            out.append(firsts[i]).append('-').append(lasts[i]).append('\n');
        }
    }

    void writeTo(DataOutputStream out) throws IOException {
        out.writeInt(count);
        for (int i = 0; i < count; i++) {
            out.writeLong(firsts[i]);
            out.writeLong(lasts[i]);
        }
    }

    void readFrom(DataInputStream in) throws IOException {
        final int read = in.readInt();
        if (read < 0) {
            throw new IOException("a snapshot's range count is negative: " + read);
        }
        clear();
        for (int i = 0; i < read; i++) {
            final long first = in.readLong();
            final long last = in.readLong();
            if (last < first || (count > 0 && first <= lasts[count - 1] + 1)) {
                throw new IOException("a snapshot's range " + first + "-" + last + " is empty, unsorted or touches"
                        + " the one before it");
            }
            insert(count, first);
            lasts[count - 1] = last;
        }
    }

    private int floor(long sequence) {
        final int found = Arrays.binarySearch(firsts, 0, count, sequence);
        return found >= 0 ? found : -found - 2;
    }

    private void insert(int at, long sequence) {
        if (count == firsts.length) {
            firsts = Arrays.copyOf(firsts, 2 * count);
            lasts = Arrays.copyOf(lasts, 2 * count);
        }
        System.arraycopy(firsts, at, firsts, at + 1, count - at);
        System.arraycopy(lasts, at, lasts, at + 1, count - at);
        firsts[at] = sequence;
        lasts[at] = sequence;
        count++;
    }

    private void remove(int at) {
        System.arraycopy(firsts, at + 1, firsts, at, count - at - 1);
        System.arraycopy(lasts, at + 1, lasts, at, count - at - 1);
        count--;
    }
}
