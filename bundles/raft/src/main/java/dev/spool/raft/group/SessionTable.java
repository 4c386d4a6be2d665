package dev.spool.raft.group;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.io.InvalidObjectException;
import java.util.HashMap;
import java.util.Map;

/**
 * What the group remembers of each client session (Raft dissertation, section 6.3): the highest sequence number
 * applied and what applying it returned, so a retried proposal is not applied twice. Part of the replicated state:
 * it is written into every snapshot before the state machine's bytes. Results are not written (they are the
 * application's objects): after a restart a duplicate of a session's last proposal reports a {@code null} result.
 *
 * <p>Threads: the apply agent only.
 */
final class SessionTable {

    /** The most sessions a snapshot may declare; a bound for reading hostile input. */
    private static final int MAX_SESSIONS = 1 << 24;

    /** One session's last applied proposal. */
    private static final class Session {
        long lastSequence;
        Object lastResult;
    }

    private final Map<Long, Session> sessions = new HashMap<>();
    private Session current;

    /**
     * Tells whether the proposal {@code sequence} of {@code sessionId} is new; if not, {@link #duplicateResult()}
     * is what to report.
     */
    boolean isNew(long sessionId, long sequence) {
        current = sessions.computeIfAbsent(sessionId, id -> new Session());
        return sequence > current.lastSequence;
    }

    /** @return the result of the last applied proposal of the session {@link #isNew} was asked about, if it repeats */
    Object duplicateResult(long sequence) {
        return sequence == current.lastSequence ? current.lastResult : null;
    }

    /** Records that the proposal {@link #isNew} found new was applied with {@code result}. */
    void applied(long sequence, Object result) {
        current.lastSequence = sequence;
        current.lastResult = result;
    }

    void clear() {
        sessions.clear();
        current = null;
    }

    void writeTo(DataOutput out) throws IOException {
        out.writeInt(sessions.size());
        for (Map.Entry<Long, Session> entry : sessions.entrySet()) {
            out.writeLong(entry.getKey());
            out.writeLong(entry.getValue().lastSequence);
        }
    }

    void readFrom(DataInput in) throws IOException {
        clear();
        final int count = in.readInt();
        if (count < 0 || count > MAX_SESSIONS) {
            throw new InvalidObjectException("snapshot declares " + count + " client sessions (0 to " + MAX_SESSIONS
                + " allowed)");
        }
        for (int i = 0; i < count; i++) {
            final var session = new Session();
            final long id = in.readLong();
            session.lastSequence = in.readLong();
            sessions.put(id, session);
        }
    }
}
