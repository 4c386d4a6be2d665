package dev.spool.itests.cluster.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.group.Durability;
import java.net.InetSocketAddress;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MemberOptionsTest {

    private static final String[] REQUIRED = {"--id", "m1", "--data", "d", "--listen", "127.0.0.1:9001"};

    @Test
    @DisplayName("a command line gives the member, its peers and its settings")
    void parsesCommandLine() {
        final MemberOptions options = MemberOptions.parse(
                "--id",
                "m1",
                "--data",
                "d",
                "--listen",
                "127.0.0.1:9001",
                "--peer",
                "m2=127.0.0.1:9002",
                "--durability",
                "SYNC",
                "--slots",
                "1024",
                "--idle-timeout-ms",
                "2000",
                "--exit-on-stdin-eof",
                "--join");
        assertEquals("m1", options.id());
        assertEquals(Map.of("m2", new InetSocketAddress("127.0.0.1", 9002)), options.peers());
        assertEquals(Durability.SYNC, options.durability());
        assertEquals(1024, options.slots());
        assertEquals(2000, options.idleTimeoutMillis());
        assertEquals(10_000, MemberOptions.parse(REQUIRED).idleTimeoutMillis(), "the transport's default");
        assertTrue(options.exitOnStdinEof());
        assertTrue(options.join());
        assertTrue(!MemberOptions.parse(REQUIRED).join(), "a member bootstraps its group unless told to join");
    }

    @Test
    @DisplayName("a missing, unknown or malformed option is refused with a message naming it")
    void refusesBadOptions() {
        assertMessage("--id is required", "--data", "d", "--listen", "127.0.0.1:1");
        assertMessage("--durability LAZY", append("--durability", "LAZY"));
        assertMessage("--slots x: not a whole number", append("--slots", "x"));
        assertMessage("--peer m2: expected ID=HOST:PORT", append("--peer", "m2"));
        assertMessage("unknown option(s) [--colour]", append("--colour", "red"));
        assertMessage("--tls-keystore, --tls-truststore and --tls-password go together", append("--tls-keystore", "k"));
    }

    private static void assertMessage(String expected, String... args) {
        final IllegalArgumentException refused =
                assertThrows(IllegalArgumentException.class, () -> MemberOptions.parse(args));
        assertTrue(refused.getMessage().contains(expected), refused.getMessage());
    }

    private static String[] append(String... more) {
        final String[] all = new String[REQUIRED.length + more.length];
        System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
        System.arraycopy(more, 0, all, REQUIRED.length, more.length);
        return all;
    }
}
