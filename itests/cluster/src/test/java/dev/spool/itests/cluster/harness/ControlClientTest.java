package dev.spool.itests.cluster.harness;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ControlClientTest {

    @Test
    @Timeout(20)
    @DisplayName("a member that accepts but never answers (as one paused with SIGSTOP) fails a status read in seconds")
    void silentMemberTimesOut() throws IOException {
        // The kernel accepts connections for a paused process; this socket accepts and never answers alike.
        try (ServerSocket silent = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            final ControlClient client = new ControlClient("m1", silent.getLocalPort());
            assertThrows(SocketTimeoutException.class, client::status);
            assertThrows(SocketTimeoutException.class, client::appliedRanges);
        }
    }

    @Test
    @Timeout(20)
    @DisplayName("an answer cut off by the member's death (200, then less body than announced) is an IOException,"
            + " not a register write without an index or a read without a value")
    void answerCutOffByDeathIsAnIoException() throws Exception {
        try (ServerSocket dying = new ServerSocket(0, 8, InetAddress.getLoopbackAddress())) {
            final Thread server = new Thread(() -> {
                for (int i = 0; i < 2; i++) {
                    try (Socket connection = dying.accept()) {
                        connection.getInputStream().read(new byte[4096]);
                        // the member announced its answer's length, wrote part of it and was killed
                        connection
                                .getOutputStream()
                                .write(("HTTP/1.1 200 OK\r\nContent-Length: 40\r\n\r\nind")
                                        .getBytes(StandardCharsets.US_ASCII));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
            server.start();
            final ControlClient client = new ControlClient("m1", dying.getLocalPort());
            final IOException write = assertThrows(IOException.class, () -> client.writeRegister(2, 7, null, 5, 1));
            assertTrue(write.getMessage().contains("3 of the 40 bytes it announced"), write.getMessage());
            final IOException read = assertThrows(IOException.class, () -> client.readRegister(2));
            assertTrue(read.getMessage().contains("3 of the 40 bytes it announced"), read.getMessage());
            server.join();
        }
    }
}
