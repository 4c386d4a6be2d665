package dev.spool.raft.group;

import dev.spool.api.cluster.Member;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.journal.ReleasableRecords;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.InstallSnapshot;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.replication.GroupInbox;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.api.spi.replication.ReleasableBytes;
import dev.spool.api.spi.replication.ReplicationStreamer;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The transport of {@code NettyReplicationStreamer} as the simulation's members see it, on one thread: one
 * connection per pair of members, which breaks (everything queued or in flight on it is lost, both ways) and stays
 * down for a reconnect gap; while it is down every send is refused. Per direction, a send buffer of a bounded number
 * of unsent bytes drained at a bounded rate: a send that finds it full is refused, whatever the message. Per group
 * and direction, the receiver's credit ({@code SendCredit}, {@code ReceiveWindow}): a new connection grants the
 * whole window in a Credit frame that travels like any other; an AppendEntries with records or an InstallSnapshot
 * chunk spends it (one larger than the credit left goes only while nothing is in flight, and takes the whole window)
 * or is refused; the receiver grants it back in batches (a quarter of the window, or as soon as it holds nothing)
 * once its group released the received bytes. Frames of one direction arrive in order. The receiver's inbox may
 * refuse a frame (it is full, the group is stopped): the frame is then lost, though the sender counted it sent; a
 * seeded share of frames is refused so. An AppendEntries may arrive with one byte of a record flipped.
 *
 * <p>Single-threaded: the simulation's thread sends, {@linkplain #deliver delivers} and releases.
 */
final class StreamerModel {

    /** What a frame costs besides its attachment: its header and the message's fields. */
    private static final int FRAME_OVERHEAD = 64;
    /** Offset of a record's payload (docs/journal-format.md): a flip there fails its checksum. */
    private static final int RECORD_PAYLOAD = 28;

    /** How the transport is set up for one run. */
    record Settings(
            int windowEntries,
            int windowBytes,
            int sendBufferBytes,
            int bytesPerDelivery,
            double refusedShare,
            double corruptShare,
            double breakShare,
            int maxGapDeliveries) {}

    private final Settings settings;
    private final SplittableRandom random;
    private final Map<String, GroupInbox> inboxes = new HashMap<>();
    /** Members whose process is down: no connection reaches them. */
    private final Set<String> down = new HashSet<>();
    /** Members on the far side of a partition, cut off from all others. */
    private final Set<String> isolated = new HashSet<>();
    /** One side of a split, cut off from the other members; empty when there is none. */
    private final Set<String> side = new HashSet<>();

    private final Map<String, Connection> connections = new HashMap<>();
    /** Counts, for the run's summary and for checks. */
    long refusedWithoutCredit;

    long refusedFullBuffer;
    long refusedNoConnection;
    long lostInBreaks;
    long refusedByInbox;
    long corrupted;
    long snapshotChunks;
    long breaks;
    /** Received bytes handed to groups and not yet released. */
    long unreleased;
    /** Every AppendEntries and InstallSnapshot offered, per directed pair "from>to", since {@link #takeAsks()}. */
    private Map<String, Integer> asks = new HashMap<>();

    StreamerModel(Settings settings, SplittableRandom random) {
        this.settings = settings;
        this.random = random;
    }

    /** @return the streamer of one member's process */
    ReplicationStreamer streamer(String member) {
        return (group, local, inbox) -> {
            inboxes.put(member, inbox);
            return new Link(member, inbox);
        };
    }

    /** The member's process died: its connections break. */
    void crash(String member) {
        down.add(member);
        breakConnectionsOf(member);
    }

    /** The member's process runs again: its peers reconnect after their gap. */
    void restart(String member) {
        down.remove(member);
    }

    /** Cuts the member off until {@link #heal}: its connections break and none forms. */
    void isolate(String member) {
        isolated.add(member);
        breakConnectionsOf(member);
    }

    /** Splits the members in two: {@code members} and the others, until {@link #heal}; replaces an earlier split. */
    void split(Set<String> members) {
        side.clear(); // added to an earlier side, the new one could join members the split means to keep apart
        side.addAll(members);
        for (Connection connection : connections.values()) {
            if (connection.up && side.contains(connection.a) != side.contains(connection.b)) {
                connection.breakDown(0);
            }
        }
    }

    void heal() {
        isolated.clear();
        side.clear();
    }

    /** @return the AppendEntries and InstallSnapshot offered per directed pair "from>to" since the last call */
    Map<String, Integer> takeAsks() {
        final Map<String, Integer> taken = asks;
        asks = new HashMap<>();
        return taken;
    }

    private void breakConnectionsOf(String member) {
        for (Connection connection : connections.values()) {
            if (connection.up && (connection.a.equals(member) || connection.b.equals(member))) {
                connection.breakDown(0);
            }
        }
    }

