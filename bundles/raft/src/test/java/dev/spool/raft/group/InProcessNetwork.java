package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.journal.ReleasableRecords;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.replication.GroupInbox;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.api.spi.replication.ReceivedBytes;
import dev.spool.api.spi.replication.ReleasableBytes;
import dev.spool.api.spi.replication.ReplicationStreamer;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.random.RandomGenerator;

/**
 * A {@link ReplicationStreamer} for members in one JVM: a message goes straight to the receiver's inbox, records,
 * snapshot chunks and forwarded payloads are copied to the heap (a network would copy them too) and the sender's
 * view is released at once; the copies are counted until their receiver releases them ({@link #unreleased}). Members can be
 * cut off from each other to make partitions, and a seeded share of messages can be lost.
 */
final class InProcessNetwork {

    private final Map<String, GroupInbox> inboxes = new ConcurrentHashMap<>();
    private final Set<String> isolated = ConcurrentHashMap.newKeySet();
    /** Messages of these types are lost, whoever sends them. */
    private final Set<Class<? extends RaftMessage>> lost = ConcurrentHashMap.newKeySet();
    /** Damages the records of the next sends to one member: "member" to the damage and how many sends are left. */
    private final Map<String, java.util.function.Consumer<ByteBuffer>> damage = new ConcurrentHashMap<>();

    private final Map<String, Integer> damagedSends = new ConcurrentHashMap<>();
    /** Messages lost on their way to one member, as "member/type". */
    private final Set<String> lostTo = ConcurrentHashMap.newKeySet();

    private final RandomGenerator random;
    private final double dropRate;
    /** The share of lost messages the sender's link took as sent (lost in a reconnect, not refused at once). */
    private final double silentShare;

    private final boolean zeroCopy;
    /** Copies of records and bytes handed to receivers and not yet released by them. */
    final java.util.concurrent.atomic.AtomicLong unreleased = new java.util.concurrent.atomic.AtomicLong();
    /** What becomes of a snapshot chunk on its way; by default it arrives as sent. */
    private volatile ChunkFault chunkFault = (message, chunk, deliver) -> deliver.test(message, chunk);
    /** What each member's link was last told its group's log names ({@link GroupLink#membersChanged}). */
    final Map<String, java.util.List<Member>> announced = new ConcurrentHashMap<>();
    /** Every announcement of each member's links, in order. */
    final Map<String, java.util.List<java.util.List<Member>>> announcements = new ConcurrentHashMap<>();
    /** Messages handed to a receiver, for measurements. */
    final java.util.concurrent.atomic.AtomicLong delivered = new java.util.concurrent.atomic.AtomicLong();

    /** A network that delivers everything sent between connected members, records copied to the heap. */
    InProcessNetwork() {
        this(null, 0, 0, false);
    }

    /**
     * A network that hands the leader's record views themselves to the receiver, which releases them once appended:
     * no copy, so that allocation measurements count the Raft threads' own work, not a transport's buffers.
     *
     * @return the network
     */
    static InProcessNetwork zeroCopy() {
        return new InProcessNetwork(null, 0, 0, true);
    }

    /**
     * A lossy network, for the single-threaded simulation.
     *
     * @param random decides which messages are lost
     * @param dropRate the share of messages lost
     * @param silentShare the share of lost messages the sender's link reports as sent: a send refused at once is a
     *     full send buffer or missing credit, one reported sent and lost is a connection that broke
     */
    InProcessNetwork(RandomGenerator random, double dropRate, double silentShare) {
        this(random, dropRate, silentShare, false);
    }

    private InProcessNetwork(RandomGenerator random, double dropRate, double silentShare, boolean zeroCopy) {
        this.random = random;
        this.dropRate = dropRate;
        this.silentShare = silentShare;
        this.zeroCopy = zeroCopy;
    }

    /** @return the streamer of one member */
    ReplicationStreamer streamer() {
        return (group, local, inbox) -> {
            inboxes.put(local.id(), inbox);
            return new Link(local.id(), inbox);
        };
    }

    /** The members on one side of a partition; empty when there is none. */
    private final Set<String> side = ConcurrentHashMap.newKeySet();

    /** Splits the members in two: {@code members} and the others hear nothing from each other until {@link #heal()}. */
    void partition(Set<String> members) {
        side.addAll(members);
    }

    /** Cuts {@code member} off: nothing it sends or is sent arrives until {@link #heal()}. */
    void isolate(String member) {
        isolated.add(member);
    }

    void heal() {
        isolated.clear();
        side.clear();
    }

    /** Loses every message of {@code type} from now on, until {@link #deliverAll()}. */
    void lose(Class<? extends RaftMessage> type) {
        lost.add(type);
    }

    /**
     * Damages the records of the next {@code sends} AppendEntries sent to {@code member}, as a faulty peer or a bit
     * flip on the way would: {@code how} gets the heap copy, positioned at the first record.
     */
    void damageRecordsTo(String member, int sends, java.util.function.Consumer<ByteBuffer> how) {
        damage.put(member, how);
        damagedSends.put(member, sends);
    }

    /** Passes every snapshot chunk sent from now on through {@code fault}. */
    void corruptSnapshotChunks(ChunkFault fault) {
        chunkFault = fault;
    }

