package dev.spool.replication;

import dev.spool.replication.wire.WireLimits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a {@link NettyReplicationStreamer} runs.
 *
 * @param cluster the cluster's name: peers of another cluster are refused
 * @param memberId this member's id
 * @param listenAddress where peers connect to this member (port 0: any free port, see
 *     {@link NettyReplicationStreamer#localAddress()})
 * @param peers the other members and where they listen; the ones this member does not connect to (see
 *     {@link NettyReplicationStreamer}) may have any address, only their ids matter
 * @param limits the frame bounds
 * @param initialBackoff the wait before the first reconnection attempt
 * @param maxBackoff the longest wait between attempts (the wait doubles from the initial one up to this)
 * @param sendBufferBytes the bytes a connection may hold unsent before messages to the peer are dropped
 * @param ioThreads the event-loop threads serving all connections
 */
public record StreamerSettings(String cluster, String memberId, InetSocketAddress listenAddress,
                               Map<String, InetSocketAddress> peers, WireLimits limits, Duration initialBackoff,
                               Duration maxBackoff, int sendBufferBytes, int ioThreads) {

    /** The default bytes a connection holds unsent: a few frames of a busy group. */
    public static final int DEFAULT_SEND_BUFFER_BYTES = 4 * 1024 * 1024;

    /**
     * Checks the values and copies the peers.
     *
     * @throws IllegalArgumentException if a value is out of range or a peer is this member
     */
    public StreamerSettings {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(listenAddress, "listenAddress");
        Objects.requireNonNull(limits, "limits");
        peers = Map.copyOf(peers);
        if (peers.containsKey(memberId)) {
            throw new IllegalArgumentException("member " + memberId + " is listed among its own peers");
        }
        if (initialBackoff.isNegative() || initialBackoff.isZero() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException("backoff must be positive with initial <= max: " + initialBackoff
                + ", " + maxBackoff);
        }
        if (sendBufferBytes < 1) {
            throw new IllegalArgumentException("send buffer must be positive: " + sendBufferBytes);
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("at least one I/O thread is needed: " + ioThreads);
        }
    }

    /**
     * Returns settings with the defaults: default frame limit, reconnection after 50 ms doubling up to 5 s, 4 MiB
     * send buffer, two I/O threads.
     *
     * @param cluster the cluster's name
     * @param memberId this member's id
     * @param listenAddress where peers connect to this member
     * @param peers the other members and where they listen
     * @return the settings
     */
    public static StreamerSettings of(String cluster, String memberId, InetSocketAddress listenAddress,
                                      Map<String, InetSocketAddress> peers) {
        return new StreamerSettings(cluster, memberId, listenAddress, peers, WireLimits.DEFAULT,
            Duration.ofMillis(50), Duration.ofSeconds(5), DEFAULT_SEND_BUFFER_BYTES, 2);
    }

    /**
     * Returns these settings with other reconnection waits.
     *
     * @param initial the wait before the first attempt
     * @param max the longest wait
     * @return the settings
     */
    public StreamerSettings withBackoff(Duration initial, Duration max) {
        return new StreamerSettings(cluster, memberId, listenAddress, peers, limits, initial, max, sendBufferBytes,
            ioThreads);
    }
}
