package dev.spool.itests.cluster.harness;

import dev.spool.itests.cluster.member.RequestDeadline;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client of one member's control endpoint (see {@code docs/cluster-tests.md}): sends a command, parses the
 * {@code key=value} answer. Every request has a bounded timeout fitted to its command, so a member that does not
 * answer (paused with SIGSTOP, or dead without closing its socket) costs a caller seconds, not minutes.
 *
 * <p>Thread-safe: every call opens its own connection.
 */
public final class ControlClient {

    private static final int CONNECT_TIMEOUT_MILLIS = 2_000;
    /** A command the member answers from memory at once: status, applied ranges, allocation counters. */
    private static final int QUICK_MILLIS = 3_000;
    /** Beyond the member's request deadline, the time its answer may take to arrive. */
    private static final int MARGIN_MILLIS = 5_000;
    /** A read barrier, or the silence between two lines of a proposal stream: at most the member's deadline. */
    private static final int REQUEST_MILLIS =
            Math.toIntExact(RequestDeadline.DEFAULT.timeout().toMillis()
                    + RequestDeadline.DEFAULT.grace().toMillis()
                    + MARGIN_MILLIS);
    /** Two full collections. */
    private static final int HEAP_MILLIS = 30_000;
    /** A load: its duration, then the deadline of its last proposals. */
    private static final int LOAD_MILLIS = 180_000;

    private final String member;
    private final int port;

    ControlClient(String member, int port) {
        this.member = member;
        this.port = port;
    }

    /** Receives the acknowledgements of a streaming proposal as they arrive. */
    @FunctionalInterface
    public interface AckListener {
        /**
         * One proposal was acknowledged.
         *
         * @param sequence its sequence number
         * @param index its entry's index
         */
        void acknowledged(long sequence, long index);
    }

    /**
     * How a streaming proposal ended.
     *
     * @param finished whether the member reported its end ({@code false}: the connection broke first)
     * @param failures the proposals the member reported failed, as {@code sequence reason}
     * @param lost the proposals the member got no outcome for within its deadline, as {@code sequence reason}
     */
    public record ProposeEnd(boolean finished, List<String> failures, List<String> lost) {

        /** @return whether the member reported the end, and every proposal was acknowledged */
        public boolean allAcknowledged() {
            return finished && failures.isEmpty() && lost.isEmpty();
        }

        /** @return how it ended, with the first failure and loss (a stream may report a whole window of them) */
        @Override
        public String toString() {
            return (finished ? "finished" : "broken off") + ", " + failures.size() + " failed"
                    + (failures.isEmpty() ? "" : " (first: " + failures.get(0) + ")") + ", " + lost.size() + " lost"
                    + (lost.isEmpty() ? "" : " (first: " + lost.get(0) + ")");
        }
    }

    /**
     * Reads the member's status: {@code role, leader, term, commit, applied, count, checksum, lastIndex}.
     *
     * @return the answer
     * @throws IOException if the member does not answer
     */
    public Map<String, String> status() throws IOException {
        return keyValues(send("GET", "/status", QUICK_MILLIS));
    }

    /**
     * Changes the group's membership on the member (which must lead) and answers the change's index and the new
     * members, or shows the members: {@code add=ID&address=HOST:PORT}, {@code voting=ID}, {@code remove=ID}, or
     * nothing.
     *
     * @param query the change
     * @return the answer: {@code index=N} (for a change), then one {@code member=ID=ADDRESS;voting|learner} line
     *     per member
     * @throws IOException if the member does not answer or refuses the change
     */
    public String members(String query) throws IOException {
        return send("POST", "/members" + (query.isEmpty() ? "" : "?" + query), REQUEST_MILLIS);
    }

    /**
     * Takes a linearizable read on the member (which must lead): {@code readIndex, count, checksum, lastIndex}.
     *
     * @return the answer
     * @throws IOException if the member does not answer or cannot serve the read
     */
    public Map<String, String> read() throws IOException {
        return keyValues(send("GET", "/read", REQUEST_MILLIS));
    }

    /**
     * Writes a value into a register through the member (see {@code SequenceMachine}).
     *
     * @param key the register's key
     * @param value the value, a sequence number no other command uses
     * @param expected for a compare-and-set, the value the register must hold; {@code null} for a plain write
     * @return {@code written} ({@code true}, {@code false} for a compare-and-set that found another value, or
     *     {@code unknown}) and the entry's {@code index}
     * @throws IOException if the member does not answer or the proposal failed; the message names the member's error
     */
    public Map<String, String> writeRegister(int key, long value, Long expected) throws IOException {
        return writeRegister(key, value, expected, 0, 0);
    }

    /**
     * Writes a value into a register as one proposal of a client session: sent again, to this member or another,
     * with the same session and sequence number, it is applied at most once, and a repeat of the last one answers
     * the first result.
     *
     * @param key the register's key
     * @param value the value, a sequence number no other command uses
     * @param expected for a compare-and-set, the value the register must hold; {@code null} for a plain write
     * @param session the session's id, 0 for none
     * @param sequence the proposal's number in the session, from 1 (ignored without a session)
     * @return as {@link #writeRegister(int, long, Long)}
     * @throws IOException as {@link #writeRegister(int, long, Long)}
     */
    public Map<String, String> writeRegister(int key, long value, Long expected, long session, long sequence)
            throws IOException {
        return keyValues(send(
                "POST",
                "/register?key=" + key + "&value=" + value
                        + (expected == null ? "" : "&expected=" + expected)
                        + (session == 0 ? "" : "&session=" + session + "&sequence=" + sequence),
                REQUEST_MILLIS));
    }

