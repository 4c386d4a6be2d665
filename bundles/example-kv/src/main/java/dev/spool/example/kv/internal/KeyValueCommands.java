package dev.spool.example.kv.internal;

import dev.spool.example.kv.KeyValueStore;
import java.io.PrintStream;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The console commands of the example key-value store: {@code kv:put key value}, {@code kv:remove key},
 * {@code kv:get key} (linearizable, through {@link KeyValueStore}) and {@code kv:local key} (this member's replica as
 * applied so far, on any member). Each prints one line to the session's output (Karaf prints a command's return
 * value in an interactive console only, not in a batch {@code bin/client -b} session). A command that fails throws
 * an exception whose message is what the store reported, e.g. that this member does not lead and who does; the
 * shell prints it and the session's exit status says it failed. Felix Gogo commands (the {@code osgi.command.*}
 * service properties), which Karaf's shell runs like its own.
 *
 * <p>Threads: the shell's session thread calls the commands; each blocks it until the store answers, at most
 * {@value #WAIT_SECONDS} seconds.
 */
@Component(service = KeyValueCommands.class, property = {"osgi.command.scope=kv", "osgi.command.function=put",
    "osgi.command.function=remove", "osgi.command.function=get", "osgi.command.function=local"})
public final class KeyValueCommands {

    /** How long a command waits for the store's answer. */
    static final long WAIT_SECONDS = 10;

    private final KeyValueStore store;
    private final KvStateMachine replica;
    private final Supplier<PrintStream> output;

    /**
     * Binds the commands; called by Declarative Services.
     *
     * @param store the replicated store
     * @param replica this member's replica of the store's map
     */
    @Activate
    public KeyValueCommands(@Reference KeyValueStore store, @Reference KvStateMachine replica) {
        // System.out at the time of each call: the shell routes it to the calling session.
        this(store, replica, () -> System.out);
    }

    KeyValueCommands(KeyValueStore store, KvStateMachine replica, Supplier<PrintStream> output) {
        this.store = store;
        this.replica = replica;
        this.output = output;
    }

    /**
     * {@code kv:put key value}: maps the key once the write is committed and applied.
     *
     * @param key the key
     * @param value the value
     */
    public void put(String key, String value) {
        final Optional<String> previous = await("put " + key, store.put(key, value));
        print(key + " = " + value + previous.map(old -> " (was " + old + ")").orElse(" (new)"));
    }

    /**
     * {@code kv:remove key}: removes the key once the removal is committed and applied.
     *
     * @param key the key
     */
    public void remove(String key) {
        print(await("remove " + key, store.remove(key)).map(old -> "removed " + key + " (was " + old + ")")
            .orElse(key + " was not set"));
    }

    /**
     * {@code kv:get key}: reads the key linearizably, served by the leader.
     *
     * @param key the key
     */
    public void get(String key) {
        print(key, await("get " + key, store.get(key)));
    }

    /**
     * {@code kv:local key}: reads the key from this member's replica, without a read barrier: it shows what this
     * member has applied, which may lag the leader.
     *
     * @param key the key
     */
    public void local(String key) {
        print(key, replica.read(key));
    }

    private void print(String key, Optional<String> value) {
        print(value.map(found -> key + " = " + found).orElse(key + " is not set"));
    }

    private void print(String line) {
        output.get().println(line);
    }

    /**
     * Waits for the store's answer.
     *
     * @throws IllegalStateException naming the request and carrying the store's reason, if it failed or did not
     *     answer in time
     */
    private static <T> T await(String request, CompletionStage<T> answer) {
        try {
            return answer.toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(request + " failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(request + ": no answer within " + WAIT_SECONDS
                + " seconds; a write may still be applied", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(request + ": interrupted while waiting for the answer", e);
        }
    }
}
