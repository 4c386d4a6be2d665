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

/** What {@code kv:*} print for each outcome of the store, and that a refusal surfaces the store's own reason. */
class KeyValueCommandsTest {

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

    private KeyValueCommands commands(CompletableFuture<Optional<String>> answer, KvStateMachine replica) {
        return new KeyValueCommands(new AnsweringStore(answer), replica, () -> console);
    }

    private KeyValueCommands answering(Optional<String> value) {
        return commands(CompletableFuture.completedFuture(value), new KvStateMachine());
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
        answering(Optional.of("red")).put("colour", "blue");
        answering(Optional.empty()).put("colour", "blue");
        assertEquals(List.of("colour = blue (was red)", "colour = blue (new)"), printedLines());
    }

    @Test
    @DisplayName("remove prints the removed value, or that the key was not set")
    void remove() {
        answering(Optional.of("red")).remove("colour");
        answering(Optional.empty()).remove("colour");
        assertEquals(List.of("removed colour (was red)", "colour was not set"), printedLines());
    }

    @Test
    @DisplayName("get prints key = value, or that the key is not set")
    void get() {
        answering(Optional.of("red")).get("colour");
        answering(Optional.empty()).get("colour");
        assertEquals(List.of("colour = red", "colour is not set"), printedLines());
    }

    @Test
    @DisplayName("local reads this member's replica as applied, not the store")
    void local() {
        final KvStateMachine replica = new KvStateMachine();
        replica.apply(1, new KvCommand("colour", "green"));
        final var commands = commands(new CompletableFuture<>(), replica);
        commands.local("colour");
        commands.local("size");
        assertEquals(List.of("colour = green", "size is not set"), printedLines());
    }

    @Test
    @DisplayName("a refused write fails with the request and the store's reason, e.g. who leads")
    void refusalCarriesTheReason() {
        final NotLeaderException notLeader = new NotLeaderException("default", "member-2");
        final var commands = commands(CompletableFuture.failedFuture(notLeader), new KvStateMachine());
        final IllegalStateException failure = assertThrows(IllegalStateException.class,
            () -> commands.put("colour", "blue"));
        assertEquals("put colour failed: this member does not lead group default; the leader is member-2",
            failure.getMessage());
        assertInstanceOf(NotLeaderException.class, failure.getCause());
        assertEquals(List.of(), printedLines());
    }
}
