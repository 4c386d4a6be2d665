package dev.spool.raft.core;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.raft.VoteRequest;
import dev.spool.api.spi.raft.VoteResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A core over a {@link MemoryLog}, driven by hand in rule-by-rule tests: {@link #drain()} executes the Ready and
 * returns the messages; flushes complete at once unless {@link #autoFlush} is off.
 */
final class TestMember {

    static final int ELECTION = 10;

    final MemoryLog log = new MemoryLog();
    final RaftCore core;
    final List<LogCommand> commands = new ArrayList<>();
    boolean autoFlush = true;
    /** Whether every message sent so far carried a term already persisted (a pre-vote request excepted). */
    boolean persistedBeforeSend = true;

    long persistedTerm;
    String persistedVote;
    long applied;
    long snapshotBytes = 600;
    /** Which snapshot chunks storage refuses (malformed bytes, a transfer that does not verify); none by default. */
    java.util.function.Predicate<dev.spool.api.spi.raft.InstallSnapshot> refuseChunk = chunk -> false;

    private boolean chunkInStorage;
    private boolean chunkStored;
    final List<Long> reads = new ArrayList<>();

    TestMember(String id, Membership membership) {
        this(config(id), membership, InitialState.bootstrap(membership));
    }

    TestMember(RaftConfig config, Membership membership, InitialState initial, long... logTerms) {
        for (long term : logTerms) {
            log.append(log.lastIndex() + 1, log.lastIndex() + 1, term);
        }
        log.compactBefore(initial.logBaseIndex() + 1); // the log holds what follows its recovered base
        core = new RaftCore(config, log, new SplittableRandom(config.memberId().hashCode()), initial);
        persistedTerm = initial.term();
        persistedVote = initial.votedFor();
    }

    /** A member that recovered {@code term} and a log with the given entry terms. */
    static TestMember withLog(String id, Membership membership, long term, long... logTerms) {
        return new TestMember(
                config(id),
                membership,
                InitialState.atSnapshot(term, null, 0, 0, 0, membership, List.of(), false),
                logTerms);
    }

    static RaftConfig config(String id) {
        return new RaftConfig(id, ELECTION, 1, 4, 1 << 20, 3, 1 << 20, 1000, 250, 1_000_000, 0);
    }

    static Membership voters(String... ids) {
        final var members = new ArrayList<Member>();
        for (String id : ids) {
            members.add(Member.voter(id, ""));
        }
        return new Membership(members);
    }

    /** Executes Readies until none is left, and returns the messages they sent. */
    List<RaftMessage> drain() {
        final var sent = new ArrayList<RaftMessage>();
        Ready ready = core.ready();
        while (!ready.isEmpty()) {
            if (ready.hardStateChanged()) {
                persistedTerm = ready.term();
                persistedVote = ready.votedFor();
            }
            for (int i = 0; i < ready.commandCount(); i++) {
                execute(ready.command(i));
            }
            for (RaftMessage message : ready.messages()) {
                persistedBeforeSend &= message.term() <= persistedTerm || isPreVote(message);
                sent.add(message);
            }
            for (int i = 0; i < ready.readCount(); i++) {
                reads.add(ready.readRequest(i));
            }
            final long applyUpTo = ready.applyUpTo();
            final long snapshotAt = ready.snapshotToTake();
            core.advance();
            if (chunkInStorage) {
                chunkInStorage = false;
                core.snapshotChunkStored(chunkStored);
            }
            if (snapshotAt > 0) {
                core.snapshotTaken(snapshotAt, snapshotBytes);
            }
            if (applyUpTo > applied) {
                applied = applyUpTo;
                core.applied(applied);
            }
            if (autoFlush && log.lastIndex() > core.flushedIndex() && log.lastIndex() >= log.firstIndex()) {
                core.flushed(log.lastIndex(), log.term(log.lastIndex()));
            }
            ready = core.ready();
        }
        return sent;
    }

    /** Pre-vote requests and grants carry the term a campaign would move to, which nobody adopts. */
    private static boolean isPreVote(RaftMessage message) {
        return message instanceof VoteRequest v && v.preVote() || message instanceof VoteResponse r && r.preVote();
    }

    private void execute(LogCommand command) {
        commands.add(copy(command));
        switch (command.type()) {
            case APPEND -> log.append(command.firstIndex(), command.lastIndex(), command.term());
            case TRUNCATE -> log.truncateAfter(command.lastIndex());
            case COMPACT -> log.compactBefore(command.firstIndex());
            case INSTALL_SNAPSHOT -> {
                if (command.keepsLog()) {
                    log.compactBefore(command.lastIndex() + 1);
                } else {
                    log.reset(command.lastIndex());
                }
            }
            case STORE_SNAPSHOT_CHUNK -> {
                chunkInStorage = true;
                chunkStored = !refuseChunk.test(command.snapshotChunk());
            }
        }
    }

    /** Commands are flyweights reused by the next Ready: keep a copy for assertions. */
    private static LogCommand copy(LogCommand command) {
        final LogCommand copy =
                new LogCommand().set(command.type(), command.firstIndex(), command.lastIndex(), command.term());
        if (command.source() != null) {
            copy.replicated(command.source(), command.forced());
        } else if (command.snapshotChunk() != null) {
            copy.snapshot(command.snapshotChunk(), command.membership(), command.keepsLog());
        } else if (command.kind() != null) {
            copy.created(command.kind(), command.membership());
        }
        return copy;
    }

    /** Times out and wins an election in the next term with the pre-vote and vote of {@code voter}. */
    void winElectionWith(String voter) {
        tick(2 * ELECTION);
        drain();
        final long term = core.term() + 1;
        step(new VoteResponse(voter, core.id(), term, true, true));
        step(new VoteResponse(voter, core.id(), term, false, true));
        if (core.role() != Role.LEADER) {
            throw new AssertionError(core + " did not win with the vote of " + voter);
        }
    }

    /** The messages of one type among {@code messages}. */
    static <T extends RaftMessage> List<T> only(Class<T> type, List<RaftMessage> messages) {
        return messages.stream().filter(type::isInstance).map(type::cast).toList();
    }

    void tick(int times) {
        for (int i = 0; i < times; i++) {
            core.tick();
        }
    }

    List<RaftMessage> step(RaftMessage message) {
        core.step(message);
        return drain();
    }
}
