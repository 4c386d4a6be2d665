package dev.spool.api.spi.journal;

import dev.spool.api.codec.EntrySource;
import java.io.IOException;

/**
 * Receives one entry read from a journal, without any object being made for it: the payload is an
 * {@link EntrySource} over the mapped bytes, valid only during the call. Reusing one visitor object keeps reads
 * allocation-free.
 */
@FunctionalInterface
public interface EntryVisitor {

    /**
     * Handles one entry.
     *
     * @param index the entry's index
     * @param term the entry's term
     * @param payload the entry's payload bytes, checksum already verified, valid only during this call
     * @throws IOException if decoding the payload fails
     */
    void visit(long index, long term, EntrySource payload) throws IOException;
}
