package dev.spool.example.kv.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spool.api.group.NotLeaderException;
import dev.spool.example.kv.KeyValueStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What {@code kv:*} print for each outcome of the store, and that a refusal surfaces the store's own reason. */
class KeyValueCommandsTest {

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

    private static KeyValueCommands answering(Optional<String> value) {
        return new KeyValueCommands(new AnsweringStore(CompletableFuture.completedFuture(value)),
            new KvStateMachine());
    }

    @Test
    @DisplayName("put prints the new mapping and the value it replaced, or that the key is new")
    void put() {
        assertEquals("colour = blue (was red)", answering(Optional.of("red")).put("colour", "blue"));
        assertEquals("colour = blue (new)", answering(Optional.empty()).put("colour", "blue"));
    }

    @Test
    @DisplayName("remove prints the removed value, or that the key was not set")
    void remove() {
        assertEquals("removed colour (was red)", answering(Optional.of("red")).remove("colour"));
        assertEquals("colour was not set", answering(Optional.empty()).remove("colour"));
    }

    @Test
    @DisplayName("get prints key = value, or that the key is not set")
    void get() {
        assertEquals("colour = red", answering(Optional.of("red")).get("colour"));
        assertEquals("colour is not set", answering(Optional.empty()).get("colour"));
    }

    @Test
    @DisplayName("local reads this member's replica as applied, not the store")
    void local() {
        final KvStateMachine replica = new KvStateMachine();
        replica.apply(1, new KvCommand("colour", "green"));
        final var commands = new KeyValueCommands(new AnsweringStore(new CompletableFuture<>()), replica);
        assertEquals("colour = green", commands.local("colour"));
        assertEquals("size is not set", commands.local("size"));
    }

    @Test
    @DisplayName("a refused write fails with the request and the store's reason, e.g. who leads")
    void refusalCarriesTheReason() {
        final NotLeaderException notLeader = new NotLeaderException("default", "member-2");
        final var commands = new KeyValueCommands(new AnsweringStore(CompletableFuture.failedFuture(notLeader)),
            new KvStateMachine());
        final IllegalStateException failure = assertThrows(IllegalStateException.class,
            () -> commands.put("colour", "blue"));
        assertEquals("put colour failed: this member does not lead group default; the leader is member-2",
            failure.getMessage());
        assertInstanceOf(NotLeaderException.class, failure.getCause());
    }
}
