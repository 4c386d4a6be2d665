package dev.spool.itests.cluster.harness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

    /** How long a read waits for bytes that must not come: a dropped byte never comes, so no wait is too short. */
    private static final int SILENCE_MILLIS = 300;

    private ServerSocket target;
    private FaultProxy proxy;
    private Socket client;
    private Socket server;

    @BeforeEach
    void connect() throws IOException {
        target = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        proxy = new FaultProxy("test", target.getLocalPort());
        client = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        server = target.accept();
        client.setSoTimeout(5_000);
        server.setSoTimeout(5_000);
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        server.close();
        proxy.close();
        target.close();
    }

    @Test
    void bytesPassBothWays() throws IOException {
        assertPasses(client, server, "hello");
        assertPasses(server, client, "world");
        assertEquals(1, proxy.connections());
    }

    @Test
    void aDroppedDirectionStopsOnlyItsBytes() throws IOException {
        proxy.fault(FaultProxy.Direction.FORWARD, LinkFault.DROP);
        send(client, "lost");
        assertSilent(server);
        assertPasses(server, client, "still passes");
    }

    @Test
    void aPartitionStopsBothWays() throws IOException {
        proxy.fault(FaultProxy.Direction.FORWARD, LinkFault.DROP);
        proxy.fault(FaultProxy.Direction.BACKWARD, LinkFault.DROP);
        send(client, "lost");
        send(server, "lost too");
        assertSilent(server);
        assertSilent(client);
    }

    @Test
    void aConnectionThatLostBytesIsResetWhenHealed() throws IOException, InterruptedException {
        proxy.fault(FaultProxy.Direction.FORWARD, LinkFault.DROP);
        send(client, "lost");
        assertSilent(server);
        proxy.fault(FaultProxy.Direction.FORWARD, LinkFault.PASS);
        assertClosed(server);
        assertClosed(client);

        // A new connection after the heal passes from its first byte.
        try (Socket again = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
                Socket accepted = target.accept()) {
            accepted.setSoTimeout(5_000);
            assertPasses(again, accepted, "whole");
        }
    }

    @Test
    void aConnectionThatLostNothingSurvivesAHealedPartition() throws IOException {
        proxy.fault(FaultProxy.Direction.FORWARD, LinkFault.DROP);
        proxy.fault(FaultProxy.Direction.FORWARD, LinkFault.PASS);
        assertPasses(client, server, "nothing was lost");
    }

    @Test
    void resetClosesBothEnds() throws IOException {
        assertPasses(client, server, "before");
        proxy.reset();
        assertClosed(server);
        assertClosed(client);
        assertEquals(0, proxy.connections());
    }

    @Test
    void aDelayHoldsBytesAtLeastThatLong() throws IOException {
        proxy.fault(FaultProxy.Direction.FORWARD, LinkFault.delay(200));
        final long start = System.nanoTime();
        assertPasses(client, server, "late");
        assertTrue(System.nanoTime() - start >= 200_000_000L, "bytes passed before their delay");
        assertPasses(server, client, "the other way is not delayed");
    }

    @Test
    void jitterVariesTheDelayButKeepsTheOrder() throws IOException, InterruptedException {
        proxy.fault(FaultProxy.Direction.FORWARD, LinkFault.jitter(50, 200));
        final long start = System.nanoTime();
        final StringBuilder sent = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            // Apart in time, so that each is a chunk of its own and draws its own delay.
            final String piece = i + ",";
            send(client, piece);
            sent.append(piece);
            Thread.sleep(5);
        }
        final byte[] expected = sent.toString().getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(
                expected, server.getInputStream().readNBytes(expected.length), "jittered bytes came out of order");
        assertTrue(System.nanoTime() - start >= 50_000_000L, "bytes passed before the least delay");
        assertPasses(server, client, "the other way is not delayed");
    }

    @Test
    void aCapPassesEveryByteNoFasterThanItAllows() throws IOException {
        proxy.fault(FaultProxy.Direction.FORWARD, LinkFault.cap(2_000));
        final String text = "x".repeat(1_000);
        final long start = System.nanoTime();
        assertPasses(client, server, text);
        // 1,000 bytes at 2,000 B/s: the last piece is due 0.49 s after the first.
        assertTrue(
                System.nanoTime() - start >= 450_000_000L,
                "1,000 bytes passed a 2,000 B/s cap in " + (System.nanoTime() - start) / 1_000_000 + " ms");
        assertPasses(server, client, "the other way is not capped");
    }

    @Test
    void aSlowDripPassesByteByByte() throws IOException {
        proxy.fault(FaultProxy.Direction.BACKWARD, LinkFault.cap(20));
        send(server, "drip");
        final InputStream in = client.getInputStream();
        final long start = System.nanoTime();
        assertEquals("drip", new String(in.readNBytes(4), StandardCharsets.US_ASCII));
        // A byte every 50 ms, the first at once (less 10 ms of credit): the last is due 140 ms after the first.
        assertTrue(System.nanoTime() - start >= 120_000_000L, "four bytes at 20 B/s came within 120 ms");
    }

    @Test
    void aRefusingTargetClosesTheAcceptedConnection() throws IOException {
        target.close();
        try (Socket refused = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
            refused.setSoTimeout(5_000);
            assertClosed(refused);
        }
    }

    @Test
    void aNegativeDelayIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LinkFault.delay(-1));
        assertThrows(IllegalArgumentException.class, () -> LinkFault.cap(0));
        assertThrows(IllegalArgumentException.class, () -> LinkFault.jitter(0, -1));
    }

    private static void send(Socket from, String text) throws IOException {
        from.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        from.getOutputStream().flush();
    }

    private static void assertPasses(Socket from, Socket to, String text) throws IOException {
        send(from, text);
        final byte[] expected = text.getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(expected, to.getInputStream().readNBytes(expected.length));
    }

    private static void assertSilent(Socket socket) throws IOException {
        socket.setSoTimeout(SILENCE_MILLIS);
        assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
        socket.setSoTimeout(5_000);
    }

    /** The socket's peer closed or reset it: a read ends (-1) or fails, and does not time out. */
    private static void assertClosed(Socket socket) {
        final InputStream in;
        try {
            in = socket.getInputStream();
            assertEquals(-1, in.read());
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the connection stayed open", e);
        } catch (IOException e) {
            // Reset: closed as well.
        }
    }
}
