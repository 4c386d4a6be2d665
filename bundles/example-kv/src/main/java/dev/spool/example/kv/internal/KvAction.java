package dev.spool.example.kv.internal;

import dev.spool.example.kv.KeyValueStore;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.lifecycle.Reference;

/**
 * The base of the {@code kv:*} console commands (Karaf shell actions): the key argument, the store and this member's
 * replica, and the wait for the store's answer. Each command prints one line; a command that fails throws an
 * exception whose one-line message is what the store reported, e.g. that this member does not lead and who does;
 * the shell prints it and the session's exit status says it failed.
 *
 * <p>Threads: the shell creates an action per call and runs it on the session's thread, which it blocks until the
 * store answers, at most {@value #WAIT_SECONDS} seconds.
 */
abstract class KvAction implements Action {

    /** How long a command waits for the store's answer. */
    static final long WAIT_SECONDS = 10;

    @Reference
    KeyValueStore store;

    @Reference
    KvStateMachine replica;

    /** Where the command prints: the calling session's output, which the shell routes {@code System.out} to. */
    PrintStream out = System.out;

    @Argument(index = 0, name = "key", description = "the key", required = true)
    String key;

    void print(Optional<String> value) {
        out.println(value.map(found -> key + " = " + found).orElse(key + " is not set"));
    }

    /**
     * Waits for the store's answer.
     *
     * @throws IllegalStateException naming the request and carrying the store's reason, if it failed or did not
     *     answer in time
     */
    static <T> T await(String request, CompletionStage<T> answer) {
        try {
            return answer.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(request + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    request + ": no answer within " + WAIT_SECONDS + " seconds; a write may still be applied", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(request + ": interrupted while waiting for the answer", e);
        }
    }
}
