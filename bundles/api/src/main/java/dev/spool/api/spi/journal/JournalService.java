package dev.spool.api.spi.journal;

import java.io.IOException;

/**
 * Opens the journals and term stores of one storage location (a base directory). Published as an OSGi service by
 * the journal bundle; may also be constructed directly from plain Java.
 *
 * <p>A name identifies a journal (and, separately, a term store) within the service: letters, digits, {@code .},
 * {@code _} and {@code -}, starting with a letter or digit, at most 128 characters. At most one open instance of a
 * journal exists at a time, in this JVM or any other: a second opener gets a {@link JournalLockedException}.
 *
 * <p>All methods are thread-safe.
 */
public interface JournalService {

    /**
     * Returns the spec used by {@link #open(String)}: the service's configured defaults.
     *
     * @return the default spec
     */
    JournalSpec defaultSpec();

    /**
     * Opens, or creates, the journal {@code name} with the {@link #defaultSpec() default spec}.
     *
     * @param name the journal's name
     * @return the open journal, recovered from whatever is on disk
     * @throws JournalLockedException if the journal is open already
     * @throws CorruptJournalException if a segment header, or a record of a segment other than the last, is corrupt
     * @throws IOException if the files cannot be read or created
     * @throws IllegalArgumentException if the name is not a valid journal name
     */
    Journal open(String name) throws IOException;

    /**
     * Opens, or creates, the journal {@code name} with {@code spec}. Recovery (checking every segment header, and
     * cutting the last segment at its first torn or corrupt record) happens before this returns; it deletes or
     * changes no file when it fails. An existing journal keeps its segments; new segments follow the given sizes.
     *
     * @param name the journal's name
     * @param spec its durability and sizes
     * @return the open journal
     * @throws JournalLockedException if the journal is open already
     * @throws CorruptJournalException if a segment header, or a record of a segment other than the last, is corrupt
     * @throws IOException if the files cannot be read or created
     * @throws IllegalArgumentException if the name is not a valid journal name
     */
    Journal open(String name, JournalSpec spec) throws IOException;

    /**
     * Opens, or creates, the term store {@code name}: the durable current term and vote of one member of one group.
     *
     * @param name the store's name, following the journal naming rules
     * @return the open term store
     * @throws JournalLockedException if the store is open already
     * @throws IOException if the store cannot be read or created, or its content fails its checksum
     */
    TermStore openTermStore(String name) throws IOException;
}
