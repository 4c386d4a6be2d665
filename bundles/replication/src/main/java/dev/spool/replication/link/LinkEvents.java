package dev.spool.replication.link;

import dev.spool.replication.wire.GroupMessage;
import io.netty.channel.Channel;

/**
 * What a peer connection reports to the member that owns it.
 *
 * <p>Threads: the connection's event loop.
 */
public interface LinkEvents {

    /**
     * The handshake succeeded: the channel carries group frames from now on.
     *
     * @param peer the member at the other end, as the handshake named it
     * @param channel the connection
     */
    void established(String peer, Channel channel);

    /**
     * A group message arrived. Its attachment is a slice of the received frame, valid only during the call: a
     * receiver that keeps it retains it.
     *
     * @param peer the sending member
     * @param message the message
     */
    void received(String peer, GroupMessage message);
}
