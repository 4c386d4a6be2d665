/**
 * Bundle SPI (an application never imports it): the {@link dev.spool.api.codec.EntrySink} and
 * {@link dev.spool.api.codec.EntrySource} implementations over a {@link java.nio.ByteBuffer} that the implementation
 * bundles share: the absolute-put base of every sink, a growing sink for payloads that travel instead of being
 * stored, and a source over one payload in a buffer.
 */
@Export
@Version("0.1.0")
package dev.spool.api.spi.codec;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
