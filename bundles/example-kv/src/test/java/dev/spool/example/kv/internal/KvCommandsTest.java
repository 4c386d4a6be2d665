package dev.spool.example.kv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spool.api.group.NotLeaderException;
import dev.spool.example.kv.KeyValueStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What the {@code kv:*} actions print for each outcome of the store, and that a refusal surfaces the store's own
 * reason; the actions are executed as the shell would after injecting their fields.
 */
class KvCommandsTest {

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream console = new PrintStream(printed, true, StandardCharsets.UTF_8);

    /** A store answering every request with the same prepared outcome. */
    private static final class AnsweringStore implements KeyValueStore {
        private final CompletableFuture<Optional<String>> answer;

        AnsweringStore(CompletableFuture<Optional<String>> answer) {
            this.answer = answer;
        }

        @Override
        public CompletionStage<Optional<String>> put(String key, String value) {
            return answer;
        }

        @Override
        public CompletionStage<Optional<String>> remove(String key) {
            return answer;
        }

        @Override
        public CompletionStage<Optional<String>> get(String key) {
            return answer;
        }

        @Override
        public int localSize() {
            return 0;
        }
    }

    private <A extends KvAction> A prepared(
            A action, CompletableFuture<Optional<String>> answer, KvStateMachine replica, String key) {
        action.store = new AnsweringStore(answer);
        action.replica = replica;
        action.out = console;
        action.key = key;
        return action;
    }

    private <A extends KvAction> A answering(A action, Optional<String> value, String key) {
        return prepared(action, CompletableFuture.completedFuture(value), new KvStateMachine(), key);
    }

    private PutCommand put(Optional<String> answer, String key, String value) {
        final PutCommand put = answering(new PutCommand(), answer, key);
        put.value = value;
        return put;
    }

    /** @return what the commands printed since the last call, one element per line */
    private List<String> printedLines() {
        final var lines = printed.toString(StandardCharsets.UTF_8).lines().toList();
        printed.reset();
        return lines;
    }

    @Test
    @DisplayName("put prints the new mapping and the value it replaced, or that the key is new")
    void put() {
        put(Optional.of("red"), "colour", "blue").execute();
        put(Optional.empty(), "colour", "blue").execute();
        assertEquals(List.of("colour = blue (was red)", "colour = blue (new)"), printedLines());
    }

    @Test
    @DisplayName("remove prints the removed value, or that the key was not set")
    void remove() {
        answering(new RemoveCommand(), Optional.of("red"), "colour").execute();
        answering(new RemoveCommand(), Optional.empty(), "colour").execute();
        assertEquals(List.of("removed colour (was red)", "colour was not set"), printedLines());
    }

    @Test
    @DisplayName("get prints key = value, or that the key is not set")
    void get() {
        answering(new GetCommand(), Optional.of("red"), "colour").execute();
        answering(new GetCommand(), Optional.empty(), "colour").execute();
        assertEquals(List.of("colour = red", "colour is not set"), printedLines());
    }

    @Test
    @DisplayName("local reads this member's replica as applied, not the store")
    void local() {
        final KvStateMachine replica = new KvStateMachine();
        replica.apply(1, new KvCommand("colour", "green"));
        prepared(new LocalCommand(), new CompletableFuture<>(), replica, "colour")
                .execute();
        prepared(new LocalCommand(), new CompletableFuture<>(), replica, "size").execute();
        assertEquals(List.of("colour = green", "size is not set"), printedLines());
    }

    @Test
    @DisplayName("a refused write fails with the request and the store's reason, e.g. who leads")
    void refusalCarriesTheReason() {
        final NotLeaderException notLeader = new NotLeaderException("default", "member-2");
        final PutCommand put =
                prepared(new PutCommand(), CompletableFuture.failedFuture(notLeader), new KvStateMachine(), "colour");
        put.value = "blue";
        final IllegalStateException failure = assertThrows(IllegalStateException.class, put::execute);
        assertEquals(
                "put colour failed: this member does not lead group default; the leader is member-2",
                failure.getMessage());
        assertInstanceOf(NotLeaderException.class, failure.getCause());
        assertEquals(List.of(), printedLines());
    }
}
