package dev.spool.raft.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.Durability;
import dev.spool.api.group.GroupRole;
import dev.spool.api.spi.raft.AppendResponse;
import dev.spool.raft.pipeline.DeterministicAgentScheduler;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leader can commit only an entry of its own term (§5.4.2), so a new leader must get its no-op into a quorum's
 * logs even when their slot rings are as full as a leader's intake fills them: three members on a
 * {@link DeterministicAgentScheduler} and a manual clock, the previous leader's proposals replicated but never
 * acknowledged.
 */
class FullSlotRingTest {

    private static final long TICK_NANOS = 1_000_000;
    /** The smallest ring: a leader's intake fills it up to its {@link GroupSettings#RESERVED_SLOTS}. */
    private static final int SLOTS = 2 * GroupSettings.RESERVED_SLOTS;

    private static final int ROUNDS = 2_000;

    @TempDir
    Path directory;

    private final long[] now = {0};
    private final DeterministicAgentScheduler scheduler = new DeterministicAgentScheduler(7);
    private final InProcessNetwork network = new InProcessNetwork();
    private final List<LocalStorage> storages = new ArrayList<>();
    private final List<GroupMember<byte[]>> members = new ArrayList<>();

    @AfterEach
    void stopAll() throws IOException {
        members.forEach(GroupMember::stop);
        scheduler.close();
        for (LocalStorage storage : storages) {
            storage.close();
        }
    }

    @Test
    @DisplayName("a new leader commits its no-op though its followers' rings are full of the deposed leader's"
            + " uncommitted entries")
    void newLeaderCommitsIntoFullFollowerRings() throws Exception {
        final var membership =
                new Membership(List.of(Member.voter("m1", ""), Member.voter("m2", ""), Member.voter("m3", "")));
        final var random = new SplittableRandom(11);
        for (Member member : membership.members()) {
            final var settings = new GroupSettings(
                    "g", member.id(), membership, Durability.NONE, TICK_NANOS, 10, 1, SLOTS, 1_000_000, 1_000_000);
            final var storage = new LocalStorage(directory.resolve(member.id()), LocalStorage.SMALL_SEGMENTS);
            storages.add(storage);
            final var group = new GroupMember<>(
                    settings, new ChecksumMachine(), new BytesCodec(), scheduler, () -> now[0], random.split());
            members.add(group);
            group.start(storage.journals, storage.snapshots, network.streamer());
        }
        final GroupMember<byte[]> first = stepUntil("a leader followed by all", this::leader);
        stepUntil(
                "every member applied the first leader's no-op",
                () -> first.commitIndex() > 0
                        && members.stream().allMatch(g -> g.appliedIndex() == first.commitIndex()));
        final long firstNoop = first.commitIndex();

        // The first leader fills its ring and replicates every entry, but hears no acknowledgement: nothing commits,
        // and the followers' rings hold as many uncommitted entries as the leader's intake let in.
        network.lose(AppendResponse.class);
        final var outcomes = new Outcomes();
        for (int i = 0; i < SLOTS; i++) {
            first.propose(new byte[] {(byte) i}, 1, TimeUnit.HOURS, outcomes);
        }
        final long proposed = firstNoop + SLOTS - GroupSettings.RESERVED_SLOTS;
        stepUntil(
                "the followers hold the first leader's proposals",
                () -> members.stream().allMatch(g -> g.appliedIndex() == firstNoop && lastIndex(g) >= proposed));

        // The first leader is cut off; the others elect one of them, whose no-op follows those entries.
        network.isolate(first.memberId());
        network.deliverAll();
        final GroupMember<byte[]> second = stepUntil(
                "a new leader",
                () -> members.stream()
                        .filter(g -> g != first && g.role() == GroupRole.LEADER)
                        .findFirst()
                        .orElse(null));
        final GroupMember<byte[]> follower = members.stream()
                .filter(g -> g != first && g != second)
                .findFirst()
                .orElseThrow();

        stepUntil(
                "the new leader commits its no-op and both apply every replicated entry",
                () -> second.commitIndex() > proposed
                        && second.appliedIndex() > proposed
                        && follower.appliedIndex() > proposed);
        network.heal();
        stepUntil(
                "the first leader applies them too",
                () -> first.appliedIndex() >= second.appliedIndex() && first.role() == GroupRole.FOLLOWER);
        assertEquals(second.appliedIndex(), follower.appliedIndex());
        assertTrue(outcomes.applied.get() + outcomes.failures.size() <= SLOTS);
    }

    private long lastIndex(GroupMember<byte[]> group) {
        final String text = group.toString(); // "journal 1..N," names the journal's last index
        final int from = text.indexOf("..") + 2;
        return Long.parseLong(text.substring(from, text.indexOf(',', from)));
    }

    /** The member that leads and is followed by every other member, or {@code null}. */
    private GroupMember<byte[]> leader() {
        for (GroupMember<byte[]> candidate : members) {
            if (candidate.role() == GroupRole.LEADER
                    && members.stream()
                            .allMatch(g -> g.leaderId()
                                    .map(candidate.memberId()::equals)
                                    .orElse(false))) {
                return candidate;
            }
        }
        return null;
    }

    private <T> T stepUntil(String what, java.util.function.Supplier<T> found) {
        for (int round = 0; round < ROUNDS; round++) {
            final T value = found.get();
            if (value != null) {
                return value;
            }
            step();
        }
        throw new AssertionError("not within " + ROUNDS + " ticks: " + what + "; " + describe());
    }

    private void stepUntil(String what, BooleanSupplier condition) {
        stepUntil(what, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    private void step() {
        now[0] += TICK_NANOS;
        for (int i = 0; i < 4; i++) {
            scheduler.runRound();
        }
    }

    private String describe() {
        final var text = new StringBuilder();
        for (GroupMember<byte[]> group : members) {
            text.append(group).append("; ");
        }
        return text.toString();
    }
}
