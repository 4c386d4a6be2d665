package dev.spool.raft.core;

import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.InstallSnapshot;

/**
 * One storage command of a {@link Ready}: a flyweight the core reuses from one Ready to the next, so read its fields
 * before acknowledging the Ready. Commands refer to entry ranges and to received messages, never to entry bytes.
 *
 * <ul>
 *   <li>{@link Type#APPEND}: append entries {@link #firstIndex()} .. {@link #lastIndex()} of term {@link #term()}.
 *   If {@link #source()} is set, they are the records attached to that received AppendEntries (their payload
 *   envelopes already carry their kinds); otherwise the leader created them, all of kind {@link #kind()}: payloads
 *   of proposals the actor made for these indexes, an empty no-op, or the membership {@link #membership()}. When
 *   {@link #forced()} is set the journal forces up to {@link #lastIndex()} whatever its durability (the range holds
 *   a membership entry).</li>
 *   <li>{@link Type#TRUNCATE}: drop the entries after {@link #lastIndex()}.</li>
 *   <li>{@link Type#COMPACT}: the entries before {@link #firstIndex()} may be deleted (a stored snapshot covers
 *   them).</li>
 *   <li>{@link Type#STORE_SNAPSHOT_CHUNK}: store the bytes attached to the received chunk {@link #snapshotChunk()}
 *   into the incoming snapshot; the last chunk also verifies the whole. The outcome goes back to
 *   {@link RaftCore#snapshotChunkStored(boolean)}: a chunk storage refuses restarts the transfer, never fails the
 *   group.</li>
 *   <li>{@link Type#INSTALL_SNAPSHOT}: the incoming snapshot is complete: keep it, restore the state machine from
 *   it; it covers up to {@link #lastIndex()} of term {@link #term()} with membership {@link #membership()}. If
 *   {@link #keepsLog()} is set the log after {@link #lastIndex()} is kept (entries up to it may be deleted);
 *   otherwise the whole log is discarded and continues at {@code lastIndex() + 1}.</li>
 * </ul>
 */
public final class LogCommand {

    /** What a command asks. */
    public enum Type {
        APPEND,
        TRUNCATE,
        COMPACT,
        STORE_SNAPSHOT_CHUNK,
        INSTALL_SNAPSHOT
    }

    private Type type;
    private long firstIndex;
    private long lastIndex;
    private long term;
    private EntryKind kind;
    private boolean forced;
    private boolean keepsLog;
    private Membership membership;
    private AppendEntries source;
    private InstallSnapshot snapshotChunk;

    LogCommand set(Type newType, long first, long last, long newTerm) {
        type = newType;
        firstIndex = first;
        lastIndex = last;
        term = newTerm;
        kind = null;
        forced = false;
        keepsLog = false;
        membership = null;
        source = null;
        snapshotChunk = null;
        return this;
    }

    LogCommand created(EntryKind entryKind, Membership entryMembership) {
        kind = entryKind;
        membership = entryMembership;
        forced = entryKind == EntryKind.MEMBERSHIP;
        return this;
    }

    LogCommand replicated(AppendEntries message, boolean holdsMembership) {
        source = message;
        forced = holdsMembership;
        return this;
    }

    LogCommand snapshot(InstallSnapshot chunk, Membership snapshotMembership, boolean keepLog) {
        snapshotChunk = chunk;
        membership = snapshotMembership;
        keepsLog = keepLog;
        return this;
    }

    /** Extends an append of created normal entries by one entry; returns whether it could. */
    boolean extend(long index, long entryTerm) {
        if (type == Type.APPEND
                && source == null
                && kind == EntryKind.NORMAL
                && term == entryTerm
                && lastIndex + 1 == index) {
            lastIndex = index;
            return true;
        }
        return false;
    }

    /** @return what the command asks */
    public Type type() {
        return type;
    }

    /** @return the first index of an append; the first index kept by a compaction */
    public long firstIndex() {
        return firstIndex;
    }

    /** @return the last index of an append or installed snapshot; the index a truncation keeps */
    public long lastIndex() {
        return lastIndex;
    }

    /** @return the term of the appended entries, or of the installed snapshot's last entry */
    public long term() {
        return term;
    }

    /** @return the kind of every entry of an append the leader created; {@code null} for replicated entries */
    public EntryKind kind() {
        return kind;
    }

    /** @return whether an append must be forced, whatever the journal's durability: it holds a membership entry */
    public boolean forced() {
        return forced;
    }

    /** @return whether a snapshot install keeps the log after the snapshot: it holds the snapshot's last entry */
    public boolean keepsLog() {
        return keepsLog;
    }

    /** @return the membership of a created membership entry or of an installed snapshot */
    public Membership membership() {
        return membership;
    }

    /** @return the received AppendEntries whose attached records to append, or {@code null} */
    public AppendEntries source() {
        return source;
    }

    /** @return the received snapshot chunk to store, or {@code null} */
    public InstallSnapshot snapshotChunk() {
        return snapshotChunk;
    }

    @Override
    public String toString() {
        return type + "[" + firstIndex + ".." + lastIndex + " t" + term + (kind == null ? "" : " " + kind)
                + (forced ? " forced" : "") + (keepsLog ? " keeping the log" : "") + "]";
    }
}
