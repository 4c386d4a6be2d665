package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.BusyException;
import dev.spool.api.group.ClientSession;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupProgress;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.group.StorageUnavailableException;
import dev.spool.api.spi.journal.EntryReader;
import dev.spool.api.spi.journal.Journal;
import dev.spool.raft.core.EntryKind;
import dev.spool.raft.pipeline.AgentRunner;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A single-member group on the real journal and snapshot store, on shared agent threads. */
@Timeout(120)
class SingleMemberGroupTest {

    @TempDir
    Path directory;

    private AgentRunner runner;
    private LocalStorage storage;

    @BeforeEach
    void setUp() throws Exception {
        runner = AgentRunner.start("raft", 3, 1_000_000, (agent, error) -> error.printStackTrace());
        storage = new LocalStorage(directory, LocalStorage.SMALL_SEGMENTS);
    }

    @AfterEach
    void tearDown() throws Exception {
        runner.close();
        storage.close();
    }

    private static GroupSettings settings() {
        return GroupSettings.singleMember("g", "m1", Durability.NONE).withTickNanos(1_000_000);
    }

    private GroupMember<byte[]> started(GroupSettings settings, ChecksumMachine machine) throws Exception {
        final var group = new GroupMember<>(settings, machine, new BytesCodec(), runner, System::nanoTime);
        group.start(storage.journals, storage.snapshots, null);
        Await.until("the member leads", () -> group.role() == GroupRole.LEADER, () -> "role " + group.role());
        return group;
    }

    private static void proposeAll(GroupMember<byte[]> group, int count, Outcomes outcomes) {
        for (int i = 0; i < count; i++) {
            group.propose(new byte[] {(byte) i, (byte) (i >> 8), 7}, 10, TimeUnit.SECONDS, outcomes);
        }
        Await.until(
                count + " proposals settle",
                () -> outcomes.settled() == count,
                () -> outcomes.applied + " applied, failures " + outcomes.failures);
    }

    @Test
    @DisplayName("proposals commit and apply in order, each callback called once with the entry's index")
    void proposalsApply() throws Exception {
        final var machine = new ChecksumMachine();
        final var group = started(settings(), machine);
        final var outcomes = new Outcomes();
        proposeAll(group, 5_000, outcomes);
        assertTrue(outcomes.failures.isEmpty(), outcomes.failures::toString);
        assertEquals(5_000, machine.count());
        assertEquals(group.appliedIndex(), outcomes.lastIndex.get());
        assertEquals(machine.lastIndex(), outcomes.lastIndex.get());
        group.stop();
    }

    @Test
    @DisplayName("restart recovery: journal plus snapshot give the same state; snapshots compact the journal while"
            + " proposals run")
    void restartRecoversTheSameState() throws Exception {
        final GroupSettings settings = settings().withSnapshots(500, 100);
        final var machine = new ChecksumMachine();
        final var group = started(settings, machine);
        proposeAll(group, 3_000, new Outcomes());
        final long count = machine.count();
        final long checksum = machine.checksum();
        final long applied = group.appliedIndex();
        Await.until(
                "a snapshot compacts the journal",
                () -> group.firstLogIndex() > 1,
                () -> "first index " + group.firstLogIndex());
        group.stop();
        try (Journal journal = storage.journals.open("g")) {
            assertTrue(journal.firstIndex() > 1, "the compaction lasts: first index " + journal.firstIndex());
            assertEquals(applied, journal.lastIndex());
        }
        assertTrue(storage.snapshots.latest("g").orElseThrow().metadata().lastIndex() >= 500);

        storage.close();
        storage.open(); // a fresh process's view of the same directories
        final var recovered = new ChecksumMachine();
        final var again = started(settings, recovered);
        Await.until(
                "the recovered member re-applies its log",
                () -> again.appliedIndex() > applied,
                () -> "applied " + again.appliedIndex());
        assertEquals(count, recovered.count());
        assertEquals(checksum, recovered.checksum());
        again.stop();
    }

    @Test
    @DisplayName("a snapshot asked for now is stored at the applied index; asked again with nothing new applied, the"
            + " answer is the same snapshot")
    void snapshotOnRequest() throws Exception {
        final GroupSettings settings = settings().withSnapshots(1_000_000, 10);
        final var group = started(settings, new ChecksumMachine());
        proposeAll(group, 300, new Outcomes());
        final long applied = group.appliedIndex();
        assertTrue(storage.snapshots.latest("g").isEmpty(), "no snapshot before the request");

        final long index = group.snapshot().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertEquals(applied, index);
        assertEquals(
                applied, storage.snapshots.latest("g").orElseThrow().metadata().lastIndex());
        assertEquals(applied, group.snapshot().toCompletableFuture().get(10, TimeUnit.SECONDS));
        final GroupProgress progress = group.progress().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertEquals(applied, progress.snapshotIndex());
        assertEquals(applied, progress.journalLastIndex());
        assertTrue(progress.journalFirstIndex() <= applied - 10 + 1, "the journal keeps 10 entries: " + progress);
        assertTrue(progress.journalSegments() >= 1 && progress.journalBytes() > 0, progress::toString);
        assertEquals(Durability.NONE, progress.durability());
        assertTrue(progress.matchIndex().isEmpty(), "a single member has no follower");
        group.stop();
    }

