package dev.spool.replication;

/**
 * A pair of credit counts, entries and bytes, packed into one {@code long} (entries in the high half, bytes in the
 * low half, both non-negative {@code int}s) so that one atomic variable holds both and one compare-and-set changes
 * both. Adding or subtracting two packed pairs adds or subtracts each half, as long as no half leaves
 * {@code 0..Integer.MAX_VALUE}: callers only subtract what they added.
 */
final class Credits {

    private Credits() {}

    static long of(int entries, int bytes) {
        return (long) entries << Integer.SIZE | bytes;
    }

    static int entries(long credits) {
        return (int) (credits >>> Integer.SIZE);
    }

    static int bytes(long credits) {
        return (int) credits;
    }

    static String toString(long credits) {
        return entries(credits) + " entries and " + bytes(credits) + " bytes";
    }
}
