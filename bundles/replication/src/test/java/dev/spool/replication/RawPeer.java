package dev.spool.replication;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.spool.replication.wire.Frame;
import dev.spool.replication.wire.FrameDecoder;
import dev.spool.replication.wire.FrameEncoder;
import dev.spool.replication.wire.Handshake;
import dev.spool.replication.wire.HandshakeAccepted;
import dev.spool.replication.wire.KeepAlive;
import dev.spool.replication.wire.VersionRange;
import dev.spool.replication.wire.WireFormat;
import dev.spool.replication.wire.WireFormatException;
import dev.spool.replication.wire.WireLimits;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A peer speaking the wire protocol over a plain blocking socket, frame by frame, so a test controls exactly what
 * is sent and when, including what a well-behaved member never sends and silence.
 */
final class RawPeer implements AutoCloseable {

    private final String self;
    private final String member;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final FrameEncoder encoder = new FrameEncoder(WireLimits.DEFAULT);
    private final FrameDecoder decoder = new FrameDecoder(WireLimits.DEFAULT);

    private RawPeer(String self, String member, InetSocketAddress address) throws IOException {
        this.self = self;
        this.member = member;
        this.socket = new Socket(address.getAddress(), address.getPort());
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /**
     * Connects to a member and completes the handshake as a peer of its cluster.
     *
     * @param self the member id this peer claims
     * @param member the member connected to
     * @param address where the member listens
     * @return the connected peer
     */
    static RawPeer handshake(String self, String member, InetSocketAddress address)
            throws IOException, WireFormatException {
        final RawPeer peer = new RawPeer(self, member, address);
        final VersionRange wire = VersionRange.only(WireFormat.WIRE_VERSION);
        final VersionRange records = VersionRange.only(WireFormat.RECORD_FORMAT);
        peer.send(new Handshake(Loopback.CLUSTER, self, member, wire, records));
        assertInstanceOf(HandshakeAccepted.class, peer.read());
        return peer;
    }

    /**
     * Connects to a member without saying anything yet.
     *
     * @param self the member id this peer would claim
     * @param member the member connected to
     * @param address where the member listens
     * @return the connected peer
     */
    static RawPeer connect(String self, String member, InetSocketAddress address) throws IOException {
        return new RawPeer(self, member, address);
    }

    /**
     * Returns the address of this end of the connection, as the member sees its peer.
     *
     * @return the local address of the socket
     */
    InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    /**
     * Sends bytes as they are, whatever they mean.
     *
     * @param bytes the bytes
     */
    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /**
     * Waits until the member closes the connection, reading and dropping what it sends meanwhile.
     *
     * @param within how long to wait
     * @return whether the member closed the connection within that time
     */
    boolean awaitClosed(java.time.Duration within) throws IOException {
        final long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() - deadline < 0) {
            socket.setSoTimeout((int)
                    Math.max(1, java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            try {
                if (in.read() < 0) {
                    return true;
                }
            } catch (java.net.SocketTimeoutException e) {
                return false;
            } catch (java.net.SocketException e) {
                return true; // reset by the member
            }
        }
        return false;
    }

    void send(Frame frame) throws IOException {
        final ByteBuf bytes = Unpooled.buffer();
        encoder.encode(frame, bytes);
        bytes.readBytes(out, bytes.readableBytes());
        out.flush();
    }

    /**
     * Reads the next frame.
     *
     * @return the frame, or {@code null} once the member closed the connection
     */
    Frame read() throws IOException, WireFormatException {
        final int length;
        try {
            length = in.readInt();
        } catch (EOFException closed) {
            return null;
        }
        final byte[] rest = new byte[length];
        in.readFully(rest);
        return decoder.decode(Unpooled.buffer(4 + length).writeInt(length).writeBytes(rest), member, self);
    }

    /**
     * Reads the next frame that is not a keep-alive (the member sends those whenever it was quiet for a while).
     *
     * @return the frame, or {@code null} once the member closed the connection
     */
    Frame readOtherThanKeepAlive() throws IOException, WireFormatException {
        Frame frame = read();
        while (frame instanceof KeepAlive) {
            frame = read();
        }
        return frame;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