    @Test
    @DisplayName("the published commit index is never behind what the member applies: an entry's apply sees it")
    void commitIndexIsPublishedBeforeEntriesApply() throws Exception {
        final var behind = new AtomicLong();
        final var group = new AtomicReference<GroupMember<byte[]>>();
        final var machine = new ChecksumMachine((payload, index) -> {
            if (group.get().commitIndex() < index) {
                behind.incrementAndGet();
            }
        });
        group.set(new GroupMember<>(settings(), machine, new BytesCodec(), runner, System::nanoTime));
        group.get().start(storage.journals, storage.snapshots, null);
        Await.until(
                "the member leads",
                () -> group.get().role() == GroupRole.LEADER,
                () -> "" + group.get().role());
        proposeAll(group.get(), 20_000, new Outcomes());
        assertEquals(0, behind.get(), "entries applied while the published commit index was below them");
        group.get().stop();
    }

    @Test
    @DisplayName("leadership handed to a member that is not a voter, or to the leader itself, is refused naming the"
            + " target and the voters, not answered as if this member did not lead")
    void transferToANonVoterIsRefused() throws Exception {
        final var group = started(settings(), new ChecksumMachine());
        Await.until("the single member leads", () -> group.role() == GroupRole.LEADER, () -> "" + group.role());
        for (String target : new String[] {"ghost", "m1"}) {
            final ExecutionException refused = assertThrows(
                    ExecutionException.class,
                    () -> group.transferLeadership(target).toCompletableFuture().get(10, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, refused.getCause(), refused::toString);
            assertEquals(
                    "group g: cannot hand leadership to " + target + ": the voters other than the leader m1"
                            + " are []",
                    refused.getCause().getMessage());
        }
        group.stop();
    }

    @Test
    @DisplayName("backpressure: a full buffer pushes back with a retryable busy error; nothing queues without bound")
    void fullBufferPushesBack() throws Exception {
        final GroupSettings settings = settings().withSlotCapacity(64);
        final var machine = new ChecksumMachine();
        final var group = started(settings, machine);
        machine.close();
        final var outcomes = new Outcomes();
        try {
            for (int i = 0; i < 1_000; i++) {
                group.propose(new byte[] {1}, 0, TimeUnit.MILLISECONDS, outcomes);
            }
            final int accepted = 1_000 - outcomes.failures.size();
            assertTrue(accepted <= 2 * 64, "at most the slots and the intake hold proposals: " + accepted);
            assertTrue(outcomes.failures.size() >= 1_000 - 2 * 64, "the rest were refused: " + outcomes.failures);

            final var waited = new Outcomes();
            final long before = System.nanoTime();
            group.propose(new byte[] {2}, 20, TimeUnit.MILLISECONDS, waited);
            Await.until("the waiting proposal ends", () -> waited.settled() == 1, () -> "pending");
            assertInstanceOf(BusyException.class, waited.failures.peek(), "a proposal waits up to its deadline");
            assertTrue(System.nanoTime() - before >= 20_000_000L);
        } finally {
            machine.open();
        }
        // Those the intake held past their deadline while no slot freed failed busy; the slots' entries apply.
        Await.until("every proposal ends", () -> outcomes.settled() == 1_000, () -> outcomes.settled() + " ended");
        final long busy = outcomes.failures.stream()
                .filter(BusyException.class::isInstance)
                .count();
        assertEquals(outcomes.failures.size(), busy, "every refusal is a busy error");
        assertTrue(outcomes.failures.stream().allMatch(RaftGroupException::isRetryable));
        assertTrue(outcomes.applied.get() > 0, "the slots' entries apply: " + outcomes.applied);
        group.stop();
    }

    @Test
    @DisplayName("a full disk holds appends back, the group stays available, and they go on once space is free")
    void fullDiskIsRetried() throws Exception {
        final var journals = new FullDiskJournals(storage.journals);
        final var group =
                new GroupMember<>(settings(), new ChecksumMachine(), new BytesCodec(), runner, System::nanoTime);
        group.start(journals, storage.snapshots, null);
        Await.until("the member leads", () -> group.role() == GroupRole.LEADER, () -> "role " + group.role());
        journals.full = true;
        final var outcomes = new Outcomes();
        group.propose(new byte[] {1}, 0, TimeUnit.MILLISECONDS, outcomes);
        Thread.sleep(50);
        assertEquals(0, outcomes.settled(), "nothing is appended on a full disk");
        assertTrue(group.isAvailable(), "a full disk is not a failure of the group");
        journals.full = false;
        Await.until(
                "the proposal applies once space is free",
                () -> outcomes.applied.get() == 1,
                () -> group + ", failures " + outcomes.failures);
        group.stop();
    }

    @Test
    @DisplayName("a stop whose agents do not end in time leaves the journal open until they do, then finishes")
    void stopNeverClosesStorageUnderARunningAgent() throws Exception {
        final var machine = new ChecksumMachine();
        final var group = started(settings(), machine);
        group.stopPatienceMillis = 100;
        machine.close();
        final var outcomes = new Outcomes();
        group.propose(new byte[] {1}, 0, TimeUnit.MILLISECONDS, outcomes);
        Await.until("the apply agent holds the entry", () -> machine.waiting(), () -> "not yet");
        try {
            group.stop(); // returns: the apply agent is held in the state machine
            assertEquals(GroupRole.UNAVAILABLE, group.role());
        } finally {
            machine.open();
        }
        Await.until(
                "the held entry applies on its open journal",
                () -> outcomes.applied.get() == 1,
                () -> "failures " + outcomes.failures);
        Await.until(
                "the stop finishes and closes the journal",
                () -> {
                    try {
                        group.start(storage.journals, storage.snapshots, null);
                        return true;
                    } catch (Exception e) {
                        return false;
                    }
                },
                () -> "the journal is still open");
        Await.until("the member leads again", () -> group.role() == GroupRole.LEADER, () -> "role " + group.role());
        group.stop();
    }

    @Test
    @DisplayName("a retried proposal of a client session applies once and reports the first result")
    void sessionDeduplicates() throws Exception {
        final var machine = new ChecksumMachine();
        final var group = started(settings(), machine);
        final ClientSession session = group.openSession();
        final long sequence = session.nextSequence();
        final var outcomes = new Outcomes();
        for (int attempt = 0; attempt < 3; attempt++) {
            group.propose(session, sequence, new byte[] {9}, 1, TimeUnit.SECONDS, outcomes);
        }
        group.propose(session, session.nextSequence(), new byte[] {10}, 1, TimeUnit.SECONDS, outcomes);
        Await.until("all four settle", () -> outcomes.settled() == 4, () -> "settled " + outcomes.settled());
        assertEquals(4, outcomes.applied.get());
        assertEquals(2, machine.count(), "the retries of sequence 1 applied once");
        group.stop();
    }

    @Test
    @DisplayName("without storage the group is unavailable and proposals fail at once with storage unavailable;"
            + " read barriers pass on the leader")
    void unavailableWithoutStorage() throws Exception {
        final var machine = new ChecksumMachine();
        final var group = new GroupMember<>(settings(), machine, new BytesCodec(), runner, System::nanoTime);
        final var outcomes = new Outcomes();
        group.propose(new byte[] {1}, 1, TimeUnit.SECONDS, outcomes);
        assertEquals(GroupRole.UNAVAILABLE, group.role());
        assertInstanceOf(StorageUnavailableException.class, outcomes.failures.poll());

        group.start(storage.journals, storage.snapshots, null);
        Await.until("the member leads", () -> group.role() == GroupRole.LEADER, () -> "role " + group.role());
        proposeAll(group, 10, outcomes);
        final AtomicLong readIndex = new AtomicLong(-1);
        group.readBarrier(1, TimeUnit.SECONDS, new ReadCallback() {
            @Override
            public void readable(long index) {
                readIndex.set(index);
            }

            @Override
            public void failed(RaftGroupException error) {
                readIndex.set(-2);
            }
        });
        Await.until("the read barrier passes", () -> readIndex.get() != -1, () -> "pending");
        assertTrue(readIndex.get() >= 11, "the barrier covers every applied proposal: " + readIndex.get());

        group.stop();
        assertEquals(GroupRole.UNAVAILABLE, group.role());
        assertNull(group.leaderId().orElse(null));
        group.propose(new byte[] {1}, 1, TimeUnit.SECONDS, outcomes);
        assertInstanceOf(StorageUnavailableException.class, outcomes.failures.poll());
    }

    @Test
    @DisplayName("the log is the authority on membership: a new group's first entry is its bootstrap membership, and"
            + " members configured differently at a later start change nothing")
    void configuredMembersOnlyBootstrap() throws Exception {
        final var group = started(settings(), new ChecksumMachine());
        proposeAll(group, 10, new Outcomes());
        group.stop();
        try (Journal journal = storage.journals.open("g");
                EntryReader reader = journal.openReader(1)) {
            final byte[] kind = new byte[1];
            reader.read((index, term, source) -> kind[0] = source.readByte());
            assertEquals(EntryKind.MEMBERSHIP.code(), kind[0], "entry 1 is the bootstrap membership");
        }

        final Membership edited = Membership.of(Member.voter("m1", ""), Member.voter("m2", ""));
        final GroupSettings editedSettings =
                new GroupSettings("g", "m1", edited, Durability.NONE, 1_000_000, 10, 1, 1024, 10_000, 1_000);
        final var again = started(editedSettings, new ChecksumMachine()); // alone it still is a quorum
        assertEquals(settings().bootstrap(), again.membership());
        again.stop();
    }
}