    /**
     * Moves one burst along every connection: breaks some, re-establishes those whose gap is over, hands each
     * direction's queued frames to the receiver up to the rate. A paused receiver reads nothing.
     *
     * @param paused the member whose process is paused, or {@code null}
     */
    void deliver(String paused) {
        for (Connection connection : connections.values()) {
            if (connection.up && settings.breakShare() > 0 && random.nextDouble() < settings.breakShare()) {
                connection.breakDown(1 + random.nextInt(settings.maxGapDeliveries()));
            } else if (!connection.up && reachable(connection)) {
                if (connection.gap-- <= 0) {
                    connection.establish();
                }
            }
        }
        for (Connection connection : connections.values()) {
            if (connection.up) {
                if (!connection.b.equals(paused)) {
                    connection.toB.drain();
                }
                if (!connection.a.equals(paused)) {
                    connection.toA.drain();
                }
            }
        }
    }

    private boolean reachable(Connection connection) {
        return !down.contains(connection.a)
                && !down.contains(connection.b)
                && !isolated.contains(connection.a)
                && !isolated.contains(connection.b)
                && (side.isEmpty() || side.contains(connection.a) == side.contains(connection.b));
    }

    private Connection connection(String from, String to) {
        final String a = from.compareTo(to) < 0 ? from : to;
        final String b = a.equals(from) ? to : from;
        return connections.computeIfAbsent(a + "|" + b, key -> new Connection(a, b));
    }

    /** One frame queued or in flight. */
    private record Frame(RaftMessage message, ByteBuffer bytes, long charge, int size) {}

    /** The connection between two members; {@code a} sorts first and dials. */
    private final class Connection {
        final String a;
        final String b;
        final Direction toB;
        final Direction toA;
        boolean up;
        int gap;
        /** Which connection this is: releases of bytes received on an earlier one grant nothing. */
        int epoch;

        Connection(String a, String b) {
            this.a = a;
            this.b = b;
            this.toB = new Direction(this, a, b);
            this.toA = new Direction(this, b, a);
        }

        Direction from(String member) {
            return member.equals(a) ? toB : toA;
        }

        void breakDown(int reconnectGap) {
            up = false;
            gap = reconnectGap;
            breaks++;
            lostInBreaks += toB.queue.size() + toA.queue.size();
            toB.reset();
            toA.reset();
        }

        void establish() {
            up = true;
            epoch++;
            // Each side's group grants its whole window at once; the grant travels as a frame.
            toB.grant(window());
            toA.grant(window());
        }
    }

    private long window() {
        return credits(settings.windowEntries(), settings.windowBytes());
    }

    private static long credits(int entries, int bytes) {
        return (long) entries << Integer.SIZE | bytes;
    }

    private static int entries(long credits) {
        return (int) (credits >>> Integer.SIZE);
    }

    private static int bytes(long credits) {
        return (int) credits;
    }

    /** One direction of a connection: its send buffer, the sender's credit and the receiver's window. */
    private final class Direction {
        final Connection connection;
        final String from;
        final String to;
        final ArrayDeque<Frame> queue = new ArrayDeque<>();
        int queuedBytes;
        /** What the sender may still spend; {@code -1} until the receiver's first grant arrived. */
        long credit = -1;
        /** The receiver's charges held by its group, and released but not yet granted back. */
        long held;

        long released;

        Direction(Connection connection, String from, String to) {
            this.connection = connection;
            this.from = from;
            this.to = to;
        }

        void reset() {
            queue.clear();
            queuedBytes = 0;
            credit = -1;
            held = 0;
            released = 0;
        }

        /** The receiver of this direction grants the sender credit: a Credit frame the other way. */
        void grant(long granted) {
            final Direction back = connection.from(to);
            back.queue.add(new Frame(null, null, granted, FRAME_OVERHEAD));
            back.queuedBytes += FRAME_OVERHEAD;
        }

        /** Queues a frame, or refuses it as the streamer would; a bulk frame spends credit. */
        boolean offer(RaftMessage message, ByteBuffer bytes, int entries) {
            if (message instanceof AppendEntries || message instanceof InstallSnapshot) {
                asks.merge(from + ">" + to, 1, Integer::sum);
            }
            if (!connection.up) {
                refusedNoConnection++;
                return false;
            }
            if (queuedBytes >= settings.sendBufferBytes()) {
                refusedFullBuffer++;
                return false;
            }
            final int size = FRAME_OVERHEAD + (bytes == null ? 0 : bytes.remaining());
            long charge = 0;
            if (entries > 0) {
                final long whole = window();
                if (credit >= 0 && entries <= entries(credit) && size <= bytes(credit)) {
                    charge = credits(entries, size);
                } else if (credit == whole) {
                    charge = whole;
                } else {
                    refusedWithoutCredit++;
                    return false;
                }
                credit -= charge;
            }
            if (message instanceof InstallSnapshot) {
                snapshotChunks++;
            }
            queue.add(new Frame(message, bytes == null ? null : copy(bytes), charge, size));
            queuedBytes += size;
            return true;
        }

