package dev.spool.raft.group;

import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ResultUnknownException;
import dev.spool.api.group.SessionExpiredException;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * What the group remembers of each client session (Raft dissertation, section 6.3): the highest sequence number
 * applied, the entry that applied it and what applying it returned, so a retried proposal is not applied twice.
 * Part of the replicated state: it is written into every snapshot before the state machine's bytes.
 *
 * <p>Sessions end. Time is the log's: the leader stamps each proposal with its clock, and the table's clock moves
 * to an entry's stamp when the entry applies, never back (a new leader whose clock is behind moves nothing until it
 * catches up). At each stamped entry, sessions idle longer than the timeout are forgotten; a new session beyond the
 * most the table holds forgets the least recently used one. Every member applies the same entries, so every member
 * forgets the same sessions at the same entry. The sessions are kept in a list from least to most recently used,
 * which is also the order of their last activity, so expiry looks only at the head.
 *
 * <p>Results are application objects and are not written into snapshots: a duplicate of a proposal whose result the
 * table no longer holds (the member restarted, installed a snapshot, or the session moved on) fails with a
 * {@link ResultUnknownException} naming the entry that applied it, never reporting {@code null}.
 *
 * <p>Threads: the apply agent only.
 */
final class SessionTable {

    /** The most sessions a table may hold; a bound for reading hostile input too. */
    static final int MAX_SESSIONS = 1 << 24;
    /** The snapshot layout before sessions expired: count, then id and last sequence per session. */
    static final int LAYOUT_UNEXPIRING = 1;
    /** The layout with the clock and, per session from least to most recently used, its entry and last activity. */
    static final int LAYOUT_EXPIRING = 2;

    /** What to do with a session's proposal. */
    enum Verdict {
        /** Apply it, then report {@link #applied}. */
        APPLY,
        /** Already applied: report {@link #repeatedResult()}. */
        REPEAT,
        /** Do not apply it: fail it with {@link #refusal}. */
        REFUSE
    }

    /** Stands for a result the table does not hold. */
    private static final Object UNKNOWN = new Object();

    /** One session's last applied proposal, linked from least to most recently used. */
    private static final class Session {
        final long id;
        long lastSequence;
        long lastIndex;
        Object lastResult = UNKNOWN;
        long lastActive;
        Session older;
        Session newer;

        Session(long id) {
            this.id = id;
        }
    }

    private final String group;
    private final long idleMillis;
    private final int maxSessions;
    private final Map<Long, Session> sessions = new HashMap<>();
    private Session oldest;
    private Session newest;
    private long now;
    private Session current;

    /**
     * @param group the group's name, for errors
     * @param idleTimeout how long a session is remembered without a proposal
     * @param maxSessions the most sessions remembered
     */
    SessionTable(String group, Duration idleTimeout, int maxSessions) {
        this.group = group;
        this.idleMillis = idleTimeout.toMillis();
        this.maxSessions = maxSessions;
    }

    /**
     * Moves the clock to an entry's stamp, if later, and forgets the sessions idle longer than the timeout.
     *
     * @param stamp the entry's stamp, milliseconds since the epoch; 0 (an entry from before stamps) moves nothing
     */
    void advance(long stamp) {
        if (stamp <= now) {
            return;
        }
        if (now == 0) {
            // the first stamp: sessions from entries or snapshots without stamps were active until now
            for (Session session = oldest; session != null; session = session.newer) {
                session.lastActive = stamp;
            }
        }
        now = stamp;
        while (oldest != null && now - oldest.lastActive > idleMillis) {
            forget(oldest);
        }
    }

    /**
     * Decides about the proposal {@code sequence} of {@code sessionId} and marks the session used now. A session
     * the table does not know starts with sequence number 1; with a higher one it is refused as expired.
     */
    Verdict admit(long sessionId, long sequence) {
        current = sessions.get(sessionId);
        if (current == null) {
            if (sequence != 1) {
                current = null;
                return Verdict.REFUSE;
            }
            if (sessions.size() >= maxSessions) {
                forget(oldest);
            }
            current = new Session(sessionId);
            sessions.put(sessionId, current);
        } else {
            unlink(current);
        }
        current.lastActive = now;
        link(current);
        if (sequence > current.lastSequence) {
            return Verdict.APPLY;
        }
        return sequence == current.lastSequence && current.lastResult != UNKNOWN ? Verdict.REPEAT : Verdict.REFUSE;
    }

