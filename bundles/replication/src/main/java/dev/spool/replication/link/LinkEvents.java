package dev.spool.replication.link;

import dev.spool.replication.wire.Credit;
import dev.spool.replication.wire.GroupMessage;
import io.netty.channel.Channel;

/**
 * What a peer connection reports to the member that owns it. A method that throws
 * {@link ProtocolViolationException} refuses the frame: the connection is closed and nothing of it is delivered.
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
     * @param channel the connection it arrived on
     * @param message the message
     * @param frameBytes the size of the frame that carried it, its length prefix included (what credit counts)
     * @throws ProtocolViolationException if the peer had no right to send it (a bulk frame beyond its credit)
     */
    void received(String peer, Channel channel, GroupMessage message, int frameBytes) throws ProtocolViolationException;

    /**
     * The peer granted credit for one group's bulk frames.
     *
     * @param peer the granting member
     * @param channel the connection the credit is valid on
     * @param credit the grant
     * @throws ProtocolViolationException if the grant makes the credit held exceed what a window can be
     */
    void credited(String peer, Channel channel, Credit credit) throws ProtocolViolationException;
}
