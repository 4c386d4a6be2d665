/**
 * Streaming payload codecs: applications encode into an {@link dev.spool.api.codec.EntrySink} and decode from an
 * {@link dev.spool.api.codec.EntrySource}, both positioned directly over storage memory, never over a {@code byte[]} copy
 * of a whole entry.
 */
@Export
@Version("0.3.0")
package dev.spool.api.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