    /** Decides what reaches the receiver of a snapshot chunk: the chunk, another, several, or nothing. */
    @FunctionalInterface
    interface ChunkFault {
        /**
         * @param message the chunk as sent
         * @param chunk its bytes, from position to limit; the sender's buffer, not to be changed
         * @param deliver hands a chunk and its bytes to the receiver; answers whether the receiver took it
         * @return whether the chunk counts as sent
         */
        boolean send(
                InstallSnapshot message,
                ByteBuffer chunk,
                java.util.function.BiPredicate<InstallSnapshot, ByteBuffer> deliver);
    }

    /** Loses every message of {@code type} sent to {@code member} from now on, until {@link #deliverAll()}. */
    void loseTo(String member, Class<? extends RaftMessage> type) {
        lostTo.add(member + "/" + type.getName());
    }

    void deliverAll() {
        lost.clear();
        lostTo.clear();
    }

    /** The receiver of messages the sender's link took and a broken connection then lost. */
    private static final GroupInbox LOST = new GroupInbox() {
        @Override
        public boolean deliver(RaftMessage message) {
            return true;
        }

        @Override
        public boolean deliverRecords(RaftMessage message, RawRecords records) {
            records.release();
            return true;
        }

        @Override
        public boolean deliverSnapshotChunk(RaftMessage message, ReceivedBytes chunk) {
            chunk.release();
            return true;
        }

        @Override
        public boolean deliverForwardedProposal(ForwardProposal message, ReceivedBytes payload) {
            payload.release();
            return true;
        }
    };

    /** The receiver's inbox; {@code null} if the send is refused, {@link #LOST} if it is lost after it was taken. */
    private GroupInbox route(String from, Member to, RaftMessage message) {
        if (isolated.contains(from)
                || isolated.contains(to.id())
                || lost.contains(message.getClass())
                || (!lostTo.isEmpty()
                        && lostTo.contains(to.id() + "/" + message.getClass().getName()))
                || (!side.isEmpty() && side.contains(from) != side.contains(to.id()))) {
            return null;
        }
        if (dropRate > 0 && random.nextDouble() < dropRate) {
            return silentShare > 0 && random.nextDouble() < silentShare ? LOST : null;
        }
        delivered.incrementAndGet();
        return inboxes.get(to.id());
    }

    private final class Link implements GroupLink {

        private final String from;
        private final GroupInbox own;

        Link(String from, GroupInbox own) {
            this.from = from;
            this.own = own;
        }

        @Override
        public boolean send(Member to, RaftMessage message) {
            final GroupInbox inbox = route(from, to, message);
            return inbox != null && inbox.deliver(message);
        }

        @Override
        public boolean sendRecords(Member to, RaftMessage message, RawRecords records) {
            if (zeroCopy) {
                final GroupInbox inbox = route(from, to, message);
                if (inbox == null) {
                    records.release();
                    return false;
                }
                return inbox.deliverRecords(message, records);
            }
            try {
                final GroupInbox inbox = route(from, to, message);
                if (inbox == null || inbox == LOST) {
                    return inbox == LOST;
                }
                ByteBuffer copy = copy(records.buffer());
                if (damagedSends.getOrDefault(to.id(), 0) > 0) {
                    damagedSends.merge(to.id(), -1, Integer::sum);
                    copy = ByteBuffer.allocate(records.buffer().remaining())
                            .put(records.buffer().duplicate())
                            .flip();
                    damage.get(to.id()).accept(copy);
                }
                return inbox.deliverRecords(
                        message, new HeapRecords(records.firstIndex(), records.lastIndex(), records.lastTerm(), copy));
            } finally {
                records.release();
            }
        }

        @Override
        public boolean sendSnapshotChunk(Member to, RaftMessage message, ByteBuffer chunk) {
            final GroupInbox inbox = route(from, to, message);
            return inbox != null
                    && chunkFault.send(
                            (InstallSnapshot) message,
                            chunk,
                            (sent, bytes) -> inbox.deliverSnapshotChunk(sent, new HeapBytes(copy(bytes))));
        }

        @Override
        public boolean sendForwardedProposal(Member to, ForwardProposal message, ByteBuffer payload) {
            final GroupInbox inbox = route(from, to, message);
            return inbox != null && inbox.deliverForwardedProposal(message, new HeapBytes(copy(payload)));
        }

        @Override
        public void membersChanged(java.util.List<Member> members) {
            announced.put(from, java.util.List.copyOf(members));
            announcements
                    .computeIfAbsent(from, member -> new java.util.concurrent.CopyOnWriteArrayList<>())
                    .add(java.util.List.copyOf(members));
        }

        @Override
        public void close() {
            inboxes.remove(from, own);
        }
    }

    private static ByteBuffer copy(ByteBuffer bytes) {
        final ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        return copy.put(bytes.duplicate()).flip().asReadOnlyBuffer();
    }

    /** Records copied to the heap, counted until released. */
    private final class HeapRecords extends ReleasableRecords {

        HeapRecords(long firstIndex, long lastIndex, long lastTerm, ByteBuffer buffer) {
            super(buffer, firstIndex, lastIndex, lastTerm);
            unreleased.incrementAndGet();
        }

        @Override
        protected void releaseMemory() {
            unreleased.decrementAndGet();
        }
    }

    /** Bytes copied to the heap (a snapshot chunk, a forwarded payload), counted until released. */
    private final class HeapBytes extends ReleasableBytes {

        HeapBytes(ByteBuffer buffer) {
            super(buffer);
            unreleased.incrementAndGet();
        }

        @Override
        protected void releaseMemory() {
            unreleased.decrementAndGet();
        }
    }
}
