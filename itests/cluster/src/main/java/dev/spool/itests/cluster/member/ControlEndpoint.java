package dev.spool.itests.cluster.member;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.spool.api.cluster.Member;
import dev.spool.api.cluster.Membership;
import dev.spool.api.group.ClientSession;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The member's control endpoint for tests and benchmarks: plain-text HTTP on the loopback interface, one command
 * per path, answers as {@code key=value} lines (see {@code docs/cluster-tests.md}).
 *
 * <p>Every request ends: a proposal or read is given the {@link RequestDeadline}'s timeout, and one the group leaves
 * without an outcome beyond its grace is answered 504 (or reported {@code lost} in a proposal stream), so no
 * request holds one of the endpoint's threads for good.
 *
 * <p>Threads: requests run on a small pool of the endpoint's own daemon threads, never on the group's threads.
 */
public final class ControlEndpoint implements AutoCloseable {

    /** Requests served at once: a streaming proposal or a load, plus status polls while it runs. */
    private static final int THREADS = 4;

    private final RaftGroup<Sequenced> group;
    private final SequenceMachine machine;
    private final RequestDeadline deadline;
    private final HttpServer server;
    private final ExecutorService threads;
    private final LoadGenerator load;

    /**
     * Starts serving.
     *
     * @param group the member's group
     * @param machine the group's state machine
     * @param port the loopback port, 0 for any free one
     * @param deadline how long each proposal and read may take
     * @throws IOException if the port cannot be bound
     */
    public ControlEndpoint(RaftGroup<Sequenced> group, SequenceMachine machine, int port, RequestDeadline deadline)
            throws IOException {
        this.group = group;
        this.machine = machine;
        this.deadline = deadline;
        this.load = new LoadGenerator(group, new AllocationCounters(), deadline);
        final AtomicInteger created = new AtomicInteger();
        this.threads = Executors.newFixedThreadPool(THREADS, work -> {
            final Thread thread = new Thread(work, "control-" + created.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        server.setExecutor(threads);
        serve("/status", this::status);
        serve("/propose", this::propose);
        serve("/read", this::read);
        serve("/register", this::register);
        serve("/applied", this::applied);
        serve("/load", this::load);
        serve("/alloc", this::allocated);
        serve("/heap", this::heap);
        serve("/members", this::members);
        server.start();
    }

    /** @return the port the endpoint listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }

    /** One command: reads its parameters, answers through the exchange. */
    @FunctionalInterface
    private interface Command {
        void run(Parameters parameters, HttpExchange exchange) throws Exception;
    }

    private void serve(String path, Command command) {
        server.createContext(path, exchange -> {
            // The exchange is closed only after the refusals below answered: closing it first sends an empty reply.
            try {
                command.run(Parameters.of(exchange.getRequestURI()), exchange);
            } catch (IllegalArgumentException e) {
                refuse(exchange, 400, e.getMessage());
            } catch (NotServedException e) {
                refuse(exchange, 503, e.getMessage());
            } catch (NoOutcomeException e) {
                refuse(exchange, 504, e.getMessage());
            } catch (Exception e) {
                refuse(exchange, 500, e.toString());
            } finally {
                exchange.close();
            }
        });
    }

    /** Answers an error, unless the command had started its answer (a stream then said itself how it ended). */
    private static void refuse(HttpExchange exchange, int code, String reason) {
        if (exchange.getResponseCode() != -1) {
            return;
        }
        try {
            answer(exchange, code, "error=" + reason.replace('\n', ' ') + "\n");
        } catch (IOException e) {
            // The client went away: nobody is left to tell.
        }
    }

    private void status(Parameters parameters, HttpExchange exchange) throws IOException {
        final var state = machine.state();
        answer(
                exchange,
                200,
                "role=" + group.role() + "\nleader=" + group.leaderId().orElse("") + "\nterm="
                        + group.term() + "\ncommit=" + group.commitIndex() + "\napplied=" + group.appliedIndex()
                        + stateLines(state));
    }

    private static String stateLines(SequenceMachine.State state) {
        return "\ncount=" + state.count() + "\nchecksum=" + Long.toHexString(state.checksum()) + "\nlastIndex="
                + state.lastIndex() + "\n";
    }

    private void propose(Parameters parameters, HttpExchange exchange) throws Exception {
        final long first = parameters.number("first", 0);
        final long count = parameters.number("count", 1);
        final int size = parameters.integer("size", 64);
        final int inFlight = parameters.integer("inflight", 256);
        if (size < Sequenced.HEADER_BYTES || inFlight < 1) {
            throw new IllegalArgumentException(
                    "size must be at least " + Sequenced.HEADER_BYTES + " and inflight at least 1");
        }
        if (count > Sequenced.SEQUENCE_LIMIT - first) {
            throw new IllegalArgumentException(
                    "sequence numbers must lie below 2^61: first=" + first + " count=" + count);
        }
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, 0);
        final Writer out = new OutputStreamWriter(exchange.getResponseBody(), StandardCharsets.US_ASCII);
        new ProposalStream(group, deadline).run(first, count, size, inFlight, out);
    }

    private void read(Parameters parameters, HttpExchange exchange) throws Exception {
        answer(exchange, 200, "readIndex=" + awaitReadBarrier() + stateLines(machine.state()));
    }

    /**
     * A register command: {@code POST /register?key=K&value=V} writes {@code V} into register {@code K},
     * {@code &expected=E} only if it holds {@code E}, {@code &session=S&sequence=N} as proposal {@code N} of client
     * session {@code S} (applied at most once however often it is sent, to this member or another);
     * {@code GET /register?key=K} reads it after a read barrier.
     */
    private void register(Parameters parameters, HttpExchange exchange) throws Exception {
        final int key = parameters.integer("key", -1);
        if (key < 0) {
            throw new IllegalArgumentException("a register command needs key=K");
        }
        if ("GET".equals(exchange.getRequestMethod())) {
            final long readIndex = awaitReadBarrier();
            answer(exchange, 200, "readIndex=" + readIndex + "\nvalue=" + machine.register(key) + "\n");
            return;
        }
        final long value = parameters.number("value", -1);
        if (value < 0 || value >= Sequenced.SEQUENCE_LIMIT) {
            throw new IllegalArgumentException("a register write needs value=V below 2^61");
        }
        final boolean cas = parameters.has("expected");
        final Sequenced command = new Sequenced(0, Sequenced.REGISTER_HEADER_BYTES)
                .register(value, Sequenced.REGISTER_HEADER_BYTES, key, cas, parameters.number("expected", 0));
        final CompletableFuture<Applied> outcome = new CompletableFuture<>();
        final ProposalCallback callback = new ProposalCallback() {
            @Override
            public void applied(long index, Object result) {
                outcome.complete(new Applied(index, result));
            }

            @Override
            public void failed(RaftGroupException error) {
                outcome.completeExceptionally(error);
            }
        };
        final long session = parameters.number("session", 0);
        if (session != 0) {
            final long sequence = parameters.number("sequence", 0);
            if (sequence < 1) {
                throw new IllegalArgumentException(
                        "a register write in session=" + session + " needs sequence=N, at least 1");
            }
            // The session is only its id and the sequence numbers the client gives: the group remembers the rest.
            group.propose(
                    new ClientSession(session),
                    sequence,
                    command,
                    deadline.timeoutMillis(),
                    TimeUnit.MILLISECONDS,
                    callback);
        } else {
            group.propose(command, deadline.timeoutMillis(), TimeUnit.MILLISECONDS, callback);
        }
        final Applied applied;
        try {
            applied = outcome.get(deadline.outcomeNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new NotServedException(
                    "proposal failed: " + e.getCause().getClass().getSimpleName() + ": "
                            + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new NoOutcomeException("the proposal got no outcome within " + deadline.describe());
        }
        // A result is null when the entry came with a snapshot: whether a compare-and-set wrote is then unknown.
        final Object written = applied.result() == null ? "unknown" : applied.result();
        answer(exchange, 200, "index=" + applied.index() + "\nwritten=" + written + "\n");
    }

    /** Takes a read barrier and waits for it: every entry committed before is applied when it returns. */
    private long awaitReadBarrier() throws Exception {
        final CompletableFuture<Long> barrier = new CompletableFuture<>();
        group.readBarrier(deadline.timeoutMillis(), TimeUnit.MILLISECONDS, new ReadCallback() {
            @Override
            public void readable(long readIndex) {
                barrier.complete(readIndex);
            }

            @Override
            public void failed(RaftGroupException error) {
                barrier.completeExceptionally(error);
            }
        });
        final long readIndex;
        try {
            readIndex = barrier.get(deadline.outcomeNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new NotServedException(
                    "read barrier failed: " + e.getCause().getClass().getSimpleName() + ": "
                            + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new NoOutcomeException("the read barrier got no outcome within " + deadline.describe());
        }
        return readIndex;
    }

    /**
     * Changes the membership through the log, on the leader: {@code add=ID&address=HOST:PORT} (a learner),
     * {@code voting=ID} (makes a member voting) or {@code remove=ID}; without a parameter, shows it. Answers the
     * change's log index and the members as {@code id=address;voting|learner} lines.
     */
    private void members(Parameters parameters, HttpExchange exchange) throws Exception {
        final Membership current = group.membership();
        final Membership next;
        final String added = parameters.values().get("add");
        final String voting = parameters.values().get("voting");
        final String removed = parameters.values().get("remove");
        if (added != null) {
            next = current.with(Member.learner(added, parameters.text("address")));
        } else if (voting != null) {
            next = current.with(current.member(voting)
                    .orElseThrow(() -> new IllegalArgumentException(
                            "member " + voting + " is not in the membership " + current.members()))
                    .withVoting(true));
        } else if (removed != null) {
            next = current.without(removed);
        } else {
            answer(exchange, 200, memberLines(current));
            return;
        }
        final long index;
        try {
            index = group.changeMembership(next)
                    .toCompletableFuture()
                    .get(deadline.outcomeNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw new NotServedException(
                    "membership change refused: " + e.getCause().getClass().getSimpleName() + ": "
                            + e.getCause().getMessage());
        } catch (TimeoutException e) {
            throw new NoOutcomeException("the membership change got no outcome within " + deadline.describe());
        }
        answer(exchange, 200, "index=" + index + "\n" + memberLines(next));
    }

    private static String memberLines(Membership membership) {
        final StringBuilder lines = new StringBuilder();
        for (Member member : membership.members()) {
            lines.append("member=")
                    .append(member.id())
                    .append('=')
                    .append(member.address())
                    .append(member.voting() ? ";voting" : ";learner")
                    .append('\n');
        }
        return lines.toString();
    }

    private void applied(Parameters parameters, HttpExchange exchange) throws IOException {
        final StringBuilder ranges = new StringBuilder();
        machine.appendAppliedRanges(ranges);
        answer(exchange, 200, ranges.toString());
    }

    private void load(Parameters parameters, HttpExchange exchange) throws Exception {
        final int inFlight = parameters.integer("inflight", 64);
        final int size = parameters.integer("size", 1024);
        final long first = parameters.number("first", 1L << 40);
        final long entries = parameters.number("count", Long.MAX_VALUE);
        // Without a count or a duration a load runs for 10 s; with only a count, until it is reached.
        final long seconds = parameters.number("seconds", entries == Long.MAX_VALUE ? 10 : 0);
        final long maxNanos = seconds == 0 ? Long.MAX_VALUE : TimeUnit.SECONDS.toNanos(seconds);
        if (size < Sequenced.HEADER_BYTES || inFlight < 1) {
            throw new IllegalArgumentException(
                    "size must be at least " + Sequenced.HEADER_BYTES + " and inflight at least 1");
        }
        final LoadGenerator.Result result;
        synchronized (load) {
            result = load.run(inFlight, size, first, entries, maxNanos);
        }
        final long committed = Math.max(1, result.committed());
        answer(
                exchange,
                200,
                "committed=" + result.committed() + "\nfailed=" + result.failed()
                        + (result.failure() == null ? "" : "\nfailure=" + result.failure())
                        + "\nelapsedMillis=" + TimeUnit.NANOSECONDS.toMillis(result.elapsedNanos())
                        + "\nentriesPerSecond=" + Math.round(result.entriesPerSecond())
                        + "\np50Micros=" + micros(result.p50Nanos()) + "\np99Micros=" + micros(result.p99Nanos())
                        + "\np999Micros=" + micros(result.p999Nanos())
                        + "\nraftBytesPerEntry=" + perEntry(result.allocated().raft(), committed)
                        + "\ntransportBytesPerEntry="
                        + perEntry(result.allocated().transport(), committed)
                        + "\nprocessBytesPerEntry="
                        + perEntry(result.allocated().process(), committed) + "\n");
    }

    private void allocated(Parameters parameters, HttpExchange exchange) throws IOException {
        final AllocationCounters.Allocated now = new AllocationCounters().read();
        answer(
                exchange,
                200,
                "raftBytes=" + now.raft() + "\ntransportBytes=" + now.transport() + "\nprocessBytes=" + now.process()
                        + "\napplied=" + group.appliedIndex() + "\n");
    }

    private void heap(Parameters parameters, HttpExchange exchange) throws IOException {
        // Two collections: the first may leave garbage that finalization or reference processing freed late.
        System.gc();
        System.gc();
        final var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        answer(
                exchange,
                200,
                "used=" + heap.getUsed() + "\ncommitted=" + heap.getCommitted() + "\nmax=" + heap.getMax() + "\n");
    }

    private static String micros(long nanos) {
        return String.format("%.1f", nanos / 1e3);
    }

    private static String perEntry(long bytes, long entries) {
        return String.format("%.1f", (double) bytes / entries);
    }

    private static void answer(HttpExchange exchange, int code, String body) throws IOException {
        final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(code, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** A proposal's entry index and the state machine's result for it. */
    private record Applied(long index, Object result) {}

    /** The command cannot be served by this member now (it does not lead, or the group did not answer in time). */
    private static final class NotServedException extends Exception {

        private static final long serialVersionUID = 1L;

        NotServedException(String message) {
            super(message);
        }
    }

    /** A request's query parameters, checked as they are read. */
    private record Parameters(Map<String, String> values) {

        static Parameters of(URI uri) {
            final Map<String, String> values = new HashMap<>();
            final String query = uri.getRawQuery();
            if (query != null && !query.isEmpty()) {
                for (String pair : query.split("&")) {
                    final int equals = pair.indexOf('=');
                    if (equals <= 0) {
                        throw new IllegalArgumentException("query parameter '" + pair + "' is not name=value");
                    }
                    values.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
            return new Parameters(values);
        }

        boolean has(String name) {
            return values.containsKey(name);
        }

        long number(String name, long otherwise) {
            final String value = values.get(name);
            return value == null ? otherwise : Numbers.nonNegative(name + "=" + value, value);
        }

        int integer(String name, int otherwise) {
            return Numbers.asInt(name, number(name, otherwise));
        }

        String text(String name) {
            final String value = values.get(name);
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException(name + " is required");
            }
            return value;
        }
    }
}