        /** Hands queued frames to the receiver, up to the rate; a credit frame adds to the sender's credit. */
        void drain() {
            int budget = settings.bytesPerDelivery();
            while (!queue.isEmpty() && budget > 0 && connection.up) {
                final Frame frame = queue.poll();
                queuedBytes -= frame.size();
                budget -= frame.size();
                if (frame.message() == null) {
                    // A grant from the other side: this direction's sender is the grant's receiver.
                    final Direction granted = connection.from(to);
                    granted.credit = Math.max(granted.credit, 0) + frame.charge();
                    continue;
                }
                handOver(frame);
            }
        }

        private void handOver(Frame frame) {
            final GroupInbox inbox = inboxes.get(to);
            final int epoch = connection.epoch;
            final Runnable onRelease = frame.charge() == 0
                    ? () -> unreleased--
                    : () -> {
                        unreleased--;
                        if (connection.epoch == epoch && connection.up) {
                            release(frame.charge());
                        }
                    };
            if (frame.charge() != 0) {
                held += frame.charge();
            }
            final boolean refuse = inbox == null || random.nextDouble() < settings.refusedShare();
            final RaftMessage message = frame.message();
            final boolean taken;
            if (message instanceof AppendEntries entries && frame.bytes() != null) {
                ByteBuffer records = frame.bytes();
                if (settings.corruptShare() > 0 && random.nextDouble() < settings.corruptShare()) {
                    records = flipOneByte(records);
                }
                final var delivered = new Received(entries, records, onRelease);
                unreleased++;
                if (refuse) {
                    delivered.release();
                    taken = false;
                } else {
                    taken = inbox.deliverRecords(message, delivered);
                }
            } else if (frame.bytes() != null) {
                final var delivered = new ReceivedChunk(frame.bytes(), onRelease);
                unreleased++;
                if (refuse) {
                    delivered.release();
                    taken = false;
                } else if (message instanceof ForwardProposal forwarded) {
                    taken = inbox.deliverForwardedProposal(forwarded, delivered);
                } else {
                    taken = inbox.deliverSnapshotChunk(message, delivered);
                }
            } else {
                taken = !refuse && inbox.deliver(message);
            }
            if (!taken) {
                refusedByInbox++;
            }
        }

        /** The receiver's group released a frame's bytes: its charge is granted back once enough waits. */
        private void release(long charge) {
            held -= charge;
            released += charge;
            if (held == 0
                    || entries(released) >= Math.max(1, settings.windowEntries() / 4)
                    || bytes(released) >= Math.max(1, settings.windowBytes() / 4)) {
                grant(released);
                released = 0;
            }
        }

        /** A copy of the records with one byte of one record's payload or header flipped. */
        private ByteBuffer flipOneByte(ByteBuffer records) {
            final ByteBuffer copy = ByteBuffer.allocate(records.remaining())
                    .put(records.duplicate())
                    .flip();
            final int offset = copy.remaining() > RECORD_PAYLOAD
                    ? RECORD_PAYLOAD + random.nextInt(copy.remaining() - RECORD_PAYLOAD)
                    : random.nextInt(copy.remaining());
            copy.put(offset, (byte) (copy.get(offset) ^ (1 << random.nextInt(8))));
            corrupted++;
            return copy.asReadOnlyBuffer();
        }
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
            return connection(from, to.id()).from(from).offer(message, null, 0);
        }

        @Override
        public boolean sendRecords(Member to, RaftMessage message, RawRecords records) {
            try {
                return connection(from, to.id()).from(from).offer(message, records.buffer(), (int)
                        ((AppendEntries) message).entryCount());
            } finally {
                records.release();
            }
        }

        @Override
        public boolean sendSnapshotChunk(Member to, RaftMessage message, ByteBuffer chunk) {
            return connection(from, to.id()).from(from).offer(message, chunk, 1);
        }

        @Override
        public boolean sendForwardedProposal(Member to, ForwardProposal message, ByteBuffer payload) {
            return connection(from, to.id()).from(from).offer(message, payload, 0);
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

    /** Received records: their release gives the frame's credit back. */
    private static final class Received extends ReleasableRecords {
        private final Runnable onRelease;

        Received(AppendEntries message, ByteBuffer buffer, Runnable onRelease) {
            super(buffer, message.firstIndex(), message.lastIndex(), message.entryTerm());
            this.onRelease = onRelease;
        }

        @Override
        protected void releaseMemory() {
            onRelease.run();
        }
    }

    /** A received snapshot chunk or forwarded payload. */
    private static final class ReceivedChunk extends ReleasableBytes {
        private final Runnable onRelease;

        ReceivedChunk(ByteBuffer buffer, Runnable onRelease) {
            super(buffer);
            this.onRelease = onRelease;
        }

        @Override
        protected void releaseMemory() {
            onRelease.run();
        }
    }
}
