package dev.spool.raft.sim;

import dev.spool.raft.core.LogView;
import java.util.ArrayList;
import java.util.List;

/**
 * A simulated journal: entries in memory, plus the point up to which they are forced to disk (what a machine crash
 * cannot take away).
 */
public final class SimLog implements LogView {

    /** The size every simulated record is said to have. */
    public static final long ENTRY_BYTES = 64;

    private final ArrayList<SimEntry> entries = new ArrayList<>();
    private long base;
    private long forced;

    @Override
    public long firstIndex() {
        return base + 1;
    }

    @Override
    public long lastIndex() {
        return base + entries.size();
    }

    @Override
    public long term(long index) {
        return get(index).term();
    }

    @Override
    public long bytes(long first, long last) {
        return (last - first + 1) * ENTRY_BYTES;
    }

    /** Whether the entry {@code index} is held. */
    public boolean has(long index) {
        return index > base && index <= lastIndex();
    }

    /** Returns a held entry. */
    public SimEntry get(long index) {
        if (!has(index)) {
            throw new IllegalArgumentException(
                    "entry " + index + " not held (" + firstIndex() + ".." + lastIndex() + ")");
        }
        return entries.get((int) (index - base - 1));
    }

    /** Returns the held entries {@code first .. last}, or {@code null} if some are not held. */
    public List<SimEntry> slice(long first, long last) {
        if (!has(first) || !has(last)) {
            return null;
        }
        return List.copyOf(entries.subList((int) (first - base - 1), (int) (last - base)));
    }

    void append(SimEntry entry) {
        if (entry.index() != lastIndex() + 1) {
            throw new IllegalStateException("append of " + entry + " after " + lastIndex());
        }
        entries.add(entry);
    }

    void truncateAfter(long index) {
        while (lastIndex() > index && !entries.isEmpty()) {
            entries.remove(entries.size() - 1);
        }
        forced = Math.min(forced, lastIndex());
    }

    void compactBefore(long index) {
        while (base + 1 < index && !entries.isEmpty()) {
            entries.remove(0);
            base++;
        }
        forced = Math.max(forced, base);
    }

    void reset(long newBase) {
        entries.clear();
        base = newBase;
        forced = newBase;
    }

    long forced() {
        return forced;
    }

    void force(long index) {
        forced = Math.max(forced, Math.min(index, lastIndex()));
    }
}
