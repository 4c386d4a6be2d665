package dev.spool.replication;

import dev.spool.replication.wire.WireLimits;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How a {@link NettyReplicationStreamer} runs.
 *
 * @param cluster the cluster's name: peers of another cluster are refused
 * @param memberId this member's id
 * @param listenAddress where peers connect to this member (port 0: any free port, see
 *     {@link NettyReplicationStreamer#localAddress()})
 * @param peers the other members and where they listen, which bootstrap the transport (it also learns the members
 *     its groups' logs name, see {@link dev.spool.api.spi.replication.GroupLink#membersChanged}); the ones this member
 *     does not connect to (see {@link NettyReplicationStreamer}) may have any address, only their ids matter
 * @param limits the frame bounds
 * @param timing connection, reconnection and liveness timing
 * @param window the per-group flow-control window and the per-connection send buffer
 * @param tls mutual TLS, or {@code null} for plaintext
 * @param ioThreads the event-loop threads serving all connections
 */
public record StreamerSettings(
        String cluster,
        String memberId,
        InetSocketAddress listenAddress,
        Map<String, InetSocketAddress> peers,
        WireLimits limits,
        LinkTiming timing,
        FlowWindow window,
        TlsSettings tls,
        int ioThreads) {

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
        Objects.requireNonNull(timing, "timing");
        Objects.requireNonNull(window, "window");
        peers = Map.copyOf(peers);
        if (peers.containsKey(memberId)) {
            throw new IllegalArgumentException("member " + memberId + " is listed among its own peers");
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("at least one I/O thread is needed: " + ioThreads);
        }
    }

    /**
     * Returns plaintext settings with the defaults: {@link WireLimits#DEFAULT}, {@link LinkTiming#DEFAULT},
     * {@link FlowWindow#DEFAULT}, two I/O threads.
     *
     * @param cluster the cluster's name
     * @param memberId this member's id
     * @param listenAddress where peers connect to this member
     * @param peers the other members and where they listen
     * @return the settings
     */
    public static StreamerSettings of(
            String cluster, String memberId, InetSocketAddress listenAddress, Map<String, InetSocketAddress> peers) {
        return new StreamerSettings(
                cluster,
                memberId,
                listenAddress,
                peers,
                WireLimits.DEFAULT,
                LinkTiming.DEFAULT,
                FlowWindow.DEFAULT,
                null,
                2);
    }

    /**
     * Returns the TLS settings, if the links are encrypted.
     *
     * @return the TLS settings, or empty for plaintext
     */
    public Optional<TlsSettings> tlsSettings() {
        return Optional.ofNullable(tls);
    }

    /**
     * Returns these settings with other reconnection waits.
     *
     * @param initial the wait before the first attempt
     * @param max the longest wait
     * @return the settings
     */
    public StreamerSettings withBackoff(Duration initial, Duration max) {
        return withTiming(timing.withBackoff(initial, max));
    }

    /**
     * Returns these settings with other timing.
     *
     * @param other the timing
     * @return the settings
     */
    public StreamerSettings withTiming(LinkTiming other) {
        return new StreamerSettings(cluster, memberId, listenAddress, peers, limits, other, window, tls, ioThreads);
    }

    /**
     * Returns these settings with another flow-control window.
     *
     * @param other the window
     * @return the settings
     */
    public StreamerSettings withWindow(FlowWindow other) {
        return new StreamerSettings(cluster, memberId, listenAddress, peers, limits, timing, other, tls, ioThreads);
    }

    /**
     * Returns these settings with mutual TLS.
     *
     * @param other the TLS settings, or {@code null} for plaintext
     * @return the settings
     */
    public StreamerSettings withTls(TlsSettings other) {
        return new StreamerSettings(cluster, memberId, listenAddress, peers, limits, timing, window, other, ioThreads);
    }
}
