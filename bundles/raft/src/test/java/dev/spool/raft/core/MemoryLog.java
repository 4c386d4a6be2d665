package dev.spool.raft.core;

import java.util.ArrayList;
import java.util.List;

/** A log of terms in memory, the storage of {@link TestMember}s. */
final class MemoryLog implements LogView {

    static final long ENTRY_BYTES = 100;

    private final List<Long> terms = new ArrayList<>();
    private long base;
    /** The highest index there is room to append, as {@link #appendLimit()} reports it. */
    long appendLimit = Long.MAX_VALUE;

    @Override
    public long firstIndex() {
        return base + 1;
    }

    @Override
    public long lastIndex() {
        return base + terms.size();
    }

    @Override
    public long term(long index) {
        return terms.get((int) (index - base - 1));
    }

    @Override
    public long bytes(long first, long last) {
        return (last - first + 1) * ENTRY_BYTES;
    }

    @Override
    public long appendLimit() {
        return appendLimit;
    }

    void append(long first, long last, long term) {
        if (first != lastIndex() + 1) {
            throw new AssertionError("append at " + first + " after " + lastIndex());
        }
        for (long i = first; i <= last; i++) {
            terms.add(term);
        }
    }

    void truncateAfter(long index) {
        while (lastIndex() > index) {
            terms.remove(terms.size() - 1);
        }
    }

    void compactBefore(long index) {
        while (base + 1 < index && !terms.isEmpty()) {
            terms.remove(0);
            base++;
        }
    }

    void reset(long newBase) {
        terms.clear();
        base = newBase;
    }
}
