package dev.spool.example.kv.internal;

import java.util.Objects;

/**
 * One write to the map: the payload of the group's entries.
 *
 * @param key the key
 * @param value the value to put, or {@code null} to remove the key
 */
public record KvCommand(String key, String value) {

    /**
     * Checks the key.
     *
     * @throws NullPointerException if the key is missing
     */
    public KvCommand {
        Objects.requireNonNull(key, "key");
    }
}
