package dev.spool.raft.core;

import dev.spool.api.spi.raft.RaftMessage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything the core asks of its driver since the last acknowledgement, in the style of etcd's {@code Ready}. One
 * instance is reused: read it and do what it says, in this order:
 * <ol>
 *   <li>if {@link #hardStateChanged()}, persist {@link #term()} and {@link #votedFor()} durably;</li>
 *   <li>execute the {@link #command(int) storage commands} in order (appends may complete their flush later: report it
 *   with {@link RaftCore#flushed});</li>
 *   <li>send the {@link #messages()} (they may depend on the term, vote and commands above);</li>
 *   <li>if {@link #snapshotToTake()} is positive, take a snapshot of the state machine now: it has applied
 *   exactly that index;</li>
 *   <li>apply committed entries up to {@link #applyUpTo()};</li>
 *   <li>serve the confirmed {@link #readCount() reads}: the state machine has applied their read index.</li>
 * </ol>
 * Then acknowledge with {@link RaftCore#advance()}, and only then report progress ({@link RaftCore#applied},
 * {@link RaftCore#snapshotTaken}, {@link RaftCore#flushed}): a report may produce the next Ready's work.
 * The buffers grow to the largest Ready seen and are then reused: steady state allocates only the messages.
 *
 * <p>Threads: the thread driving the core.
 */
public final class Ready {

    private boolean hardStateChanged;
    private long term;
    private String votedFor;
    private LogCommand[] commands = new LogCommand[8];
    private int commandCount;
    private final List<RaftMessage> messages = new ArrayList<>();
    private long applyUpTo;
    private long snapshotToTake;
    private long[] readRequests = new long[8];
    private long[] readIndexes = new long[8];
    private int readCount;

    /** @return whether the term or vote changed and must be persisted before anything else */
    public boolean hardStateChanged() {
        return hardStateChanged;
    }

    /** @return the term to persist */
    public long term() {
        return term;
    }

    /** @return the vote to persist, or {@code null} */
    public String votedFor() {
        return votedFor;
    }

    /** @return the storage commands, in order; {@link #commandCount()} of them */
    public int commandCount() {
        return commandCount;
    }

    /**
     * Returns a storage command.
     *
     * @param i its position, below {@link #commandCount()}
     * @return the command, valid until {@link RaftCore#advance()}
     */
    public LogCommand command(int i) {
        if (i >= commandCount) {
            throw new IndexOutOfBoundsException(i);
        }
        return commands[i];
    }

    /** @return the messages to send after the storage commands */
    public List<RaftMessage> messages() {
        return messages;
    }

    /** @return the index up to which committed entries may be applied (0 if nothing new) */
    public long applyUpTo() {
        return applyUpTo;
    }

    /** @return the applied index at which to take a snapshot, or 0 */
    public long snapshotToTake() {
        return snapshotToTake;
    }

    /** @return how many reads are confirmed */
    public int readCount() {
        return readCount;
    }

    /**
     * Returns the request id of a confirmed read.
     *
     * @param i its position, below {@link #readCount()}
     * @return the id given to {@link RaftCore#readIndex}
     */
    public long readRequest(int i) {
        return readRequests[i];
    }

    /**
     * Returns the read index of a confirmed read; the state machine has applied it.
     *
     * @param i its position, below {@link #readCount()}
     * @return the read index
     */
    public long readIndex(int i) {
        return readIndexes[i];
    }

    /** @return whether there is nothing to do */
    public boolean isEmpty() {
        return !hardStateChanged
                && commandCount == 0
                && messages.isEmpty()
                && applyUpTo == 0
                && snapshotToTake == 0
                && readCount == 0;
    }

    void hardState(long newTerm, String newVote) {
        hardStateChanged = true;
        term = newTerm;
        votedFor = newVote;
    }

    LogCommand lastCommand() {
        return commandCount == 0 ? null : commands[commandCount - 1];
    }

    LogCommand addCommand() {
        if (commandCount == commands.length) {
            commands = Arrays.copyOf(commands, commandCount * 2);
        }
        if (commands[commandCount] == null) {
            commands[commandCount] = new LogCommand();
        }
        return commands[commandCount++];
    }

    void send(RaftMessage message) {
        messages.add(message);
    }

    void applyUpTo(long index) {
        applyUpTo = index;
    }

    void takeSnapshot(long index) {
        snapshotToTake = index;
    }

    void readConfirmed(long request, long index) {
        if (readCount == readRequests.length) {
            readRequests = Arrays.copyOf(readRequests, readCount * 2);
            readIndexes = Arrays.copyOf(readIndexes, readCount * 2);
        }
        readRequests[readCount] = request;
        readIndexes[readCount] = index;
        readCount++;
    }

    void clear() {
        hardStateChanged = false;
        commandCount = 0;
        messages.clear();
        applyUpTo = 0;
        snapshotToTake = 0;
        readCount = 0;
    }
}
