package dev.spool.example.kv.internal;

import dev.spool.api.group.ProposalCallback;
import dev.spool.api.group.RaftGroup;
import dev.spool.api.group.RaftGroupException;
import dev.spool.api.group.ReadCallback;
import dev.spool.example.kv.KeyValueStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The {@link KeyValueStore} service over the Raft group {@code default}: writes are proposals (waiting up to a
 * second for room in a full buffer), reads pass a read barrier first.
 */
@Component(service = KeyValueStore.class)
public final class KeyValueStoreComponent implements KeyValueStore {

    private static final long TIMEOUT_SECONDS = 1;

    private final RaftGroup<KvCommand> group;
    private final KvStateMachine map;

    /**
     * Binds the store to its group and state machine; called by Declarative Services.
     *
     * @param group the Raft group named {@code default}
     * @param map this bundle's state machine of that group
     */
    @Activate
    public KeyValueStoreComponent(
            @Reference(target = "(spool.group=default)") RaftGroup<KvCommand> group, @Reference KvStateMachine map) {
        this.group = group;
        this.map = map;
    }

    @Override
    public CompletionStage<Optional<String>> put(String key, String value) {
        return write(new KvCommand(key, value));
    }

    @Override
    public CompletionStage<Optional<String>> remove(String key) {
        return write(new KvCommand(key, null));
    }

    private CompletionStage<Optional<String>> write(KvCommand command) {
        final var result = new CompletableFuture<Optional<String>>();
        group.propose(command, TIMEOUT_SECONDS, TimeUnit.SECONDS, new ProposalCallback() {
            @Override
            @SuppressWarnings("unchecked") // the state machine returns the previous value as an Optional
            public void applied(long index, Object previous) {
                result.complete(previous == null ? Optional.empty() : (Optional<String>) previous);
            }

            @Override
            public void failed(RaftGroupException error) {
                result.completeExceptionally(error);
            }
        });
        return result;
    }

    @Override
    public CompletionStage<Optional<String>> get(String key) {
        final var result = new CompletableFuture<Optional<String>>();
        group.readBarrier(TIMEOUT_SECONDS, TimeUnit.SECONDS, new ReadCallback() {
            @Override
            public void readable(long readIndex) {
                result.complete(map.read(key));
            }

            @Override
            public void failed(RaftGroupException error) {
                result.completeExceptionally(error);
            }
        });
        return result;
    }

    @Override
    public int localSize() {
        return map.size();
    }
}
