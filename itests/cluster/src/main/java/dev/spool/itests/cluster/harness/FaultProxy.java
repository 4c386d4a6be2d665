package dev.spool.itests.cluster.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A TCP proxy on loopback that puts faults between a member and the peer it dials: every connection accepted on
 * {@link #port()} is spliced to the target port, and what happens to the bytes of each direction is set at any
 * time ({@link #fault}): they pass, are held for a delay (fixed, or drawn per chunk: jitter), pass at a capped bandwidth, or are discarded. {@link #reset()} resets every
 * connection (RST to both ends).
 *
 * <p>A direction of a connection that had bytes discarded never forwards again (the other direction goes on, so a
 * one-way partition stays one-way), and the connection is reset once that direction passes: a real
 * network loses packets, but TCP delivers a stream without holes or not at all, and the proxy must not invent a
 * fault TCP cannot produce. A connection accepted while a direction drops is spliced all the same (its handshake
 * goes nowhere, and the member's handshake timeout closes it). A target that refuses (a killed member) closes the
 * accepted connection at once.
 *
 * <p>Blocking sockets, two threads per direction of a connection (one reads, one writes when each chunk is due),
 * so a delay does not throttle the throughput; at most {@value #QUEUED_CHUNKS} chunks of up to
 * {@value #CHUNK_BYTES} bytes wait per direction, beyond which the reader stops reading, as a full TCP window would.
 *
 * <p>Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {

    /** A direction of the proxy's connections. */
    public enum Direction {
        /** From the side that connected to the proxy to the target. */
        FORWARD,
        /** From the target back to the side that connected. */
        BACKWARD
    }

    private static final int CHUNK_BYTES = 8_192;
    private static final int QUEUED_CHUNKS = 256;
    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    private static final byte[] END = new byte[0];

    private final String name;
    private final int targetPort;
    private final ServerSocket server;
    private final Set<Splice> splices = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile LinkFault forward = LinkFault.PASS;
    private volatile LinkFault backward = LinkFault.PASS;
    private volatile boolean closed;

    /**
     * Opens the proxy on a free loopback port and starts accepting.
     *
     * @param name what the proxy stands for (such as {@code m1->m2}), in its threads' names and messages
     * @param targetPort the loopback port it forwards to
     * @throws IOException if no port can be opened
     */
    public FaultProxy(String name, int targetPort) throws IOException {
        this.name = name;
        this.targetPort = targetPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "proxy-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** @return the loopback port the proxy accepts on */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * Sets what happens to the bytes of one direction from now on, on every connection, open or future. Passing
     * again resets the connections that had bytes of that direction discarded.
     *
     * @param direction the direction
     * @param fault what happens to its bytes
     */
    public void fault(Direction direction, LinkFault fault) {
        if (direction == Direction.FORWARD) {
            forward = fault;
        } else {
            backward = fault;
        }
        if (!fault.drop()) {
            // Set before the scan: a reader that drops after the scan sees the new fault and resets itself.
            for (Splice splice : splices) {
                if (splice.holed(direction)) {
                    splice.reset();
                }
            }
        }
    }

    /**
     * Returns what happens to the bytes of a direction.
     *
     * @param direction the direction
     * @return the fault set last
     */
    public LinkFault fault(Direction direction) {
        return direction == Direction.FORWARD ? forward : backward;
    }

    /** Resets every open connection: both ends get a RST, bytes waiting in the proxy are lost. */
    public void reset() {
        splices.forEach(Splice::reset);
    }

    /** @return how many connections are open through the proxy */
    public int connections() {
        return splices.size();
    }

    /** Stops accepting and resets every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // Closing a listening socket has nothing to report.
        }
        reset();
    }

    private void accept() {
        while (!closed) {
            final Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                continue; // closed (the loop ends) or a failed accept (the next one may work)
            }
            final Socket target = new Socket();
            try {
                client.setTcpNoDelay(true);
                target.setTcpNoDelay(true);
                target.connect(
                        new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), CONNECT_TIMEOUT_MILLIS);
                new Splice(client, target).start();
            } catch (IOException e) {
                // The target does not accept (killed): the connecting side sees its connection closed.
                closeQuietly(client);
                closeQuietly(target);
            }
        }
    }

    @Override
    public String toString() {
        return "proxy " + name + " :" + port() + " -> :" + targetPort + " (forward " + forward + ", backward "
                + backward + ", " + connections() + " connections)";
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing to do about a socket that does not close cleanly.
        }
    }

    /** One accepted connection spliced to one connection to the target. */
    private final class Splice {

        private final Socket client;
        private final Socket target;
        private final Thread[] threads = new Thread[4];
        /** Bytes of this direction were discarded: it never forwards again. */
        private volatile boolean forwardHoled;

        private volatile boolean backwardHoled;
        private volatile boolean ended;

        Splice(Socket client, Socket target) {
            this.client = client;
            this.target = target;
        }

        void start() throws IOException {
            splices.add(this);
            pump(Direction.FORWARD, client.getInputStream(), target.getOutputStream(), 0);
            pump(Direction.BACKWARD, target.getInputStream(), client.getOutputStream(), 2);
            for (Thread thread : threads) {
                thread.start();
            }
            if (closed) {
                reset();
            }
        }

        private void pump(Direction direction, InputStream in, OutputStream out, int slot) {
            final BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
            threads[slot] = daemon(direction + "-read", () -> read(direction, in, queue));
            threads[slot + 1] = daemon(direction + "-write", () -> write(direction, out, queue));
        }

        boolean holed(Direction direction) {
            return direction == Direction.FORWARD ? forwardHoled : backwardHoled;
        }

        private void markHoled(Direction direction) {
            if (direction == Direction.FORWARD) {
                forwardHoled = true;
            } else {
                backwardHoled = true;
            }
        }

        private Thread daemon(String what, Runnable body) {
            final Thread thread = new Thread(body, "proxy-" + name + "-" + what);
            thread.setDaemon(true);
            return thread;
        }

        private void read(Direction direction, InputStream in, BlockingQueue<Chunk> queue) {
            final byte[] buffer = new byte[CHUNK_BYTES];
            long due = System.nanoTime();
            try {
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    final LinkFault fault = fault(direction);
                    if (holed(direction)) {
                        continue;
                    }
                    if (fault.drop()) {
                        markHoled(direction);
                        if (!fault(direction).drop()) {
                            reset(); // healed between the read of the fault and the mark
                        }
                        continue;
                    }
                    // Never due before the chunk ahead of it: jitter varies the timing, TCP keeps the order.
                    final long jitter = fault.jitterMillis() == 0
                            ? 0
                            : ThreadLocalRandom.current().nextLong(TimeUnit.MILLISECONDS.toNanos(fault.jitterMillis()));
                    due = Math.max(
                            due, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(fault.delayMillis()) + jitter);
                    queue.put(new Chunk(Arrays.copyOf(buffer, n), due));
                }
                queue.put(new Chunk(END, Math.max(due, System.nanoTime())));
            } catch (IOException | InterruptedException e) {
                reset();
            }
        }

        private void write(Direction direction, OutputStream out, BlockingQueue<Chunk> queue) {
            try {
                final Pacer pacer = new Pacer();
                while (true) {
                    final Chunk chunk = queue.take();
                    final long wait = chunk.dueNanos - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (chunk.bytes == END) {
                        end(); // one side closed: close both, as the members close a connection whole
                        return;
                    }
                    pacer.write(out, chunk.bytes, () -> fault(direction).bytesPerSecond());
                }
            } catch (IOException | InterruptedException e) {
                reset();
            }
        }

        /** Closes both sockets with a FIN. */
        private void end() {
            close(false);
        }

        /** Closes both sockets with a RST. */
        void reset() {
            close(true);
        }

        private synchronized void close(boolean abort) {
            if (ended) {
                return;
            }
            ended = true;
            splices.remove(this);
            for (Socket socket : new Socket[] {client, target}) {
                try {
                    if (abort) {
                        socket.setSoLinger(true, 0);
                    }
                } catch (IOException e) {
                    // Already closed: nothing to abort.
                }
                closeQuietly(socket);
            }
            for (Thread thread : threads) {
                if (thread != null && thread != Thread.currentThread()) {
                    thread.interrupt();
                }
            }
        }
    }

    private record Chunk(byte[] bytes, long dueNanos) {}

    /**
     * Writes at a capped bandwidth: in pieces of a hundredth of a second's worth (at least a byte), each once the
     * bytes written before it are due at the cap. The cap is read before each piece, so setting or lifting it takes
     * effect within a piece; the time spent uncapped does not count as credit.
     */
    private static final class Pacer {

        private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
        /** When the bytes written so far under a cap are all due. */
        private long dueNanos = System.nanoTime();

        void write(OutputStream out, byte[] bytes, LongSupplier cap) throws IOException, InterruptedException {
            int offset = 0;
            while (offset < bytes.length) {
                final long bytesPerSecond = cap.getAsLong();
                if (bytesPerSecond == 0) {
                    out.write(bytes, offset, bytes.length - offset);
                    dueNanos = System.nanoTime();
                    return;
                }
                final long wait = dueNanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
                    continue; // the cap may have changed meanwhile
                }
                dueNanos = Math.max(dueNanos, System.nanoTime() - SECOND / 100);
                final int length = (int) Math.min(bytes.length - offset, Math.max(1, bytesPerSecond / 100));
                out.write(bytes, offset, length);
                out.flush();
                offset += length;
                dueNanos += length * SECOND / bytesPerSecond;
            }
        }
    }
}
