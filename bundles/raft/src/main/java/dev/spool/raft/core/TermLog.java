package dev.spool.raft.core;

import java.util.Arrays;

/**
 * The terms of the core's log, kept as runs: the first index of each term present and the last index. A log holds
 * few terms, so this costs memory per term, never per entry; an append within the last run allocates nothing.
 *
 * <p>The entry just before the first one held is the base ({@link #baseIndex()}, {@link #baseTerm()}): the last
 * entry covered by a snapshot, or (0, 0).
 */
final class TermLog {

    private long baseIndex;
    private long baseTerm;
    private long lastIndex;
    /** runStart[i] is the first index of the i-th run, whose entries all have term runTerm[i]. */
    private long[] runStart = new long[8];

    private long[] runTerm = new long[8];
    private int runs;

    TermLog(long baseIndex, long baseTerm) {
        reset(baseIndex, baseTerm);
    }

    long baseIndex() {
        return baseIndex;
    }

    long baseTerm() {
        return baseTerm;
    }

    long lastIndex() {
        return lastIndex;
    }

    long lastTerm() {
        return runs == 0 ? baseTerm : runTerm[runs - 1];
    }

    /** Whether {@code index} is the base or an entry held, so that its term is known. */
    boolean hasTerm(long index) {
        return index >= baseIndex && index <= lastIndex;
    }

    /** Returns the term at {@code index}, which must be the base or an entry held. */
    long term(long index) {
        if (!hasTerm(index)) {
            throw new IllegalArgumentException(
                    "no term known for index " + index + " (log holds " + baseIndex + " .. " + lastIndex + ")");
        }
        if (index == baseIndex) {
            return baseTerm;
        }
        return runTerm[runOf(index)];
    }

    /** Returns the first index held with the same term as {@code index} (an entry held). */
    long firstIndexOfTermAt(long index) {
        return runStart[runOf(index)];
    }

    /** Returns the last index held with term {@code term}, or -1 if the log holds no entry of that term. */
    long lastIndexOfTerm(long term) {
        for (int i = runs - 1; i >= 0; i--) {
            if (runTerm[i] == term) {
                return i == runs - 1 ? lastIndex : runStart[i + 1] - 1;
            }
            if (runTerm[i] < term) {
                return -1;
            }
        }
        return -1;
    }

    /** Returns the last index, at or after {@code index} (an entry held), of the run containing it. */
    long endOfRunAt(long index) {
        final int run = runOf(index);
        return run == runs - 1 ? lastIndex : runStart[run + 1] - 1;
    }

    /** Appends entries {@code lastIndex + 1 .. last} of term {@code term}. */
    void append(long last, long term) {
        if (last <= lastIndex) {
            return;
        }
        if (term < lastTerm()) {
            throw new IllegalStateException("term " + term + " appended after term " + lastTerm());
        }
        if (runs == 0 || runTerm[runs - 1] != term) {
            if (runs == runStart.length) {
                runStart = Arrays.copyOf(runStart, runs * 2);
                runTerm = Arrays.copyOf(runTerm, runs * 2);
            }
            runStart[runs] = lastIndex + 1;
            runTerm[runs] = term;
            runs++;
        }
        lastIndex = last;
    }

    /** Drops every entry after {@code index}, which must not be below the base. */
    void truncateAfter(long index) {
        if (index < baseIndex) {
            throw new IllegalArgumentException("cannot truncate below the base " + baseIndex + ": " + index);
        }
        while (runs > 0 && runStart[runs - 1] > index) {
            runs--;
        }
        lastIndex = Math.min(lastIndex, index);
    }

    /** Makes {@code index} (an entry held) the new base, dropping the entries up to it. */
    void compactTo(long index) {
        if (index <= baseIndex) {
            return;
        }
        final long term = term(index);
        int firstKept = runOf(index);
        if (index == endOfRunAt(index)) {
            firstKept++;
        } else {
            runStart[firstKept] = index + 1;
        }
        System.arraycopy(runStart, firstKept, runStart, 0, runs - firstKept);
        System.arraycopy(runTerm, firstKept, runTerm, 0, runs - firstKept);
        runs -= firstKept;
        baseIndex = index;
        baseTerm = term;
    }

    /** Empties the log and sets its base. */
    void reset(long newBaseIndex, long newBaseTerm) {
        baseIndex = newBaseIndex;
        baseTerm = newBaseTerm;
        lastIndex = newBaseIndex;
        runs = 0;
    }

    private int runOf(long index) {
        if (index <= baseIndex || index > lastIndex) {
            throw new IllegalArgumentException(
                    "index " + index + " not held (log holds " + (baseIndex + 1) + " .. " + lastIndex + ")");
        }
        int low = 0;
        int high = runs - 1;
        while (low < high) {
            final int mid = (low + high + 1) >>> 1;
            if (runStart[mid] <= index) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return low;
    }
}