    /** @return the result of the last applied proposal of the session {@link #admit} let {@code REPEAT} */
    Object repeatedResult() {
        return current.lastResult;
    }

    /** @return why the proposal {@link #admit} refused, at entry {@code index}, is not applied */
    RaftGroupException refusal(long index, long sessionId, long sequence) {
        final String session = "group " + group + ": session " + Long.toHexString(sessionId);
        if (current == null) {
            return new SessionExpiredException(session + " is not remembered (idle longer than "
                    + Duration.ofMillis(idleMillis) + ", or the least recently used of more than " + maxSessions
                    + " sessions); its sequence number " + sequence + " at entry " + index + " is not applied, and"
                    + " whether an earlier attempt of it applied is not known: open a new session");
        }
        final String where = current.lastIndex == 0 ? "before this member's snapshot" : "at entry " + current.lastIndex;
        if (sequence == current.lastSequence) {
            return new ResultUnknownException(session + ": sequence number " + sequence + " was applied " + where
                    + " and is not applied again, but its result is no longer known (this member restarted or installed"
                    + " a snapshot since)");
        }
        return new ResultUnknownException(session + ": sequence number " + sequence + " was applied before "
                + current.lastSequence + " (applied " + where + ") and is not applied again; only the last result is"
                + " kept");
    }

    /** Records that the proposal {@link #admit} let {@code APPLY} was applied at entry {@code index}. */
    void applied(long index, long sequence, Object result) {
        current.lastSequence = sequence;
        current.lastIndex = index;
        current.lastResult = result;
    }

    /** @return how many sessions the table remembers */
    int size() {
        return sessions.size();
    }

    void clear() {
        sessions.clear();
        oldest = null;
        newest = null;
        now = 0;
        current = null;
    }

    private void forget(Session session) {
        unlink(session);
        sessions.remove(session.id);
    }

    private void link(Session session) {
        session.older = newest;
        session.newer = null;
        if (newest != null) {
            newest.newer = session;
        } else {
            oldest = session;
        }
        newest = session;
    }

    private void unlink(Session session) {
        if (session.older != null) {
            session.older.newer = session.newer;
        } else {
            oldest = session.newer;
        }
        if (session.newer != null) {
            session.newer.older = session.older;
        } else {
            newest = session.older;
        }
        session.older = null;
        session.newer = null;
    }

    /** Writes the table in {@link #LAYOUT_EXPIRING}; results are not written. */
    void writeTo(DataOutput out) throws IOException {
        out.writeLong(now);
        out.writeInt(sessions.size());
        for (Session session = oldest; session != null; session = session.newer) {
            out.writeLong(session.id);
            out.writeLong(session.lastSequence);
            out.writeLong(session.lastIndex);
            out.writeLong(session.lastActive);
        }
    }

    /**
     * Reads a table a snapshot holds, forgetting the least recently used sessions beyond the most this table holds.
     *
     * @param layout {@link #LAYOUT_UNEXPIRING} or {@link #LAYOUT_EXPIRING}
     */
    void readFrom(DataInput in, int layout) throws IOException {
        clear();
        final boolean expiring = layout == LAYOUT_EXPIRING;
        final long clock = expiring ? in.readLong() : 0;
        final int count = in.readInt();
        if (count < 0 || count > MAX_SESSIONS) {
            throw new InvalidObjectException(
                    "snapshot declares " + count + " client sessions (0 to " + MAX_SESSIONS + " allowed)");
        }
        for (int i = 0; i < count; i++) {
            final var session = new Session(in.readLong());
            session.lastSequence = in.readLong();
            if (expiring) {
                session.lastIndex = in.readLong();
                session.lastActive = in.readLong();
            }
            if (session.id == 0 || sessions.putIfAbsent(session.id, session) != null) {
                throw new InvalidObjectException("snapshot declares client session " + Long.toHexString(session.id)
                        + (session.id == 0 ? ", which is reserved" : " twice"));
            }
            link(session);
            if (sessions.size() > maxSessions) {
                forget(oldest);
            }
        }
        now = clock;
    }
}
