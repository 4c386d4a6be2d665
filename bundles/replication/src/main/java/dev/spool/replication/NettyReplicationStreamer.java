package dev.spool.replication;

import dev.spool.api.cluster.Member;
import dev.spool.api.spi.journal.RawRecords;
import dev.spool.api.spi.raft.AppendEntries;
import dev.spool.api.spi.raft.ForwardProposal;
import dev.spool.api.spi.raft.RaftMessage;
import dev.spool.api.spi.replication.GroupInbox;
import dev.spool.api.spi.replication.GroupLink;
import dev.spool.api.spi.replication.ReplicationStreamer;
import dev.spool.replication.link.HandshakeHandler;
import dev.spool.replication.link.LinkEvents;
import dev.spool.replication.link.PeerPipeline;
import dev.spool.replication.link.PeerTls;
import dev.spool.replication.link.ProtocolViolationException;
import dev.spool.replication.wire.Credit;
import dev.spool.replication.wire.FrameEncoder;
import dev.spool.replication.wire.Goodbye;
import dev.spool.replication.wire.GroupMessage;
import dev.spool.replication.wire.HandshakeAcceptor;
import dev.spool.replication.wire.HandshakeInitiator;
import dev.spool.replication.wire.VersionRange;
import dev.spool.replication.wire.WireFormat;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * A {@link ReplicationStreamer} over TCP with Netty: one connection per pair of members, shared by all the groups
 * they have in common, in the wire format of {@code docs/wire-protocol.md}.
 *
 * <p><b>Who connects.</b> Of two members, the one whose id sorts first ({@link String#compareTo}) opens the
 * connection and keeps reopening it after it breaks, waiting between attempts with capped exponential backoff; the
 * other only accepts. A connection accepted from a peer that already has one replaces it (the peer reconnected
 * before this member noticed the old connection broke). Until a connection stands, messages to the peer are
 * dropped.
 *
 * <p><b>Whom it knows.</b> The configured peers ({@link StreamerSettings#peers()}) only bootstrap the transport:
 * each joined group tells it whom its log names ({@link GroupLink#membersChanged}), with the addresses of that
 * membership, and the transport accepts those members and dials those it connects to. A member no group and no
 * configured peer names any more is no longer dialled and its connection is closed. A configured peer's address wins
 * over a learned one.
 *
 * <p><b>Flow control per group.</b> Each group of this member grants each connected peer a window
 * ({@link FlowWindow#entries()}, {@link FlowWindow#bytes()}) in Credit frames, when the connection is established
 * or the group joins; the peer's bulk frames for the group (AppendEntries with records, InstallSnapshot) spend it,
 * and it is granted back, in batches, as the group releases the records it received. A group without the credit
 * for a bulk frame has the frame dropped ({@link GroupLink#sendRecords} returns {@code false},
 * {@link #droppedWithoutCredit()} counts it; Raft retransmits), so a group whose follower falls behind holds up
 * only itself, never the other groups on the connection. A frame larger than the credit left goes only when the
 * group has nothing in flight, and then takes the whole window: an AppendEntries larger than the window still goes,
 * alone. A peer that sends beyond its credit breaks the protocol: the connection is closed with a Goodbye and the
 * reason (peer, group, the overrun) is logged; nothing of the frame is delivered.
 *
 * <p><b>Never buffering without bound.</b> A message for a peer whose connection is missing or holds more than
 * {@link FlowWindow#sendBufferBytes()} unsent is dropped and counted ({@link #droppedMessages()}); that bounds the
 * small messages (votes, heartbeats, responses), which spend no credit. AppendEntries records go to the socket from
 * the leader's journal view itself, which is released when the write completes, fails or is dropped. Received
 * records and snapshot chunks are handed to the group as a reference to the received bytes (no copy), a forwarded
 * proposal's payload as a copy of exactly its bytes: {@link GroupInbox} takes ownership beyond the call, so the group
 * holds a reference and releases it, and a bulk frame's credit is granted back only then (docs/raft-actor.md,
 * "Ownership").
 *
 * <p><b>Batched sends.</b> A message is encoded on the sending thread and queued to the connection without a flush;
 * one flush per burst follows ({@code BurstWriter}), so messages sent together cost one wake-up of the event loop
 * and one write to the socket.
 *
 * <p><b>Liveness.</b> A connection that sent nothing for {@link LinkTiming#keepAliveInterval()} sends a KeepAlive; a
 * connection that received nothing for {@link LinkTiming#idleTimeout()} is taken for dead and closed, the reason
 * logged, and the dialing member reconnects (after a pause of this member's own event loop, once more a keep-alive
 * interval later, when what arrived meanwhile was read). A connection attempt gives up after
 * {@link LinkTiming#connectTimeout()}, and a connection whose handshake (TLS included) is not done that long after it
 * connected is closed, the reason logged with the peer's address.
 *
 * <p><b>Mutual TLS</b> (if the settings carry {@link TlsSettings}): every connection is encrypted with TLS 1.3 over
 * the JDK's provider, both members present certificates their peer's trust store must accept, and a certificate must
 * name the member id it is used for (its subject CN or a subjectAltName DNS name equals the id), checked by the
 * accepting member against the id the peer's handshake claims and by the dialing member against the id it dialed;
 * a peer that fails either check is refused with a logged reason. The stores are loaded by the constructor. Over
 * TLS the journal view is read by the TLS engine only, and released once the engine consumed it. See
 * {@code docs/wire-protocol.md}, "Mutual TLS".
 *
 * <p>Threads: {@link #join} and {@link #close} from any thread; a group's link sends from one thread at a time;
 * inboxes are called on the event-loop threads; received records may be released on any thread.
 */
public final class NettyReplicationStreamer implements ReplicationStreamer, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NettyReplicationStreamer.class.getName());
    private static final VersionRange WIRE_VERSIONS =
            new VersionRange(WireFormat.WIRE_VERSION, WireFormat.WIRE_VERSION);
    private static final VersionRange RECORD_FORMATS =
            new VersionRange(WireFormat.RECORD_FORMAT, WireFormat.RECORD_FORMAT);
    private static final long BIND_TIMEOUT_SECONDS = 10;

    private final StreamerSettings settings;
    private final FrameEncoder encoder;
    private final Backoff backoff;
    /** The TLS of the peer links, or {@code null} for plaintext. */
    private final PeerTls tls;

    private final EventLoopGroup loops;
    private final Channel server;
    private final Bootstrap dialing;
    private final Map<String, PeerConnection> connections = new ConcurrentHashMap<>();
    private final Map<String, Joined> groups = new ConcurrentHashMap<>();
    private final Map<String, Dialer> dialers = new ConcurrentHashMap<>();
    /** The configured peers and those the groups' memberships name: whom this member accepts and dials. */
    private final PeerDirectory directory;

    private final LongAdder dropped = new LongAdder();
    private final LongAdder droppedWithoutCredit = new LongAdder();
    private final LongAdder undeliverable = new LongAdder();
    private final Events events = new Events();
    private volatile boolean closed;

    /**
     * Starts the transport: listens at the settings' address and begins connecting to the peers this member
     * connects to.
     *
     * @param settings how it runs
     * @throws IllegalArgumentException if a TLS key store or trust store is missing, has another password, cannot be
     *     read as the configured type, or holds no key (trust store: nothing); the message names the file
     * @throws IllegalStateException if the listen address cannot be bound
     */
    public NettyReplicationStreamer(StreamerSettings settings) {
        this.settings = settings;
        this.directory = new PeerDirectory(settings.memberId(), settings.peers());
        this.encoder = new FrameEncoder(settings.limits());
        this.backoff = new Backoff(
                settings.timing().initialBackoff(), settings.timing().maxBackoff());
        this.tls = settings.tlsSettings()
                .map(stores -> TlsStores.load(
                        stores, settings.memberId(), settings.timing().connectTimeout()))
                .orElse(null);
        this.loops = new NioEventLoopGroup(
                settings.ioThreads(), new DefaultThreadFactory("spool-replication-" + settings.memberId(), true));
        final WriteBufferWaterMark sendBuffer = new WriteBufferWaterMark(
                settings.window().sendBufferBytes() / 2, settings.window().sendBufferBytes());
        final HandshakeAcceptor acceptor = new HandshakeAcceptor(
                settings.cluster(), settings.memberId(), directory::knows, WIRE_VERSIONS, RECORD_FORMATS);
        final ChannelFuture bound = new ServerBootstrap()
                .group(loops)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, sendBuffer)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        installPipeline(
                                channel,
                                true,
                                HandshakeHandler.accepting(
                                        acceptor,
                                        settings.memberId(),
                                        settings.limits(),
                                        settings.timing().connectTimeout(),
                                        events));
                    }
                })
                .bind(settings.listenAddress());
        if (!bound.awaitUninterruptibly(BIND_TIMEOUT_SECONDS, TimeUnit.SECONDS) || !bound.isSuccess()) {
            loops.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new IllegalStateException(
                    "member " + settings.memberId() + " cannot listen at " + settings.listenAddress(), bound.cause());
        }
        this.server = bound.channel();
        this.dialing = new Bootstrap()
                .group(loops)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(
                        Integer.MAX_VALUE, settings.timing().connectTimeout().toMillis()))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, sendBuffer);
        settings.peers().forEach((peer, address) -> {
            if (connects(peer)) {
                final Dialer dialer = new Dialer(peer, address);
                dialers.put(peer, dialer);
                dialer.dial();
            }
        });
    }

    /**
     * Returns where this member listens (with the port actually bound).
     *
     * @return the address
     */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) server.localAddress();
    }

    /**
     * Tells whether a connection to a peer stands (its handshake succeeded and it is open).
     *
     * @param peer the peer's id
     * @return whether messages to the peer can be sent now
     */
    public boolean connected(String peer) {
        final PeerConnection connection = connections.get(peer);
        return connection != null && connection.channel().isActive();
    }

    /**
     * Returns how many messages were dropped because their peer had no connection or a full send buffer.
     *
     * @return the count since start
     */
    public long droppedMessages() {
        return dropped.sum();
    }

    /**
     * Returns how many bulk messages (AppendEntries with records, InstallSnapshot) were dropped because their group
     * had not the credit for them from the peer.
     *
     * @return the count since start
     */
    public long droppedWithoutCredit() {
        return droppedWithoutCredit.sum();
    }

    /**
     * Returns how many received messages no group took: the group was not joined or its inbox was full.
     *
     * @return the count since start
     */
    public long undeliverableMessages() {
        return undeliverable.sum();
    }

    /**
     * Returns how many peers this member knows only from its groups' memberships (not configured).
     *
     * @return the count now
     */
    public int learnedPeers() {
        return directory.learnedCount();
    }

    /**
     * Returns how many peers this member dials (it connects to them, and knows where they listen).
     *
     * @return the count now
     */
    public int dialledPeers() {
        return dialers.size();
    }

    @Override
    public GroupLink join(String group, Member localMember, GroupInbox inbox) {
        if (!localMember.id().equals(settings.memberId())) {
            throw new IllegalArgumentException("member " + localMember.id() + " cannot join through the transport"
                    + " of member " + settings.memberId());
        }
        final Joined joined = new Joined(group, inbox);
        if (groups.putIfAbsent(group, joined) != null) {
            throw new IllegalStateException(
                    "group " + group + " is already attached for member " + settings.memberId());
        }
        // A connection established meanwhile opens the window too; opening is idempotent on the event loop.
        for (PeerConnection connection : connections.values()) {
            connection.openWindowLater(group);
        }
        return joined;
    }

    /** Closes every connection (with a {@code SHUTDOWN} Goodbye), stops listening and stops the I/O threads. */
    @Override
    public void close() {
        closed = true;
        server.close();
        for (PeerConnection connection : connections.values()) {
            final Channel channel = connection.channel();
            channel.writeAndFlush(encoder.encode(
                            channel.alloc(),
                            Goodbye.because(Goodbye.Reason.SHUTDOWN, "member " + settings.memberId() + " stops")))
                    .addListener(ChannelFutureListener.CLOSE);
        }
        loops.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private void installPipeline(SocketChannel channel, boolean accepted, HandshakeHandler handshake) {
        final LinkTiming timing = settings.timing();
        if (tls == null) {
            PeerPipeline.install(
                    channel, settings.limits(), timing.keepAliveInterval(), timing.idleTimeout(), handshake);
        } else {
            PeerPipeline.install(
                    channel,
                    tls.handler(channel.alloc(), accepted),
                    settings.limits(),
                    timing.keepAliveInterval(),
                    timing.idleTimeout(),
                    handshake);
        }
    }

    private boolean connects(String peer) {
        return settings.memberId().compareTo(peer) < 0;
    }

    /**
     * Dials the peers a membership change gave a new address (those this member connects to), stops dialling the
     * ones no longer known and closes their connections. Serialized: the groups' threads call it.
     */
    private synchronized void apply(PeerDirectory.Change change) {
        change.readdressed().forEach((peer, address) -> {
            if (connects(peer)) {
                final Dialer previous = dialers.remove(peer);
                if (previous != null) {
                    previous.stop();
                }
                if (address != null && !closed) {
                    final Dialer dialer = new Dialer(peer, address);
                    dialers.put(peer, dialer);
                    dialer.dial();
                }
            }
        });
        for (String peer : change.forgotten()) {
            final Dialer dialer = dialers.remove(peer);
            if (dialer != null) {
                dialer.stop();
            }
            final PeerConnection connection = connections.get(peer);
            if (connection != null) {
                LOG.log(
                        Level.INFO,
                        "member {0} disconnects from member {1}: no group and no configured peer names"
                                + " it any more",
                        settings.memberId(),
                        peer);
                connection.channel().close();
            }
        }
    }

    /** The connection to a peer, if it can take more now; otherwise the message is counted as dropped. */
    private PeerConnection writableConnection(String peer) {
        final PeerConnection connection = connections.get(peer);
        if (connection == null || !connection.writable()) {
            dropped.increment();
            return null;
        }
        return connection;
    }

    /** The connection a frame arrived on, or {@code null} if it was replaced meanwhile (its frames are dropped). */
    private PeerConnection current(String peer, Channel channel) {
        final PeerConnection connection = connections.get(peer);
        return connection != null && connection.channel() == channel ? connection : null;
    }

    /** Opens and reopens the connection to one peer this member connects to. */
    private final class Dialer {

        private final String peer;
        private final InetSocketAddress address;
        private final AtomicInteger failures = new AtomicInteger();
        /** Set once the peer is no longer known or has another address: this dialer gives up. */
        private volatile boolean stopped;
        /** The connection last opened, which {@link #stop} closes. */
        private volatile Channel channel;

        Dialer(String peer, InetSocketAddress address) {
            this.peer = peer;
            this.address = address;
        }

        /** Dials no more and closes the connection this dialer opened, if any. */
        void stop() {
            stopped = true;
            final Channel opened = channel;
            if (opened != null) {
                opened.close();
            }
        }

        void dial() {
            if (closed || stopped) {
                return;
            }
            final HandshakeInitiator initiator = new HandshakeInitiator(
                    settings.cluster(), settings.memberId(), peer, WIRE_VERSIONS, RECORD_FORMATS);
            final ChannelFuture connecting = dialing.clone()
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel channel) {
                            installPipeline(
                                    channel,
                                    false,
                                    HandshakeHandler.initiating(
                                            initiator,
                                            settings.memberId(),
                                            settings.limits(),
                                            settings.timing().connectTimeout(),
                                            events));
                        }
                    })
                    .connect(address);
            connecting.addListener((ChannelFuture connect) -> {
                if (connect.isSuccess()) {
                    channel = connect.channel();
                    if (stopped) {
                        connect.channel().close();
                    }
                    connect.channel().closeFuture().addListener(close -> retry());
                } else {
                    LOG.log(
                            Level.DEBUG,
                            "member {0} cannot reach member {1} at {2}: {3}",
                            settings.memberId(),
                            peer,
                            address,
                            String.valueOf(connect.cause()));
                    retry();
                }
            });
        }

        /** The handshake succeeded: the next break is retried after the initial wait again. */
        void connected() {
            failures.set(0);
        }

        private void retry() {
            if (closed || stopped) {
                return;
            }
            try {
                loops.schedule(this::dial, backoff.delayNanos(failures.getAndIncrement()), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // The I/O threads stop: the streamer is closing.
            }
        }
    }

    /** Keeps the established connections, their credit, and routes received messages to the joined groups. */
    private final class Events implements LinkEvents {

        @Override
        public void established(String peer, Channel channel) {
            final PeerConnection connection = new PeerConnection(channel, encoder, settings.window());
            final PeerConnection previous = connections.put(peer, connection);
            if (previous != null && previous.channel() != channel) {
                previous.channel().close();
            }
            channel.closeFuture().addListener(close -> connections.remove(peer, connection));
            // A group joining meanwhile opens its window too; opening is idempotent on this event loop.
            for (String group : groups.keySet()) {
                connection.openWindow(group);
            }
            final Dialer dialer = dialers.get(peer);
            if (dialer != null) {
                dialer.connected();
            }
            if (closed || !directory.knows(peer)) { // closing, or forgotten while the handshake ran
                channel.close();
            }
            LOG.log(
                    Level.INFO,
                    "member {0} connected to member {1} at {2}",
                    settings.memberId(),
                    peer,
                    channel.remoteAddress());
        }

        @Override
        public void received(String peer, Channel channel, GroupMessage received, int frameBytes)
                throws ProtocolViolationException {
            final PeerConnection connection = current(peer, channel);
            final Joined joined = groups.get(received.group());
            final int entries = PeerConnection.creditEntries(received.message());
            if (connection == null) {
                undeliverable.increment();
            } else if (entries == 0) {
                if (joined == null || !joined.deliverSmall(received)) {
                    undeliverable.increment();
                }
            } else {
                final ReceiveWindow window = connection.grantedWindow(received.group());
                final long charge = window.admit(entries, frameBytes);
                if (joined == null) {
                    window.release(charge);
                    undeliverable.increment();
                } else if (!joined.deliverBulk(received, window, charge)) {
                    undeliverable.increment();
                }
            }
        }

        @Override
        public void credited(String peer, Channel channel, Credit credit) throws ProtocolViolationException {
            final PeerConnection connection = current(peer, channel);
            if (connection != null) {
                connection.credited(credit);
            }
        }
    }

    /** A joined group: its inbox and its link. */
    private final class Joined implements GroupLink {

        private final String group;
        private final GroupInbox inbox;

        Joined(String group, GroupInbox inbox) {
            this.group = group;
            this.inbox = inbox;
        }

        /** Hands a message that spends no credit on; a forwarded proposal with a copy of its payload. */
        boolean deliverSmall(GroupMessage received) {
            final RaftMessage message = received.message();
            if (message instanceof ForwardProposal) {
                return inbox.deliverForwardedProposal(
                        (ForwardProposal) message, ReceivedBuffer.copyOf(received.attachment()));
            }
            return inbox.deliver(message);
        }

        /**
         * Hands a bulk message on with a reference to its bytes, which the group releases; the charge goes back to
         * the window only then, so a group that holds received bytes holds up its own sender and no one else.
         */
        boolean deliverBulk(GroupMessage received, ReceiveWindow window, long charge) {
            final RaftMessage message = received.message();
            if (message instanceof AppendEntries) {
                return inbox.deliverRecords(
                        message,
                        new ReceivedRecords(
                                (AppendEntries) message, received.attachment().retain(), window, charge));
            }
            return inbox.deliverSnapshotChunk(
                    message, new ReceivedBuffer(received.attachment().retain(), window, charge));
        }

        @Override
        public boolean send(Member to, RaftMessage message) {
            return sendFrame(to, new GroupMessage(group, message, Unpooled.EMPTY_BUFFER));
        }

        @Override
        public boolean sendRecords(Member to, RaftMessage message, RawRecords records) {
            if (!(message instanceof AppendEntries)) {
                records.release();
                throw new IllegalArgumentException("records travel with an AppendEntries, not a "
                        + message.getClass().getSimpleName());
            }
            final PeerConnection connection = writableConnection(to.id());
            if (connection == null) {
                records.release();
                return false;
            }
            // The frame owns the view from here and releases it whatever becomes of the write.
            return send(
                    connection,
                    message,
                    encoder.encodeAppendEntries(connection.alloc(), group, (AppendEntries) message, records));
        }

        @Override
        public boolean sendSnapshotChunk(Member to, RaftMessage message, ByteBuffer chunk) {
            return sendFrame(to, new GroupMessage(group, message, Unpooled.wrappedBuffer(chunk.duplicate())));
        }

        @Override
        public boolean sendForwardedProposal(Member to, ForwardProposal message, ByteBuffer payload) {
            return sendFrame(to, new GroupMessage(group, message, Unpooled.wrappedBuffer(payload.duplicate())));
        }

        private boolean sendFrame(Member to, GroupMessage frame) {
            final PeerConnection connection = writableConnection(to.id());
            if (connection == null) {
                return false;
            }
            return send(connection, frame.message(), encoder.encode(connection.alloc(), frame));
        }

        /** Queues a frame; a bulk one only within the group's credit. */
        private boolean send(PeerConnection connection, RaftMessage message, ByteBuf frame) {
            final int entries = PeerConnection.creditEntries(message);
            if (entries == 0) {
                connection.send(frame);
            } else if (!connection.sendBulk(group, entries, frame)) {
                droppedWithoutCredit.increment();
                return false;
            }
            return true;
        }

        @Override
        public void membersChanged(List<Member> members) {
            apply(directory.name(group, members));
        }

        @Override
        public void close() {
            if (groups.remove(group, this)) {
                apply(directory.forget(group));
            }
        }
    }
}
