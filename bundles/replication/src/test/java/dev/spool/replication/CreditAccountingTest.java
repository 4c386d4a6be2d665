package dev.spool.replication;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.replication.link.ProtocolViolationException;
import dev.spool.replication.wire.Credit;
import dev.spool.replication.wire.FrameDecoder;
import dev.spool.replication.wire.FrameEncoder;
import dev.spool.replication.wire.WireFormatException;
import dev.spool.replication.wire.WireLimits;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The credit rules on both sides of one connection, without sockets: what a sender may spend ({@link SendCredit}) and
 * what a receiver admits and grants back ({@link ReceiveWindow}), the grants read from an {@link EmbeddedChannel}.
 */
@ExtendWith(LeakDetection.class)
class CreditAccountingTest {

    private static final FlowWindow WINDOW = new FlowWindow(8, 8000, 1 << 20);

    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final PeerConnection connection = new PeerConnection(channel, new FrameEncoder(WireLimits.DEFAULT), WINDOW);

    @Test
    @DisplayName(
            "sender: nothing before the first grant; within the credit; a larger frame only with nothing in flight")
    void sendCreditRules() throws ProtocolViolationException {
        final SendCredit credit = new SendCredit();
        assertFalse(credit.trySpend(1, 100), "no credit before the peer's window arrived");
        credit.grant("g", 8, 8000);
        assertTrue(credit.trySpend(3, 3000));
        assertTrue(credit.trySpend(5, 5000));
        assertFalse(credit.trySpend(1, 1), "the window is spent");
        credit.grant("g", 8, 8000);
        assertTrue(credit.trySpend(20, 100), "more entries than the window: goes alone, with nothing in flight");
        assertFalse(credit.trySpend(1, 1), "and takes the whole window");
        credit.grant("g", 8, 8000);
        assertTrue(credit.trySpend(1, 100));
        assertFalse(credit.trySpend(1, 9000), "a frame beyond the credit waits while something is in flight");
    }

    @Test
    @DisplayName("sender: a grant that would make the credit exceed 2^31 - 1 is a protocol violation")
    void sendCreditOverflow() throws ProtocolViolationException {
        final SendCredit credit = new SendCredit();
        credit.grant("g", 8, Integer.MAX_VALUE);
        final ProtocolViolationException violation =
                assertThrows(ProtocolViolationException.class, () -> credit.grant("g", 1, 1));
        assertTrue(
                violation.getMessage().startsWith("group g: a grant of 1 entries and 1 bytes"), violation.getMessage());
    }

    @Test
    @DisplayName("receiver: opening grants the whole window once; beyond the credit is refused, naming the overrun")
    void receiverAdmits() throws Exception {
        connection.openWindow("g");
        connection.openWindow("g");
        assertEquals(new Credit("g", 8, 8000), grant());
        assertNull(grant(), "a window opens once per connection");
        final ReceiveWindow window = connection.grantedWindow("g");
        window.admit(6, 1000);
        final ProtocolViolationException overrun =
                assertThrows(ProtocolViolationException.class, () -> window.admit(3, 1000));
        assertEquals(
                "group g: a frame of 3 entries and 1000 bytes overruns the credit of 2 entries and 7000 bytes"
                        + " left",
                overrun.getMessage());
        assertThrows(ProtocolViolationException.class, () -> connection.grantedWindow("other"));
    }

    @Test
    @DisplayName("receiver: released credit is granted back once a quarter of the window waits, or nothing is held")
    void receiverGrantsInBatches() throws Exception {
        connection.openWindow("g");
        grant();
        final ReceiveWindow window = connection.grantedWindow("g");
        final long first = window.admit(1, 500);
        final long second = window.admit(1, 500);
        final long third = window.admit(1, 500);
        window.release(first);
        assertNull(grant(), "1 entry and 500 bytes wait: less than a quarter, and frames are still held");
        window.release(second);
        assertEquals(new Credit("g", 2, 1000), grant(), "2 entries are a quarter of 8");
        window.release(third);
        assertEquals(new Credit("g", 1, 500), grant(), "the group holds nothing more");
        // All of it came back: a frame larger than the window is admitted again, and takes all of it.
        final long whole = window.admit(30, 9000);
        assertThrows(ProtocolViolationException.class, () -> window.admit(1, 1));
        window.release(whole);
        assertEquals(new Credit("g", 8, 8000), grant());
    }

    /** Runs what waits on the event loop and returns the next grant written, or {@code null}. */
    private Credit grant() throws WireFormatException {
        channel.runPendingTasks();
        final ByteBuf written = channel.readOutbound();
        if (written == null) {
            return null;
        }
        try {
            return (Credit) new FrameDecoder(WireLimits.DEFAULT).decode(written, "peer", "local");
        } finally {
            written.release();
        }
    }
}
