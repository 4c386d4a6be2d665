package dev.spool.raft.pipeline;

import dev.spool.raft.core.EntryKind;

/**
 * What the pipeline keeps about one entry in flight: a reusable flyweight of plain fields in a {@link SlotRing}.
 * The ring's producer fills a slot for the index it claimed, then publishes it by moving {@code accepted}; that
 * release store makes the fields visible to every task that reads {@code accepted} before reading the slot. The
 * apply task {@link #clear()}s the slot after applying the entry, before it moves {@code applied}, which hands the
 * slot back to the producer.
 *
 * <p>A slot belongs to entry {@code index} only while {@link #index()} says so: a reader that finds another index
 * (an entry the producer never filled, as on a member that restarted, or one past a truncation that a later claim
 * reused) takes the entry from the journal instead.
 *
 * @param <P> the type of the payload objects clients propose
 * @param <C> the type of the completion callbacks clients pass (reusable objects, never one per call)
 */
public final class EntrySlot<P, C> {

    private long index;
    private long term;
    private EntryKind kind = EntryKind.NORMAL;
    private P payload;
    private C callback;
    private long sessionId;
    private long sequence;
    private int encodedSize;
    private long stamp;

    /**
     * Fills every field, so nothing of the slot's previous entry survives. Producer only, between claiming the
     * index and publishing it.
     *
     * @param index the entry's index
     * @param term the entry's term
     * @param kind the entry's kind
     * @param payload the payload object the client proposed (the leader applies it without decoding), or {@code null}
     * @param callback the callback to complete when the entry is applied or lost, or {@code null}
     * @param sessionId the proposing client's session, or 0
     * @param sequence the client's sequence number within its session, or 0
     * @param encodedSize the payload's encoded size in bytes
     */
    public void fill(long index, long term, EntryKind kind, P payload, C callback, long sessionId, long sequence,
            int encodedSize, long stamp) {
        fill(index, term, kind, payload, callback, sessionId, sequence, encodedSize);
        this.stamp = stamp;
    }

    /**
     * Fills every field but the stamp, which stays as it is: for refilling the slot of the entry it holds (dropping
     * its callback). A new entry is filled with its stamp.
     */
    public void fill(long index, long term, EntryKind kind, P payload, C callback, long sessionId, long sequence,
            int encodedSize) {
        this.index = index;
        this.term = term;
        this.kind = kind;
        this.payload = payload;
        this.callback = callback;
        this.sessionId = sessionId;
        this.sequence = sequence;
        this.encodedSize = encodedSize;
    }

    /**
     * Forgets the entry and drops its object references, so that payload and callback do not outlive the entry.
     * Apply task only, after applying the entry and before moving {@code applied} past it.
     */
    public void clear() {
        fill(0, 0, EntryKind.NORMAL, null, null, 0, 0, 0, 0);
    }

    /**
     * @return the proposing leader's clock reading in milliseconds since the epoch, carried in the entry so that
     *     every member measures client sessions' idle time on the same readings; 0 if the entry has none
     */
    public long stamp() {
        return stamp;
    }

    /** @return the entry's index, or 0 if the slot holds no entry */
    public long index() {
        return index;
    }

    /** @return the entry's term */
    public long term() {
        return term;
    }

    /** @return the entry's kind */
    public EntryKind kind() {
        return kind;
    }

    /** @return the proposed payload object, or {@code null} */
    public P payload() {
        return payload;
    }

    /** @return the client's completion callback, or {@code null} */
    public C callback() {
        return callback;
    }

    /** @return the client's session id, or 0 */
    public long sessionId() {
        return sessionId;
    }

    /** @return the client's sequence number within its session, or 0 */
    public long sequence() {
        return sequence;
    }

    /** @return the payload's encoded size in bytes */
    public int encodedSize() {
        return encodedSize;
    }
}
