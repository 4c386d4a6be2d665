package dev.spool.itests.cluster.member;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spool.api.cluster.Membership;
import dev.spool.api.group.ClientSession;
import dev.spool.api.group.GroupRole;
import dev.spool.api.group.NotLeaderException;
import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.group.ReadCallback;
import dev.spool.api.group.RoleListener;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The control endpoint's answers over HTTP, against a group whose behaviour each test chooses. */
class ControlEndpointTest {

    /** Short, so that requests without an outcome end quickly here. */
    private static final RequestDeadline DEADLINE = new RequestDeadline(Duration.ofMillis(200), Duration.ofMillis(300));
    /** Longer than any answer may take: a request that hangs fails the test instead of hanging it. */
    private static final int CLIENT_TIMEOUT_MILLIS = 5_000;

    private final ScriptedGroup group = new ScriptedGroup();
    private ControlEndpoint endpoint;

    @AfterEach
    void stop() {
        if (endpoint != null) {
            endpoint.close();
        }
    }

    @Test
    @DisplayName("a bad parameter is answered 400 with the reason, not with an empty reply")
    void badParameterIsRefusedWithItsReason() throws IOException {
        start();
        final Answer answer = request("POST", "/propose?size=3");
        assertEquals(400, answer.code(), answer.toString());
        assertTrue(answer.body().startsWith("error=size must be at least 8"), answer.toString());

        final Answer malformed = request("GET", "/status?verbose");
        assertEquals(400, malformed.code(), malformed.toString());
        assertTrue(malformed.body().contains("'verbose' is not name=value"), malformed.toString());
    }

    @Test
    @DisplayName("a read the group refuses is answered 503 naming the refusal")
    void refusedReadIsNotServed() throws IOException {
        group.reads = Behaviour.FAIL;
        start();
        final Answer answer = request("GET", "/read");
        assertEquals(503, answer.code(), answer.toString());
        assertTrue(answer.body().startsWith("error=read barrier failed: NotLeaderException"), answer.toString());
    }

    @Test
    @DisplayName("a read the group never answers is answered 504 once its deadline and grace have passed")
    void readWithoutOutcomeTimesOut() throws IOException {
        group.reads = Behaviour.NEVER;
        start();
        final Answer answer = request("GET", "/read");
        assertEquals(504, answer.code(), answer.toString());
        assertTrue(answer.body().contains("no outcome within 500 ms"), answer.toString());
    }

    @Test
    @Timeout(60)
    @DisplayName("proposals the group never ends are reported lost, and free the endpoint's threads")
    void proposalsWithoutOutcomeEndTheStream() throws IOException {
        group.proposals = Behaviour.NEVER;
        start();
        // More requests than the endpoint has threads: each must end for the next to be served.
        for (int i = 0; i < 6; i++) {
            final Answer answer = request("POST", "/propose?first=" + (10 * i) + "&count=3&inflight=2");
            assertEquals(200, answer.code(), answer.toString());
            assertEquals(
                    List.of(
                            "lost " + (10 * i) + " no outcome within 500 ms of the proposal",
                            "lost " + (10 * i + 1) + " no outcome within 500 ms of the proposal",
                            "done acknowledged=0 highest=0 failed=0 lost=2"),
                    answer.body().lines().toList(),
                    answer.toString());
        }
        assertEquals(200, request("GET", "/status").code());
    }

    @Test
    @DisplayName("a proposal stream reports applied and failed proposals, each once")
    void proposalStreamReportsOutcomes() throws IOException {
        group.proposals = Behaviour.ANSWER;
        start();
        final Answer applied = request("POST", "/propose?first=5&count=2");
        assertEquals(
                List.of("ack 5 1", "ack 6 2", "done acknowledged=2 highest=2 failed=0 lost=0"),
                applied.body().lines().toList());

        group.proposals = Behaviour.FAIL;
        final Answer failed = request("POST", "/propose?first=7&count=2&inflight=1");
        assertEquals(
                List.of(
                        "fail 7 NotLeaderException: " + group.notLeader().getMessage(),
                        "done acknowledged=0 highest=0 failed=1 lost=0"),
                failed.body().lines().toList());
    }

    @Test
    @DisplayName("a register command is answered with its index, refused 400 without a key, 503 naming a refusal")
    void registerCommandsAnswerEveryOutcome() throws IOException {
        start();
        assertEquals("readIndex=0\nvalue=0\n", request("GET", "/register?key=3").body());
        final Answer written = request("POST", "/register?key=3&value=9&expected=0");
        assertEquals("index=1\nwritten=unknown\n", written.body(), "the scripted group returns no result");

        final Answer noKey = request("POST", "/register?value=9");
        assertEquals(400, noKey.code(), noKey.toString());
        assertTrue(noKey.body().startsWith("error=a register command needs key=K"), noKey.toString());

        group.proposals = Behaviour.FAIL;
        final Answer refused = request("POST", "/register?key=3&value=10");
        assertEquals(503, refused.code(), refused.toString());
        assertTrue(refused.body().startsWith("error=proposal failed: NotLeaderException"), refused.toString());

        group.proposals = Behaviour.NEVER;
        final Answer lost = request("POST", "/register?key=3&value=11");
        assertEquals(504, lost.code(), lost.toString());
        assertTrue(lost.body().contains("no outcome within 500 ms"), lost.toString());
    }