    /**
     * Reads a register linearizably through the member (a read barrier first).
     *
     * @param key the register's key
     * @return the value, 0 if never written
     * @throws IOException if the member does not answer or cannot serve the read
     */
    public long readRegister(int key) throws IOException {
        return Long.parseLong(
                keyValues(send("GET", "/register?key=" + key, REQUEST_MILLIS)).get("value"));
    }

    /**
     * Reads the sequence numbers the member's state machine applied.
     *
     * @return sorted, disjoint ranges {@code [first, last]}
     * @throws IOException if the member does not answer
     */
    public List<long[]> appliedRanges() throws IOException {
        final List<long[]> ranges = new ArrayList<>();
        for (String line : send("GET", "/applied", QUICK_MILLIS).split("\n")) {
            if (!line.isEmpty()) {
                final int dash = line.indexOf('-');
                ranges.add(
                        new long[] {Long.parseLong(line.substring(0, dash)), Long.parseLong(line.substring(dash + 1))});
            }
        }
        return ranges;
    }

    /**
     * Runs a load on the member (which must lead); see {@code docs/cluster-tests.md} for the answer's keys.
     *
     * @param query the load's parameters, such as {@code inflight=64&size=1024&seconds=10}
     * @return the answer
     * @throws IOException if the member does not answer or the load fails
     */
    public Map<String, String> load(String query) throws IOException {
        return keyValues(send("POST", "/load?" + query, LOAD_MILLIS));
    }

    /**
     * Reads the member's allocation counters: {@code raftBytes, transportBytes, processBytes, applied}.
     *
     * @return the answer
     * @throws IOException if the member does not answer
     */
    public Map<String, String> allocated() throws IOException {
        return keyValues(send("GET", "/alloc", QUICK_MILLIS));
    }

    /**
     * Runs full collections on the member and reads its heap.
     *
     * @return the heap's used bytes after the collections
     * @throws IOException if the member does not answer
     */
    public long usedHeapAfterGc() throws IOException {
        return Long.parseLong(keyValues(send("GET", "/heap", HEAP_MILLIS)).get("used"));
    }

    /**
     * Proposes {@code count} entries numbered from {@code first} on the member, hearing each acknowledgement as the
     * member reports it. Returns when the member reports the end, or when the connection breaks (the member died)
     * or stays silent beyond the member's request deadline: the listener has then heard every acknowledgement the
     * member sent before.
     *
     * @param first the first sequence number
     * @param count how many entries
     * @param size each payload's size in bytes
     * @param inFlight the most proposals in flight
     * @param listener hears the acknowledgements, on the calling thread
     * @return how it ended
     * @throws IOException if the member refuses the command
     */
    public ProposeEnd propose(long first, long count, int size, int inFlight, AckListener listener) throws IOException {
        final HttpURLConnection connection = open(
                "POST",
                "/propose?first=" + first + "&count=" + count + "&size=" + size + "&inflight=" + inFlight,
                REQUEST_MILLIS);
        if (connection.getResponseCode() != 200) {
            throw new IOException(member + " refused to propose: " + body(connection.getErrorStream()));
        }
        final List<String> failures = new ArrayList<>();
        final List<String> lost = new ArrayList<>();
        try (BufferedReader lines =
                new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("ack ")) {
                    final int space = line.indexOf(' ', 4);
                    listener.acknowledged(
                            Long.parseLong(line.substring(4, space)), Long.parseLong(line.substring(space + 1)));
                } else if (line.startsWith("fail ")) {
                    failures.add(line.substring(5));
                } else if (line.startsWith("lost ")) {
                    lost.add(line.substring(5));
                } else if (line.startsWith("done ")) {
                    return new ProposeEnd(true, failures, lost);
                }
            }
        } catch (IOException e) {
            // The member died, or went silent, while answering: what was read before stands.
        }
        return new ProposeEnd(false, failures, lost);
    }

    private String send(String method, String pathAndQuery, int readTimeoutMillis) throws IOException {
        final HttpURLConnection connection = open(method, pathAndQuery, readTimeoutMillis);
        final int code = connection.getResponseCode();
        if (code != 200) {
            throw new IOException(member + " answered " + pathAndQuery + " with " + code + ": "
                    + body(connection.getErrorStream()).trim());
        }
        final String body = body(connection.getInputStream());
        // HttpURLConnection ends a fixed-length body at the connection's end without complaint: a member killed
        // while answering leaves a 200 with part of its answer, which must not pass for a whole one.
        final long announced = connection.getContentLengthLong();
        final int received = body.getBytes(StandardCharsets.UTF_8).length;
        if (announced >= 0 && received != announced) {
            throw new IOException(member + " answered " + pathAndQuery + " with 200 and " + received + " of the "
                    + announced + " bytes it announced: the answer was cut off (the member ended while answering)");
        }
        return body;
    }

    private HttpURLConnection open(String method, String pathAndQuery, int readTimeoutMillis) throws IOException {
        final HttpURLConnection connection =
                (HttpURLConnection) new URL("http://127.0.0.1:" + port + pathAndQuery).openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
        connection.setReadTimeout(readTimeoutMillis);
        if ("POST".equals(method)) {
            // A streamed request is never resent: HttpURLConnection otherwise sends a POST again when the answer
            // fails, and a member that had made the proposals (and died answering) would be asked to make them
            // twice, or the resend refused and the first taken for one that never arrived.
            connection.setDoOutput(true);
            connection.setFixedLengthStreamingMode(0);
            connection.getOutputStream().close();
        }
        return connection;
    }

    private static String body(InputStream in) throws IOException {
        if (in == null) {
            return "";
        }
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static Map<String, String> keyValues(String body) {
        final Map<String, String> values = new LinkedHashMap<>();
        for (String line : body.split("\n")) {
            final int equals = line.indexOf('=');
            if (equals > 0) {
                values.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return values;
    }
}