    @Test
    @DisplayName("a register write in a session is proposed in it, and refused 400 without a sequence number")
    void registerWritesInASessionAreProposedInIt() throws IOException {
        start();
        final Answer written = request("POST", "/register?key=3&value=9&session=77&sequence=4");
        assertEquals(200, written.code(), written.toString());
        assertEquals("77/4", group.lastSession);
        final Answer unnumbered = request("POST", "/register?key=3&value=10&session=77");
        assertEquals(400, unnumbered.code(), unnumbered.toString());
        assertTrue(
                unnumbered.body().startsWith("error=a register write in session=77 needs sequence=N"),
                unnumbered.toString());
    }

    @Test
    @DisplayName("a load whose proposals never end is answered 504, not held for good")
    void loadWithoutOutcomeTimesOut() throws IOException {
        group.proposals = Behaviour.NEVER;
        start();
        final Answer answer = request("POST", "/load?inflight=4&size=64&count=100");
        assertEquals(504, answer.code(), answer.toString());
        assertTrue(answer.body().startsWith("error=4 proposals got no outcome within 500 ms"), answer.toString());
        assertEquals(200, request("GET", "/status").code());
    }

    private void start() throws IOException {
        endpoint = new ControlEndpoint(group, new SequenceMachine(0), 0, DEADLINE);
    }

    private record Answer(int code, String body) {}

    private Answer request(String method, String pathAndQuery) throws IOException {
        final HttpURLConnection connection =
                (HttpURLConnection) new URL("http://127.0.0.1:" + endpoint.port() + pathAndQuery).openConnection();
        connection.setRequestMethod(method);
        connection.setConnectTimeout(CLIENT_TIMEOUT_MILLIS);
        connection.setReadTimeout(CLIENT_TIMEOUT_MILLIS);
        final int code = connection.getResponseCode();
        final InputStream in = code < 400 ? connection.getInputStream() : connection.getErrorStream();
        try (in) {
            return new Answer(code, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** What the scripted group does with a request. */
    private enum Behaviour {
        /** Completes it: a proposal is applied at the next index, a read passes at index 0. */
        ANSWER,
        /** Fails it with {@link NotLeaderException}. */
        FAIL,
        /** Never calls back: a group that lost the request. */
        NEVER
    }

    /** A group that answers proposals and reads as the test scripts it, at once, on the calling thread. */
    private static final class ScriptedGroup implements RaftGroup<Sequenced> {

        volatile Behaviour proposals = Behaviour.ANSWER;
        volatile Behaviour reads = Behaviour.ANSWER;
        private long nextIndex = 1;
        /** The session id and sequence number of the last proposal made in a session. */
        volatile String lastSession;

        NotLeaderException notLeader() {
            return new NotLeaderException("cluster", "m2");
        }

        @Override
        public String name() {
            return "cluster";
        }

        @Override
        public String memberId() {
            return "m1";
        }

        @Override
        public GroupRole role() {
            return GroupRole.FOLLOWER;
        }

        @Override
        public Optional<String> leaderId() {
            return Optional.of("m2");
        }

        @Override
        public long term() {
            return 1;
        }

        @Override
        public long commitIndex() {
            return 0;
        }

        @Override
        public long appliedIndex() {
            return 0;
        }

        @Override
        public Membership membership() {
            throw new UnsupportedOperationException();
        }

        @Override
        public synchronized void propose(Sequenced payload, long timeout, TimeUnit unit, ProposalCallback callback) {
            switch (proposals) {
                case ANSWER -> callback.applied(nextIndex++, null);
                case FAIL -> callback.failed(notLeader());
                case NEVER -> {}
                default -> throw new IllegalStateException(proposals.toString());
            }
        }

        @Override
        public void propose(
                ClientSession session,
                long sequence,
                Sequenced payload,
                long timeout,
                TimeUnit unit,
                ProposalCallback callback) {
            lastSession = session.id() + "/" + sequence;
            propose(payload, timeout, unit, callback);
        }

        @Override
        public ClientSession openSession() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void readBarrier(long timeout, TimeUnit unit, ReadCallback callback) {
            switch (reads) {
                case ANSWER -> callback.readable(0);
                case FAIL -> callback.failed(notLeader());
                case NEVER -> {}
                default -> throw new IllegalStateException(reads.toString());
            }
        }

        @Override
        public CompletionStage<Long> changeMembership(Membership next) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletionStage<Void> transferLeadership(String target) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void addRoleListener(RoleListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void removeRoleListener(RoleListener listener) {
            throw new UnsupportedOperationException();
        }
    }
}
